"""Two worker processes sharing Redis: a change handled by one reaches a phone on the other.

Each "process" is an ASGI application of its own on an event loop of its own (the doorbell's
Redis subscription and fragment waiters are per loop, as they are per process in production).
"""

import asyncio
import re
import threading

import pytest
from django.core.asgi import get_asgi_application
from django.test import Client

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from tests.workshops.test_live import _run, _shared_path
from workshops import doorbell, services
from workshops.asgi import live_router
from workshops.models import AgendaItem, Workshop


async def _call(app, path, *, method="GET", headers=(), body=b"", until=None):
    """One request; for a stream, reads until `until` is in the body, then disconnects."""
    sent = []
    done = asyncio.Event()
    unread = [{"type": "http.request", "body": body}]

    async def receive():
        if unread:
            return unread.pop()
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if until and until in b"".join(m.get("body", b"") for m in sent[1:]):
            done.set()

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), *headers],
        "server": ("testserver", 80),
        "scheme": "http",
    }
    await asyncio.wait_for(app(scope, receive, send), 10)
    head = sent[0]
    headers = {name.lower(): value for name, value in head["headers"]}
    return head["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.django_db(transaction=True)
def test_a_phone_on_the_second_process_gets_the_change_handled_by_the_first(
    trajectory, facilitator, participant, settings, redis_url
):
    settings.REDIS_URL = redis_url
    settings.ALLOWED_HOSTS = ["testserver"]
    doorbell._redis.cache_clear()
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Welkom")
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "TWEEDE-PUNT")
    workshop = services.workshop_start(workshop=workshop)
    link, _token = factories.make_invite(participant)
    doorbell.store().delete(doorbell.pass_key(link.pk))  # another test database's
    console = Client()
    console.force_login(facilitator)
    cookie = f"sessionid={console.cookies['sessionid'].value}"
    console_path = f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/regie/"
    phone_shared = _shared_path(workshop, f"partner-{participant.partner_id}", invite=link.pk)
    first, second = live_router(get_asgi_application()), live_router(get_asgi_application())

    # The second process runs on a loop of its own, in a thread of its own.
    second_loop = asyncio.new_event_loop()
    thread = threading.Thread(target=second_loop.run_forever, daemon=True)
    thread.start()

    def on_second(coroutine):
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, second_loop))

    async def scenario():
        wanted = f"data: {workshop.version + 1}\n".encode()
        stream = on_second(_call(second, f"/live/{workshop.live_key}/events/", until=wanted))
        await asyncio.sleep(0.5)  # the phone's stream is open on the second process
        status, headers, _body = await _call(
            first, console_path, headers=[(b"cookie", cookie.encode())]
        )
        assert status == 200
        token = re.search(r"csrftoken=([^;]+)", headers[b"set-cookie"].decode()).group(1)
        status, _h, _b = await _call(
            first,
            console_path + "next/",
            method="POST",
            headers=[
                (b"cookie", f"{cookie}; csrftoken={token}".encode()),
                (b"x-csrftoken", token.encode()),
                (b"content-type", b"application/x-www-form-urlencoded"),
            ],
        )
        assert status == 302
        stream_status, _h, stream_body = await stream
        shared = await on_second(_call(second, f"{phone_shared}?v={workshop.version + 1}"))
        return stream_status, stream_body, shared

    try:
        stream_status, stream_body, shared = _run(scenario())
    finally:
        second_loop.call_soon_threadsafe(second_loop.stop)
        thread.join(5)
        doorbell._redis.cache_clear()
    assert stream_status == 200
    assert f"data: {workshop.version + 1}\n".encode() in stream_body
    assert shared[0] == 200 and b"TWEEDE-PUNT" in shared[2]
    assert Workshop.objects.get(pk=workshop.pk).current_item.title == "TWEEDE-PUNT"
