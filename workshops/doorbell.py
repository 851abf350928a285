"""The doorbell: where the current version of each live workshop is kept and announced.

With Redis (settings.REDIS_URL) the version lives in a plain Redis key and every bump is published
on a pub/sub channel; the ASGI endpoints in workshops/asgi.py read both without touching the
database. Without Redis the version lives in Django's cache of this process.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

VERSION_TTL = 60 * 60 * 24


def version_key(live_key: str) -> str:
    return f"coconnect:workshop:{live_key}:version"


def channel(live_key: str) -> str:
    return f"coconnect:workshop:{live_key}"


@functools.cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def redis_client():
    url = settings.REDIS_URL
    return _redis(url) if url else None


def announce(live_key: str, version: int) -> None:
    """Store the new version and ring every screen of the workshop."""
    client = redis_client()
    cache.set(version_key(live_key), version, VERSION_TTL)
    if client is None:
        return
    try:
        pipe = client.pipeline()
        pipe.set(version_key(live_key), version, ex=VERSION_TTL)
        pipe.publish(channel(live_key), str(version))
        pipe.execute()
    except Exception:  # noqa: BLE001 - screens fall back to polling, which reads the database
        cache.delete(version_key(live_key))


def remember(live_key: str, version: int) -> None:
    """Keep a version read from the database, without ringing."""
    client = redis_client()
    if client is None:
        cache.add(version_key(live_key), version, VERSION_TTL)
        return
    try:
        client.set(version_key(live_key), version, ex=VERSION_TTL, nx=True)
    except Exception:  # noqa: BLE001
        pass


def known_version(live_key: str) -> int | None:
    """The last announced version, or None when it is not known without the database."""
    client = redis_client()
    if client is not None:
        try:
            value = client.get(version_key(live_key))
        except Exception:  # noqa: BLE001
            value = None
        return int(value) if value is not None else None
    value = cache.get(version_key(live_key))
    return int(value) if value is not None else None


# --- rendered fragments, per version --------------------------------------------------------------

FRAGMENT_TTL = 60 * 10


def fragment_key(live_key: str, variant: str, version: int, language: str) -> str:
    return f"coconnect:workshop:{live_key}:fragment:{variant}:{version}:{language}"


def fragment_get(key: str) -> str | None:
    """A fragment rendered earlier by our own templates, marked safe again.

    Redis hands back bytes: without mark_safe a template would escape the HTML a second time.
    """
    client = redis_client()
    if client is None:
        value = cache.get(key)
        return mark_safe(value) if value is not None else None
    try:
        value = client.get(key)
    except Exception:  # noqa: BLE001 - render it again
        return None
    return mark_safe(value.decode()) if value is not None else None


def fragments_set(fragments: dict[str, str]) -> None:
    client = redis_client()
    if client is None:
        cache.set_many(fragments, FRAGMENT_TTL)
        return
    try:
        pipe = client.pipeline(transaction=False)
        for key, html in fragments.items():
            pipe.set(key, html.encode(), ex=FRAGMENT_TTL)
        pipe.execute()
    except Exception:  # noqa: BLE001
        pass
