"""The doorbell: where the current version of each live workshop is kept and announced.

Each workshop has two doorbells: its live key rings the room (the projector and the phones) for
changes they show, its console key (live key + CONSOLE) rings the facilitator's console for every
change. One store holds the versions, the rendered fragments and the live passes: Redis when the
installation has one (settings.REDIS_URL), else this process's cache through `LocalStore`, which
answers the few Redis commands used here. Each function below is written once, for either. With
Redis, bumps are also published on a pub/sub channel (debounced: announce), which the ASGI
endpoints in workshops/asgi.py follow without touching the database.
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
FRAGMENT_TTL = 60 * 10
PASS_SECONDS = 60 * 15  # a pass is checked against the database again after this long
OPEN, CLOSED = b"1", b"0"
# A room placing dots changes the workshop many times a second: ring at once, then at most once
# per RING_SECONDS; changes within that time ring once more at its end, with the newest version.
RING_SECONDS = 0.25
CONSOLE = "-console"

# Versions and fragments are stored as b"<version>" or b"<version>\n<html>"; a value is only ever
# replaced by one of the same or a newer version, also when two changes commit in the other order.
SET_NEWER = """
local old = redis.call('GET', KEYS[1])
if old and tonumber(string.match(old, '^(%d+)')) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


def redis_key(*parts) -> str:
    """A raw Redis key or channel, under the cache's prefix: installations (and test runs) that
    share one Redis never read each other's versions, fragments or passes."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "coconnect"
    return ":".join([prefix, *map(str, parts)])


def version_key(live_key: str) -> str:
    return redis_key("workshop", live_key, "version")


def channel(live_key: str) -> str:
    return redis_key("workshop", live_key)


def fragment_key(live_key: str, variant: str, language: str) -> str:
    return redis_key("workshop", live_key, "fragment", variant, language)


def language_key(live_key: str, language: str) -> str:
    return redis_key("workshop", live_key, "language", language)


def pass_key(invite_id: int) -> str:
    return redis_key("invite", invite_id, "live")


def parse(value: bytes | None, version: int = 0) -> tuple[int, bytes] | None:
    """(version, payload) of a stored value when it is of `version` or newer."""
    if value is None:
        return None
    stored, _, payload = value.partition(b"\n")
    return (int(stored), payload) if stored.isdigit() and int(stored) >= version else None


class LocalStore:
    """This process's cache, answering the Redis commands the doorbell uses (no Redis here)."""

    def get(self, key):
        return cache.get(key)

    def mget(self, keys):
        found = cache.get_many(keys)
        return [found.get(key) for key in keys]

    def set(self, key, value, ex=None, nx=False, px=None):
        value = value if isinstance(value, bytes) else str(value).encode()
        timeout = ex if ex is not None else (px / 1000 if px else None)
        return cache.add(key, value, timeout) if nx else cache.set(key, value, timeout) or True

    def delete(self, key):
        cache.delete(key)

    def eval(self, script, _numkeys, key, version, value, ttl):
        assert script is SET_NEWER
        if parse(cache.get(key), int(version) + 1) is None:
            self.set(key, value, ex=ttl)

    def pipeline(self, transaction=False):
        return self

    def execute(self):
        return []


@functools.cache
def _redis(url: str):
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def store():
    """The doorbell's store; None while Redis is away (and for a few seconds after it failed, so
    that a request during an outage pays no connection timeout per call: the cache's outage
    record, coconnect/cache.py, is the one view of whether Redis is there)."""
    if not settings.REDIS_URL:
        return LocalStore()
    return None if outage.cooling_down() else _redis(settings.REDIS_URL)


def _using(default, action):
    """`action(store)`, or `default` while Redis is away."""
    client = store()
    if client is None:
        return default
    try:
        return action(client)
    except Exception as error:  # noqa: BLE001 - the screens fall back to the database
        if isinstance(error, REDIS_AWAY):
            outage.failed(error)
        return default


def _set_newer(client, key: str, version: int, value: bytes, ttl: int) -> None:
    client.eval(SET_NEWER, 1, key, version, value, ttl)


# --- versions and the ring ------------------------------------------------------------------------


def announce(live_key: str, version: int, *, room: bool = True) -> None:
    """Store the new version and ring the console, and the room when `room` (debounced, above)."""
    for key in [live_key] * room + [live_key + CONSOLE]:
        _using(None, functools.partial(_ring, key=key, version=version))


