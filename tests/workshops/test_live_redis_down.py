"""Redis unreachable: every live route keeps answering, screens fall back to polling."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import Client

from tests import factories
from tests.concurrency import run_together
from tests.workshops.conftest import add_item, make_workshop
from workshops import doorbell, services
from workshops.asgi import live_router
from workshops.live_render import shared_token
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_away(settings):
    """Redis unreachable for everything: the doorbell, pub/sub and Django's cache."""
    settings.REDIS_URL = CLOSED_PORT
    settings.CACHES = {
        "default": {"BACKEND": "coconnect.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT}
    }
    doorbell._redis.cache_clear()
    yield
    doorbell._redis.cache_clear()


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def test_console_and_its_actions_answer_without_redis(
    redis_away, facilitator_client, live_workshop, django_capture_on_commit_callbacks
):
    assert facilitator_client.get(_url(live_workshop, "regie/")).status_code == 200
    for action in ("next", "previous", "timer-start", "close"):
        with django_capture_on_commit_callbacks(execute=True):
            response = facilitator_client.post(
                _url(live_workshop, f"regie/{action}/"), headers={"HX-Request": "true"}
            )
        assert response.status_code == 200, action


def test_phone_page_heartbeat_and_doorbell_answer_without_redis(
    redis_away, participant_client, live_workshop, participant, client
):
    assert participant_client.get(_url(live_workshop, "live/")).status_code == 200
    assert (
        participant_client.get(
            _url(live_workshop, "live/"), headers={"HX-Request": "true"}
        ).status_code
        == 200
    )
    assert participant_client.post(_url(live_workshop, "live/hier/")).status_code == 204
    version = client.get(f"/live/{live_workshop.live_key}/version/", {"v": 0})
    assert version.status_code == 200
    assert client.get(f"/live/{live_workshop.live_key}/events/").status_code == 204
    html = participant_client.get(_url(live_workshop, "live/")).content.decode()
    shared = re.search(r'data-shared-url="([^"]+)"', html)[1]
    assert client.get(shared, {"v": live_workshop.version}).status_code == 200


def test_projector_and_dots_answer_without_redis(
    redis_away, facilitator, participant_client, live_workshop
):
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    services.workshop_go(workshop=live_workshop, offset=1)
    option = live_workshop.items.get(kind="dot_voting").options.first()
    response = participant_client.post(
        _url(live_workshop, "live/stip/"), {"option": option.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert facilitator_client.get(_url(live_workshop, "scherm/")).status_code == 200


def test_a_retried_next_moves_once(facilitator_client, live_workshop):
    items = list(live_workshop.items.order_by("position"))
    data = {"from": items[0].pk, "to": items[1].pk}
    for _ in range(2):  # the first answer got lost; the facilitator presses again
        facilitator_client.post(_url(live_workshop, "regie/next/"), data)
    live_workshop.refresh_from_db()
    assert live_workshop.current_item == items[1]


def test_a_retried_previous_moves_once(facilitator_client, live_workshop):
    items = list(live_workshop.items.order_by("position"))
    services.workshop_go(workshop=live_workshop, item=items[2])
    data = {"from": items[2].pk, "to": items[1].pk}
    for _ in range(2):
        facilitator_client.post(_url(live_workshop, "regie/previous/"), data)
    live_workshop.refresh_from_db()
    assert live_workshop.current_item == items[1]
    assert AgendaItem.objects.count() == 3


def _asgi_call(app, path, query=b""):
    """One GET through the live router in a thread of its own; (status, body)."""

    async def scenario():
        sent = []

        async def receive():
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        try:
            await app(
                {"type": "http", "path": path, "query_string": query, "method": "GET"},
                receive,
                send,
            )
        finally:
            await sync_to_async(connections.close_all)()
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


@pytest.mark.django_db(transaction=True)
def test_asgi_doorbell_answers_without_redis_and_sends_screens_to_polling(redis_away, trajectory):
    workshop = make_workshop(trajectory)

    async def django_app(scope, receive, send):
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = live_router(django_app)
    version = f"/live/{workshop.live_key}/version/"
    assert _asgi_call(app, version, b"v=0") == (200, str(workshop.version).encode())
    assert _asgi_call(app, version, f"v={workshop.version}".encode())[0] == 204
    # No stream without Redis: 204 tells the page to poll (as in an installation without Redis).
    assert _asgi_call(app, f"/live/{workshop.live_key}/events/")[0] == 204
    # A phone's shared fragment goes on to Django, which checks the link in the database.
    partner = factories.make_partner(trajectory, "Gemeente")
    link, _token = factories.make_invite(factories.make_participant(partner))
    variant = f"partner-{partner.pk}"
    token = shared_token(workshop.live_key, variant, link.pk)
    shared = f"/live/{workshop.live_key}/s/{variant}/{link.pk}/{token}/nl/"
    assert _asgi_call(app, shared, f"v={workshop.version}".encode())[0] == 299


def test_simultaneous_retries_of_next_move_once(
    postgres, transactional_db, trajectory, facilitator
):
    workshop = make_workshop(trajectory)
    items = [add_item(workshop, AgendaItem.Kind.CHECK_IN, f"Punt {n}") for n in range(4)]
    services.workshop_start(workshop=workshop)
    consoles = []
    for _ in range(4):
        console = Client()
        console.force_login(facilitator)
        consoles.append(console)
    data = {"from": items[0].pk, "to": items[1].pk}

    def press(console):
        return lambda: console.post(_url(workshop, "regie/next/"), data)

    assert run_together([press(console) for console in consoles]) == []
    workshop.refresh_from_db()
    assert workshop.current_item_id == items[1].pk
