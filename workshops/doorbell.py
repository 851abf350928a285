"""The doorbell: where the current version of each live workshop is kept and announced.

With Redis (settings.REDIS_URL) the version lives in a plain Redis key and bumps are published
on a pub/sub channel (debounced: announce); the ASGI endpoints in workshops/asgi.py read both
without touching the database. Without Redis the version lives in Django's cache of this process.
"""

from __future__ import annotations

import functools
import threading

import redis
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from coconnect.cache import REDIS_AWAY, outage

VERSION_TTL = 60 * 60 * 24


def redis_key(*parts) -> str:
    """A raw Redis key or channel, under the cache's prefix: installations (and test runs) that
    share one Redis never read each other's versions, fragments or passes."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "coconnect"
    return ":".join([prefix, *map(str, parts)])


def version_key(live_key: str) -> str:
    return redis_key("workshop", live_key, "version")


def channel(live_key: str) -> str:
    return redis_key("workshop", live_key)


@functools.cache
def _redis(url: str):
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def redis_client():
    """The doorbell's Redis; None without one, and for a few seconds after it failed, so that a
    request during an outage pays no connection timeout per call (the cache's outage record,
    coconnect/cache.py: one view of whether Redis is there)."""
    url = settings.REDIS_URL
    if not url or outage.cooling_down():
        return None
    return _redis(url)


def _note_failure(error: Exception) -> None:
    if isinstance(error, REDIS_AWAY):
        outage.failed(error)


# A room placing dots changes the workshop many times a second: ring at once, then at most once
# per RING_SECONDS; changes within that time ring once more at its end, with the newest version.
RING_SECONDS = 0.25

# The version only ever goes up, also when two changes commit in the other order.
_SET_NEWER_VERSION = """
if tonumber(redis.call('GET', KEYS[1]) or '-1') < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
"""


def _ring_key(live_key: str, what: str) -> str:
    return redis_key("workshop", live_key, what)


def announce(live_key: str, version: int) -> None:
    """Store the new version and ring every screen of the workshop (debounced, see above)."""
    client = redis_client()
    cache.set(version_key(live_key), version, VERSION_TTL)
    if client is None:
        return
    window = int(RING_SECONDS * 1000)
    try:
        client.eval(_SET_NEWER_VERSION, 1, version_key(live_key), version, VERSION_TTL)
        if client.set(_ring_key(live_key, "rang"), 1, nx=True, px=window):
            client.publish(channel(live_key), str(version))
        elif client.set(_ring_key(live_key, "ring-again"), 1, nx=True, px=4 * window):
            timer = threading.Timer(RING_SECONDS, _ring_newest, [live_key])
            timer.daemon = True
            timer.start()
    except Exception as error:  # noqa: BLE001 - screens fall back to polling, which reads the database
        _note_failure(error)
        cache.delete(version_key(live_key))


def _ring_newest(live_key: str) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.delete(_ring_key(live_key, "ring-again"))
        version = client.get(version_key(live_key))
        if version is not None:
            client.set(_ring_key(live_key, "rang"), 1, px=int(RING_SECONDS * 1000))
            client.publish(channel(live_key), version)
    except Exception as error:  # noqa: BLE001 - the screens' streams end and they poll
        _note_failure(error)


def remember(live_key: str, version: int) -> None:
    """Keep a version read from the database, without ringing."""
    client = redis_client()
    if client is None:
        cache.add(version_key(live_key), version, VERSION_TTL)
        return
    try:
        client.set(version_key(live_key), version, ex=VERSION_TTL, nx=True)
    except Exception as error:  # noqa: BLE001
        _note_failure(error)


def known_version(live_key: str) -> int | None:
    """The last announced version, or None when it is not known without the database."""
    client = redis_client()
    if client is not None:
        try:
            value = client.get(version_key(live_key))
        except Exception as error:  # noqa: BLE001
            _note_failure(error)
            value = None
        return int(value) if value is not None else None
    value = cache.get(version_key(live_key))
    return int(value) if value is not None else None


# --- rendered fragments: the newest one per screen kind ------------------------------------------
#
# One key per (workshop, variant, language) holds "<version>\n<html>" of the newest rendering. A
# screen rung for version N takes it when it is N or newer: a bump while hundreds of phones fetch
# never sends them past the store to Django. A slower rendering of an older version never
# replaces a newer one (_STORE_NEWER).

FRAGMENT_TTL = 60 * 10

_STORE_NEWER = """
local old = redis.call('GET', KEYS[1])
if old and tonumber(string.match(old, '^(%d+)')) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