def _ring(client, *, key: str, version: int) -> None:
    _set_newer(client, version_key(key), version, str(version).encode(), VERSION_TTL)
    if not settings.REDIS_URL:
        return  # no streams without Redis: the screens poll
    window = int(RING_SECONDS * 1000)
    if client.set(redis_key("workshop", key, "rang"), 1, nx=True, px=window):
        client.publish(channel(key), str(version))
    elif client.set(redis_key("workshop", key, "again"), 1, nx=True, px=4 * window):
        timer = threading.Timer(RING_SECONDS, _ring_newest, [key])
        timer.daemon = True
        timer.start()


def _ring_newest(live_key: str) -> None:
    def ring(client):
        client.delete(redis_key("workshop", live_key, "again"))
        version = client.get(version_key(live_key))
        if version is not None:
            client.set(redis_key("workshop", live_key, "rang"), 1, px=int(RING_SECONDS * 1000))
            client.publish(channel(live_key), version)

    _using(None, ring)


def remember(live_key: str, version: int) -> None:
    """Keep a version read from the database, without ringing."""
    _using(None, lambda c: c.set(version_key(live_key), version, ex=VERSION_TTL, nx=True))


def known_version(live_key: str) -> int | None:
    """The last announced version, or None when it is not known without the database."""
    value = parse(_using(None, lambda c: c.get(version_key(live_key))))
    return value[0] if value else None


# --- rendered fragments: the newest one per screen kind ------------------------------------------
#
# A change renders the room's fragments for its version before it rings (live_render.prerender),
# in each language a screen of the workshop was rendered in lately, so the phones rung for it find
# them here. A screen in a language not seen yet is rendered by Django on its first fetch.
#
# One key per (workshop, variant, language) holds the newest rendering. A screen rung for version
# N takes it when it is N or newer: a bump while hundreds of phones fetch never sends them past
# the store to Django. A slower rendering of an older version never replaces a newer one.


def fragment_get(key: str, version: int) -> str | None:
    """A fragment rendered earlier by our own templates (version or newer), marked safe again:
    the store hands back bytes, which a template would otherwise escape a second time."""
    value = parse(_using(None, lambda c: c.get(key)), version)
    return mark_safe(value[1].decode()) if value else None


def languages_seen(live_key: str) -> list[str]:
    """The languages this workshop's screens were rendered in lately; the default one always."""
    codes = [code for code, _name in settings.LANGUAGES]
    keys = [language_key(live_key, code) for code in codes]
    seen = _using([None] * len(codes), lambda c: c.mget(keys))
    return [
        code
        for code, mark in zip(codes, seen, strict=True)
        if mark or code == settings.LANGUAGE_CODE
    ]


def language_seen(live_key: str, language: str) -> None:
    _using(None, lambda c: c.set(language_key(live_key, language), 1, ex=VERSION_TTL))


def fragments_set(fragments: dict[str, str], version: int) -> None:
    def store_all(client):
        pipe = client.pipeline(transaction=False)
        for key, html in fragments.items():
            _set_newer(pipe, key, version, f"{version}\n{html}".encode(), FRAGMENT_TTL)
        pipe.execute()

    _using(None, store_all)


# --- live passes: the invite links that may still read the phones' shared fragments -------------
#
# A phone fetches its partner's shared fragment without a session, by an address that names its
# invite link (workshops/live_render.shared_token). The address works only while the link has a
# pass here: Django grants one after checking the link in the database, the ASGI front door reads
# it with the fragment itself, and revoking, replacing or deleting the link closes it at once.


def pass_grant(invite_id: int, seconds: int = PASS_SECONDS) -> None:
    """Let a link that the database just found usable read, for at most `seconds`.

    Never overrides a closed pass: a grant racing with a revocation loses.
    """
    seconds = max(1, min(int(seconds), PASS_SECONDS))
    _using(None, lambda c: c.set(pass_key(invite_id), OPEN, ex=seconds, nx=True))


def passes_close(invite_ids) -> None:
    """Close these links' addresses at once; the mark outlives any grant given before it."""

    def close(client):
        pipe = client.pipeline(transaction=False)
        for pk in invite_ids:
            pipe.set(pass_key(pk), CLOSED, ex=PASS_SECONDS)
        pipe.execute()

    _using(None, close)


def pass_open(invite_id: int) -> bool:
    return _using(None, lambda c: c.get(pass_key(invite_id))) == OPEN
