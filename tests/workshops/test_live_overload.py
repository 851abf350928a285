"""Overload: more requests than the database pool can serve wait in a bounded queue and are
answered, or are told to retry (503 + Retry-After), never failed with a 500."""

import asyncio

from tests.workshops.test_live import _run
from workshops import asgi


def test_requests_beyond_the_pool_queue_and_beyond_the_queue_are_told_to_retry(
    settings, monkeypatch
):
    settings.DB_POOL_MAX_SIZE = 1
    monkeypatch.setattr(asgi, "DJANGO_QUEUE", 1)

    async def scenario():
        release = asyncio.Event()
        inside = []

        async def django_app(scope, receive, send):
            inside.append(scope["path"])
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        app = asgi.live_router(django_app)

        async def call(path):
            sent = []

            async def receive():
                return {"type": "http.request", "body": b""}

            async def send(message):
                sent.append(message)

            await app({"type": "http", "path": path, "query_string": b""}, receive, send)
            return sent[0]["status"], dict(sent[0]["headers"])

        first = asyncio.ensure_future(call("/first/"))
        await asyncio.sleep(0.05)
        second = asyncio.ensure_future(call("/second/"))  # waits its turn
        await asyncio.sleep(0.05)
        third_status, third_headers = await call("/third/")  # the queue is full
        assert inside == ["/first/"]
        release.set()
        return (await first)[0], (await second)[0], third_status, third_headers, inside

    first, second, third, headers, inside = _run(scenario())
    assert (first, second, third) == (200, 200, 503)
    assert headers[b"retry-after"] == asgi.RETRY_AFTER
    assert inside == ["/first/", "/second/"]


def test_a_request_that_waits_too_long_is_told_to_retry(settings, monkeypatch):
    settings.DB_POOL_MAX_SIZE = 1
    monkeypatch.setattr(asgi, "DJANGO_WAIT", 0.1)

    async def scenario():
        release = asyncio.Event()

        async def django_app(scope, receive, send):
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        app = asgi.live_router(django_app)
        statuses = []

        async def call():
            async def receive():
                return {"type": "http.request", "body": b""}

            async def send(message):
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            await app({"type": "http", "path": "/x/", "query_string": b""}, receive, send)

        first = asyncio.ensure_future(call())
        await asyncio.sleep(0.02)
        await call()
        release.set()
        await first
        return statuses

    assert _run(scenario()) == [503, 200]
