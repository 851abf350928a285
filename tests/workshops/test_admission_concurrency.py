"""Knock and admit under simultaneous requests (PostgreSQL): one knock per submit, one
representative per admitted knock, whoever clicks at the same moment."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from tests.concurrency import post_together, race
from tests.workshops.conftest import make_workshop
from trajectories.models import InviteLink, Participant
from workshops.admission import SESSION_KNOCK_KEY
from workshops.models import Knock


@pytest.fixture
def door(postgres, transactional_db, trajectory):
    return make_workshop(trajectory, starts_at=timezone.now())


def test_the_same_knock_sent_twice_at_once_is_made_once(door, partner):
    client = Client()
    client.get(f"/doe-mee/{door.join_code}/")  # a session and a CSRF cookie, as the page gives
    data = {"partner": partner.pk, "name": "Sanne Bakker", "submission_key": uuid.uuid4()}
    statuses = post_together([client, client], f"/doe-mee/{door.join_code}/", data)
    assert statuses == [302, 302]
    assert Knock.objects.count() == 1


def test_admitting_at_the_same_moment_makes_one_representative(door, partner, facilitator):
    knocker = Client()
    knocker.post(
        f"/doe-mee/{door.join_code}/",
        {"partner": partner.pk, "name": "Sanne Bakker", "submission_key": uuid.uuid4()},
    )
    knock = Knock.objects.get(pk=knocker.session[SESSION_KNOCK_KEY]["knock"])
    people = Participant.objects.count()
    facilitators = [Client(), Client(), Client()]
    for client in facilitators:
        client.force_login(facilitator)
    url = f"/t/{door.trajectory_id}/bijeenkomsten/{door.pk}/wachtenden/{knock.pk}/toelaten/"
    statuses = post_together(facilitators, url, {}, headers={"HX-Request": "true"})
    assert statuses == [200, 200, 200]
    assert Participant.objects.count() == people + 1
    assert InviteLink.objects.filter(participant__name="Sanne Bakker").count() == 1


def test_admit_and_turn_away_at_once_decide_once(door, partner, facilitator):
    knocker = Client()
    knocker.post(
        f"/doe-mee/{door.join_code}/",
        {"partner": partner.pk, "name": "Sanne Bakker", "submission_key": uuid.uuid4()},
    )
    knock = Knock.objects.get()
    base = f"/t/{door.trajectory_id}/bijeenkomsten/{door.pk}/wachtenden/{knock.pk}/"
    admit, refuse = Client(), Client()
    for client in (admit, refuse):
        client.force_login(facilitator)
    results, errors = race(
        [
            lambda: admit.post(base + "toelaten/", headers={"HX-Request": "true"}).status_code,
            lambda: refuse.post(base + "weigeren/", headers={"HX-Request": "true"}).status_code,
        ]
    )
    assert errors == [] and results == [200, 200]
    knock.refresh_from_db()
    made = Participant.objects.filter(name="Sanne Bakker").count()
    assert (knock.status, made) in (("admitted", 1), ("turned_away", 0))
