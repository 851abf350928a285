"""Database-free live endpoints, served in front of Django (see coconnect/asgi.py).

    GET /live/<live_key>/version/?v=N   204 when N is current, else 200 with the current version
    GET /live/<live_key>/events/        Server-Sent Events: `event: version` on every bump
                                        (204 without Redis, or while it is away: the page polls)
    GET /live/<live_key>/s/<variant>/<invite>/<token>/<language>/?v=N
                                        a phone's shared fragment, when it is stored and the
                                        invite link holds its pass (doorbell.pass_open); else
                                        Django checks the link, renders and grants the pass

They answer from Redis (or, without Redis, from this process's cache) and touch neither the
session nor the database on their usual path. The live key is an unguessable token that only
pages behind trajectories.access show, so these endpoints reveal nothing to strangers.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from urllib.parse import parse_qs

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils.crypto import constant_time_compare

from . import doorbell
from .live_render import shared_token
from .models import Workshop

LIVE_PATH = re.compile(r"^/live/(?P<key>[A-Za-z0-9_-]{8,40})/(?P<what>version|events)/$")
SHARED_PATH = re.compile(
    r"^/live/(?P<key>[A-Za-z0-9_-]{8,40})/s/(?P<variant>[a-z0-9-]{1,40})/(?P<invite>[0-9]{1,12})"
    r"/(?P<token>[0-9a-f]{32})/(?P<language>[a-z-]{2,10})/$"
)
KEEPALIVE_SECONDS = 15
# A stream ends after this long; the browser's EventSource reconnects and gets the version anew.
STREAM_SECONDS = 300

NO_STORE = [(b"cache-control", b"no-store")]


def _db_version(key: str) -> int | None:
    live_key = key.removesuffix(doorbell.CONSOLE)
    version = Workshop.objects.filter(live_key=live_key).values_list("version", flat=True).first()
    if version is not None:
        doorbell.remember(key, version)
    return version


class _RedisState:
    """One async Redis client and one pub/sub subscription per process, shared by all streams."""

    def __init__(self, url: str):
        self.url = url
        # Hundreds of streams and polls share a bounded pool; a request waits for a free connection.
        # A Redis that went away must fail fast, so the screens fall back to polling at once.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=64, timeout=5, socket_connect_timeout=1
        )
        self.client = aioredis.Redis(connection_pool=pool)
        self.listeners: dict[str, set[asyncio.Queue]] = {}
        self.task: asyncio.Task | None = None

    def listen(self, live_key: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=16)
        self.listeners.setdefault(doorbell.channel(live_key), set()).add(queue)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._pump())
        return queue

    def forget(self, live_key: str, queue: asyncio.Queue) -> None:
        queues = self.listeners.get(doorbell.channel(live_key))
        if queues is not None:
            queues.discard(queue)

    async def _pump(self):
        pubsub = self.client.pubsub()
        try:
            await pubsub.psubscribe(doorbell.channel("*"))
            async for message in pubsub.listen():
                if message.get("type") != "pmessage":
                    continue
                self._tell(message["channel"].decode(), int(message["data"]))
        except Exception:  # noqa: BLE001 - Redis went away: end every stream (see below)
            pass
        finally:
            # Without the subscription no stream would ring again: end them all, so that each
            # screen polls until its EventSource finds a working stream again.
            for channel in list(self.listeners):
                self._tell(channel, None)
            try:
                await pubsub.aclose()
            except Exception:  # noqa: BLE001
                pass

    def _tell(self, channel: str, version: int | None) -> None:
        for queue in list(self.listeners.get(channel, ())):
            self.tell(queue, version)

    @staticmethod
    def tell(queue: asyncio.Queue, version: int | None) -> None:
        if queue.full():
            queue.get_nowait()  # only the newest version matters
        queue.put_nowait(version)


# One state per event loop (uvicorn runs one; tests may start several in turn).
_states: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_state() -> _RedisState | None:
    if not settings.REDIS_URL:
        return None
    loop = asyncio.get_running_loop()
    state = _states.get(loop)
    if state is None or state.url != settings.REDIS_URL:
        state = _states[loop] = _RedisState(settings.REDIS_URL)
    return state


async def _values(*keys) -> list[bytes | None]:
    """The stored values of these keys, in one round trip: Redis, or this process's cache."""
    state = _redis_state()
    if state is None:
        return doorbell.LocalStore().mget(keys)
    return await state.client.mget(keys)


async def current_version(key: str) -> int | None:
    """The version a doorbell key last rang for; from the database when the store lacks it.
    Raises when Redis is away."""
    [value] = await _values(doorbell.version_key(key))
    stored = doorbell.parse(value)
    return stored[0] if stored else await sync_to_async(_db_version)(key)


