"""One debounced ring: many changes in a moment ring the screens twice, not once per change."""

import time
import uuid

import redis

from workshops import doorbell


def test_changes_in_a_moment_ring_at_once_and_once_more_with_the_newest_version(
    settings, redis_url
):
    settings.REDIS_URL = redis_url
    doorbell._redis.cache_clear()
    live_key = uuid.uuid4().hex
    listener = redis.Redis.from_url(redis_url).pubsub()
    listener.subscribe(doorbell.channel(live_key))
    listener.get_message(timeout=1)  # the subscription's confirmation
    try:
        for version in range(1, 21):  # twenty dots within a moment
            doorbell.announce(live_key, version)
        time.sleep(doorbell.RING_SECONDS * 3)
        rings = []
        while (message := listener.get_message(timeout=0.2)) is not None:
            rings.append(int(message["data"]))
        assert rings == [1, 20]
        assert doorbell.known_version(live_key) == 20
        # An older change committing late never takes the version back.
        doorbell.announce(live_key, 7)
        assert doorbell.known_version(live_key) == 20
    finally:
        listener.close()
        doorbell._redis.cache_clear()
