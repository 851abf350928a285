"""Redis away: every page and link keeps working.

The cache points at a closed port (REDIS_URL too). Every trajectory page of the permission
matrix is opened by the demo's facilitator, manager and a participant; none may answer 5xx.
"""

import logging
import socket

import pytest
from django.core.cache import cache
from django.core.management import call_command

from coconnect import cache as resilient_cache
from tests import factories
from tests.test_permission_matrix import TRAJECTORY_ROUTES, _url
from tests.test_platform_invite_rate_limit import _served_status
from trajectories.models import Participant, Trajectory
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

APPS = {
    "belangen": "interests",
    "bijeenkomsten": "workshops",
    "verbeteringen": "improvements",
    "gezondheid": "health",
    "rapportages": "reports",
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_away(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "coconnect.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "coconnect",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    resilient_cache.outage.forget()  # forget any earlier outage of this process
    yield url
    resilient_cache.outage.forget()


def _app_of(route: str) -> str:
    parts = route.split("/")
    return APPS.get(parts[2], "trajectories") if len(parts) > 2 else "trajectories"


@pytest.fixture
def demo(redis_away):
    call_command("load_demo", verbosity=0)
    return Trajectory.objects.get(memberships__user__username="demo")


def _signed_in(client, role, demo):
    if role == "participant":
        participant = Participant.objects.filter(partner__trajectory=demo).order_by("pk").first()
        factories.login_participant(client, participant)
    else:
        client.force_login(demo.memberships.get(user__username=role).user)
    return client


CASES = [
    pytest.param(role, app, id=f"{role}-{app}")
    for role in ("demo", "manager", "participant")
    for app in ("trajectories", *APPS.values())
]


@pytest.mark.parametrize("role, app", CASES)
def test_every_page_answers_without_redis(client, demo, role, app):
    client = _signed_in(client, role, demo)
    errors = []
    for route in TRAJECTORY_ROUTES:
        if _app_of(route) != app:
            continue
        url = _url(route, demo.pk, demo)
        status = client.get(url).status_code
        if status >= 500:
            errors.append(f"GET {url} -> {status}")
    assert errors == []


def test_live_addresses_answer_without_redis(client, demo):
    workshop = Workshop.objects.filter(trajectory=demo).order_by("pk").first()
    client = _signed_in(client, "participant", demo)
    for url in (f"/live/{workshop.live_key}/version/?v=0", "/", "/healthz/"):
        assert client.get(url).status_code < 500, url


def test_a_valid_invite_link_opens_without_redis(client, redis_away, participant):
    _link, token = factories.make_invite(participant)
    assert client.get(f"/i/{token}/").status_code == 302


def test_the_cache_answers_as_empty_and_logs_the_outage_once(redis_away, caplog):
    with caplog.at_level(logging.WARNING, logger="coconnect.cache"):
        assert cache.get("anything", "default") == "default"
        cache.set("anything", 1)
        assert cache.add("claim", 1) is True  # whoever asks does the work
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_the_live_version_poll_served_in_front_of_django_answers_without_redis(demo):
    workshop = Workshop.objects.filter(trajectory=demo).order_by("pk").first()
    status = _served_status(f"/live/{workshop.live_key}/version/", client=("203.0.113.9", 5000))
    assert status < 500