async def _respond(send, status: int, body: bytes = b"", content_type: bytes = b"text/plain"):
    headers = [
        *NO_STORE,
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def version_endpoint(scope, receive, send, key: str):
    try:
        version = await current_version(key)
    except Exception:  # noqa: BLE001 - Redis away: ask the database
        version = await sync_to_async(_db_version)(key)
    if version is None:
        return await _respond(send, 404)
    seen = parse_qs(scope.get("query_string", b"").decode()).get("v", [""])[0]
    # A screen may hold a newer version than its doorbell rang for: a change it does not show
    # raised the workshop's version without ringing it (services.workshop_bump).
    if seen.isdigit() and int(seen) >= version:
        return await _respond(send, 204)
    return await _respond(send, 200, str(version).encode())


async def events_endpoint(scope, receive, send, live_key: str):
    state = _redis_state()
    if state is None:
        # No Redis in this installation: the page polls instead.
        return await _respond(send, 204)
    try:
        version = await current_version(live_key)
    except Exception:  # noqa: BLE001 - Redis away: no stream now, the page polls meanwhile
        return await _respond(send, 204)
    if version is None:
        return await _respond(send, 404)
    queue = state.listen(live_key)
    headers = [
        *NO_STORE,
        (b"content-type", b"text/event-stream"),
        (b"x-accel-buffering", b"no"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})

    disconnected = asyncio.Event()

    async def watch_disconnect():
        while (await receive())["type"] != "http.disconnect":
            pass
        disconnected.set()
        state.tell(queue, None)  # wakes the stream up to end

    loop = asyncio.get_running_loop()
    watcher = loop.create_task(watch_disconnect())
    deadline = loop.time() + STREAM_SECONDS
    chunk = f"retry: 2000\nevent: version\ndata: {version}\n\n"
    try:
        while True:
            await send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})
            if loop.time() >= deadline:
                break
            try:
                async with asyncio.timeout(KEEPALIVE_SECONDS):
                    version = await queue.get()
            except TimeoutError:
                chunk = ": keep-alive\n\n"
                continue
            if version is None:
                break  # the browser left, or the subscription ended: it reconnects or polls
            chunk = f"event: version\ndata: {version}\n\n"
        if not disconnected.is_set():
            await send({"type": "http.response.body", "body": b""})
    except OSError:
        pass
    finally:
        state.forget(live_key, queue)
        watcher.cancel()


async def cached_shared(scope, match) -> bytes | None:
    """The phone's shared fragment from the store, when its invite link holds a pass and the
    fragment of the version asked (or a newer one) is there; else None, and Django answers.

    A change renders the room's fragments before it rings (live_render.prerender), so phones
    rung for it find them here; a miss (a language no screen was shown in yet, a store that lost
    its keys) goes on to Django, behind the overload gate below."""
    invite = int(match["invite"])
    token = shared_token(match["key"], match["variant"], invite)
    if not constant_time_compare(match["token"], token):
        return None  # Django answers 404
    version = parse_qs(scope.get("query_string", b"").decode()).get("v", [""])[0]
    if not version.isdigit():
        return None
    key = doorbell.fragment_key(match["key"], match["variant"], match["language"])
    try:
        # Whether the link holds its pass, and the fragment: one round trip.
        opened, value = await _values(doorbell.pass_key(invite), key)
    except Exception:  # noqa: BLE001 - Redis away: Django renders it
        return None
    if opened != doorbell.OPEN:
        return None  # Django checks the link in the database, then grants a pass
    stored = doorbell.parse(value, int(version))
    return stored[1] if stored else None


# Overload: each request in Django holds a database connection, so no more go in at once than the
# pool has (DB_POOL_MAX_SIZE); up to DJANGO_QUEUE more wait their turn, for at most DJANGO_WAIT
# seconds. Whoever finds the queue full, or waits too long, is told to retry (503 + Retry-After,
# which workshops.js honours) instead of failing on the pool with a 500. Streams and cached
# fragments never queue.
DJANGO_QUEUE = 300
DJANGO_WAIT = 8.0
RETRY_AFTER = b"2"
_gates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # loop -> [semaphore, waiting]


async def _admitted(django_app, scope, receive, send):
    gate = _gates.get(asyncio.get_running_loop())
    if gate is None:
        limit = settings.DB_POOL_MAX_SIZE or 10
        gate = _gates[asyncio.get_running_loop()] = [asyncio.Semaphore(limit), 0]
    semaphore = gate[0]
    if semaphore.locked() and gate[1] >= DJANGO_QUEUE:
        return await _busy(send)
    gate[1] += 1
    try:
        await asyncio.wait_for(semaphore.acquire(), DJANGO_WAIT)
    except TimeoutError:
        return await _busy(send)
    finally:
        gate[1] -= 1
    try:
        return await django_app(scope, receive, send)
    finally:
        semaphore.release()


async def _busy(send):
    headers = [*NO_STORE, (b"retry-after", RETRY_AFTER), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def live_router(django_app):
    """Wrap the Django ASGI app: /live/<key>/… is answered here, everything else by Django."""

    async def app(scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            match = LIVE_PATH.match(path)
            if match:
                handler = version_endpoint if match["what"] == "version" else events_endpoint
                return await handler(scope, receive, send, match["key"])
            match = SHARED_PATH.match(path)
            html = await cached_shared(scope, match) if match else None
            if html is not None:
                return await _respond(send, 200, html, b"text/html; charset=utf-8")
            return await _admitted(django_app, scope, receive, send)
        return await django_app(scope, receive, send)

    return app