def fragment_key(live_key: str, variant: str, language: str) -> str:
    return redis_key("workshop", live_key, "fragment", variant, language)


def fragment_parse(value, version: int):
    """The HTML of a stored fragment (bytes from Redis, str from the cache) when it is of
    `version` or newer."""
    if value is None:
        return None
    stored, _, html = value.partition(b"\n" if isinstance(value, bytes) else "\n")
    return html if stored.isdigit() and int(stored) >= version else None


def fragment_get(key: str, version: int) -> str | None:
    """A fragment rendered earlier by our own templates (version or newer), marked safe again.

    Redis hands back bytes: without mark_safe a template would escape the HTML a second time.
    """
    client = redis_client()
    try:
        value = cache.get(key) if client is None else client.get(key)
    except Exception as error:  # noqa: BLE001 - render it again
        _note_failure(error)
        return None
    html = fragment_parse(value, version)
    if isinstance(html, bytes):
        html = html.decode()
    return mark_safe(html) if html is not None else None


def fragments_set(fragments: dict[str, str], version: int) -> None:
    client = redis_client()
    if client is None:
        for key, html in fragments.items():
            if fragment_parse(cache.get(key), version + 1) is None:
                cache.set(key, f"{version}\n{html}", FRAGMENT_TTL)
        return
    try:
        pipe = client.pipeline(transaction=False)
        for key, html in fragments.items():
            pipe.eval(_STORE_NEWER, 1, key, version, f"{version}\n{html}".encode(), FRAGMENT_TTL)
        pipe.execute()
    except Exception as error:  # noqa: BLE001
        _note_failure(error)


# --- live passes: the invite links that may still read the phones' shared fragments -------------
#
# A phone fetches its partner's shared fragment without a session, by an address that names its
# invite link (workshops/live_render.shared_token). The address works only while the link has a
# pass here: Django grants one after checking the link in the database, the ASGI front door reads
# it with the fragment itself, and revoking, replacing or deleting the link closes it at once.

PASS_SECONDS = 60 * 15  # a pass is checked against the database again after this long
OPEN, CLOSED = b"1", b"0"


def pass_key(invite_id: int) -> str:
    return redis_key("invite", invite_id, "live")


def pass_grant(invite_id: int, seconds: int = PASS_SECONDS) -> None:
    """Let a link that the database just found usable read, for at most `seconds`.

    Never overrides a closed pass: a grant racing with a revocation loses.
    """
    seconds = max(1, min(int(seconds), PASS_SECONDS))
    client = redis_client()
    if client is None:
        cache.add(pass_key(invite_id), OPEN, seconds)
        return
    try:
        client.set(pass_key(invite_id), OPEN, ex=seconds, nx=True)
    except Exception as error:  # noqa: BLE001 - without a pass every fetch goes past Django's check
        _note_failure(error)


def passes_close(invite_ids) -> None:
    """Close these links' addresses at once; the mark outlives any grant given before it."""
    keys = [pass_key(pk) for pk in invite_ids]
    if not keys:
        return
    client = redis_client()
    if client is None:
        cache.set_many(dict.fromkeys(keys, CLOSED), PASS_SECONDS)
        return
    try:
        pipe = client.pipeline(transaction=False)
        for key in keys:
            pipe.set(key, CLOSED, ex=PASS_SECONDS)
        pipe.execute()
    except Exception as error:  # noqa: BLE001 - Redis away: the front door cannot read passes either
        _note_failure(error)


def pass_open(invite_id: int) -> bool:
    """Whether the link holds an open pass (without Redis: this process's cache)."""
    client = redis_client()
    if client is None:
        return cache.get(pass_key(invite_id)) == OPEN
    try:
        return client.get(pass_key(invite_id)) == OPEN
    except Exception as error:  # noqa: BLE001
        _note_failure(error)
        return False
