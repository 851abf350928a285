"""A revoked, replaced, expired or deleted invite link stops every live address it opened."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from tests.workshops.test_live_redis_down import _asgi_call
from trajectories import services as trajectory_services
from workshops import doorbell, services
from workshops.asgi import live_router
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def _phone_page(client, workshop):
    return client.get(f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/live/")


def _shared_address(client, workshop) -> str:
    """The shared fragment's address, as the phone's page hands it out."""
    html = _phone_page(client, workshop).content.decode()
    return re.search(r'data-shared-url="([^"]+)"', html)[1]


def _fetch(address, workshop):
    return Client().get(address, {"v": workshop.version})  # no cookies, as the phone fetches


def test_the_address_works_for_a_usable_link(participant_client, live_workshop):
    address = _shared_address(participant_client, live_workshop)
    response = _fetch(address, live_workshop)
    assert response.status_code == 200
    assert "Hoe komt u binnen?" in response.content.decode()


@pytest.mark.parametrize(
    "stop",
    [
        lambda participant: trajectory_services.invite_revoke(participant=participant),
        lambda participant: trajectory_services.invite_issue(participant=participant),
        lambda participant: participant.invite_links.update(
            expires_at=timezone.now() - timedelta(minutes=1)
        ),
        lambda participant: participant.delete(),
    ],
    ids=["revoked", "re-issued", "expired", "participant-removed"],
)
def test_a_link_that_stopped_stops_its_shared_address_at_once(
    stop, participant_client, live_workshop, participant
):
    address = _shared_address(participant_client, live_workshop)
    assert _fetch(address, live_workshop).status_code == 200  # rendered and cached
    stop(participant)
    response = _fetch(address, live_workshop)
    assert response.status_code in (403, 404, 410)
    assert "Hoe komt u binnen?" not in response.content.decode()


def test_the_refusal_is_the_invite_refused_page(participant_client, live_workshop, participant):
    address = _shared_address(participant_client, live_workshop)
    trajectory_services.invite_revoke(participant=participant)
    response = Client().get(address)
    assert response.status_code == 410
    assert "ingetrokken" in response.content.decode()


def test_a_colleagues_revocation_leaves_my_address_working(
    participant_client, live_workshop, second_participant
):
    address = _shared_address(participant_client, live_workshop)
    factories.make_invite(second_participant)
    trajectory_services.invite_revoke(participant=second_participant)
    assert _fetch(address, live_workshop).status_code == 200


def test_an_address_with_another_invite_id_is_404(participant_client, live_workshop):
    address = _shared_address(participant_client, live_workshop)
    forged = re.sub(r"/(\d+)/([0-9a-f]{32})/", lambda m: f"/{int(m[1]) + 1}/{m[2]}/", address)
    assert forged != address
    assert _fetch(forged, live_workshop).status_code == 404


def _admin_revokes(participant, admin_client):
    link = participant.invite_links.usable().get()
    response = admin_client.post(
        "/admin/trajectories/invitelink/", {"action": "revoke", "_selected_action": [link.pk]}
    )
    assert response.status_code == 302


def _admin_lets_it_expire(participant, admin_client):
    link = participant.invite_links.usable().get()
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()  # as the admin's change form does


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "stop",
    [
        lambda participant, _admin: trajectory_services.invite_revoke(participant=participant),
        lambda participant, _admin: trajectory_services.invite_issue(participant=participant),
        lambda participant, _admin: participant.delete(),
        _admin_revokes,
        _admin_lets_it_expire,
    ],
    ids=["revoked", "re-issued", "participant-removed", "admin-revoked", "admin-expired"],
)
def test_asgi_stops_serving_the_cached_fragment_at_once(stop, settings, trajectory, admin_client):
    _asgi_scenario(stop, settings, trajectory, admin_client, redis_url="")


@pytest.mark.django_db(transaction=True)
def test_asgi_stops_serving_the_cached_fragment_at_once_through_redis(
    settings, trajectory, admin_client, redis_url
):
    doorbell._redis.cache_clear()
    try:
        _asgi_scenario(
            lambda participant, _admin: trajectory_services.invite_revoke(participant=participant),
            settings,
            trajectory,
            admin_client,
            redis_url=redis_url,
        )
    finally:
        doorbell._redis.cache_clear()


def _asgi_scenario(stop, settings, trajectory, admin_client, *, redis_url):
    settings.REDIS_URL = redis_url
    participant = factories.make_participant(factories.make_partner(trajectory, "Gemeente"))
    workshop = make_workshop(trajectory)
    add_item(workshop, title="Welkom")
    services.workshop_start(workshop=workshop)
    workshop = Workshop.objects.get(pk=workshop.pk)
    phone = factories.login_participant(Client(), participant)
    if redis_url:
        # Invite ids repeat across test databases that share this Redis: no pass of another's.
        invite = participant.invite_links.usable().get()
        doorbell.store().delete(doorbell.pass_key(invite.pk))
    address = _shared_address(phone, workshop)
    assert _fetch(address, workshop).status_code == 200  # Django renders, caches, lets it in
    reached_django = []

    async def django_app(scope, receive, send):
        reached_django.append(scope["path"])
        await send({"type": "http.response.start", "status": 410, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = live_router(django_app)
    query = f"v={workshop.version}".encode()
    status, body = _asgi_call(app, address, query)
    assert status == 200 and b"Welkom" in body and reached_django == []
    stop(participant, admin_client)
    status, body = _asgi_call(app, address, query)
    assert b"Welkom" not in body
    assert reached_django == [address]  # Django looks at the link and refuses it


@pytest.mark.parametrize("store", ["redis", "cache"])
def test_a_closed_pass_is_never_reopened_by_a_grant_racing_with_it(store, settings, request):
    settings.REDIS_URL = request.getfixturevalue("redis_url") if store == "redis" else ""
    doorbell._redis.cache_clear()
    invite_id = 10**9 + (1 if store == "redis" else 2)
    try:
        if doorbell.store() is not None:
            doorbell.store().delete(doorbell.pass_key(invite_id))
        assert not doorbell.pass_open(invite_id)
        doorbell.pass_grant(invite_id, 60)
        assert doorbell.pass_open(invite_id)
        doorbell.passes_close([invite_id])
        assert not doorbell.pass_open(invite_id)
        doorbell.pass_grant(invite_id, 60)  # a request that checked the link just before
        assert not doorbell.pass_open(invite_id)
    finally:
        if doorbell.store() is not None:
            doorbell.store().delete(doorbell.pass_key(invite_id))
        doorbell._redis.cache_clear()
