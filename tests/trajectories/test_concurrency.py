"""Simultaneous double submits of the trajectories forms make one row (PostgreSQL).

Each creating form carries a hidden `submission_key` (coconnect/once.py); the database refuses a
second row for the same key, and the second request answers as if it had made the first.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.concurrency import post_together, race
from trajectories.models import Membership, Participant, Partner, Trajectory

SENDERS = 6


def _clients(user):
    clients = [Client() for _ in range(SENDERS)]
    for client in clients:
        client.force_login(user)
    return clients


def _key(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


@pytest.fixture
def world(postgres, transactional_db, facilitator, trajectory, partner):
    return {"facilitator": facilitator, "trajectory": trajectory, "partner": partner}


def test_simultaneous_new_trajectories_make_one(world):
    clients = _clients(world["facilitator"])
    data = {"name": "Tegelijk", "task": "T", "occasion": "start", "phase": "design"}
    data["submission_key"] = _key(clients[0], "/t/nieuw/")
    statuses = post_together(clients, "/t/nieuw/", data)
    assert Trajectory.objects.filter(name="Tegelijk").count() == 1
    assert set(statuses) == {302}


def test_simultaneous_new_partners_make_one(world):
    t = world["trajectory"].pk
    clients = _clients(world["facilitator"])
    data = {"name": "Tegelijk BV", "kind": "company"}
    data["submission_key"] = _key(clients[0], f"/t/{t}/partners/")
    statuses = post_together(clients, f"/t/{t}/partners/nieuw/", data)
    assert Partner.objects.filter(name="Tegelijk BV").count() == 1
    assert set(statuses) == {302}


def test_simultaneous_new_representatives_make_one(world):
    t, p = world["trajectory"].pk, world["partner"].pk
    url = f"/t/{t}/partners/{p}/vertegenwoordigers/nieuw/"
    clients = _clients(world["facilitator"])
    data = {"name": "Tegelijk", "email": "", "level": "board", "mandate": ""}
    data["submission_key"] = _key(clients[0], url)
    statuses = post_together(clients, url, data)
    assert Participant.objects.filter(name="Tegelijk").count() == 1
    assert set(statuses) == {302}


def test_one_name_sent_at_once_from_two_pages_makes_one_partner_and_no_error_page(world):
    """Two facilitators, two forms (two keys), one name: the database keeps one, both get an
    answer (the second one a message in the form)."""
    t = world["trajectory"].pk
    clients = _clients(world["facilitator"])

    def send(client, key):
        data = {"name": "Eén naam", "kind": "company", "submission_key": key}
        return lambda: client.post(f"/t/{t}/partners/nieuw/", data).status_code

    keys = [_key(client, f"/t/{t}/partners/") for client in clients]
    statuses, errors = race([send(c, k) for c, k in zip(clients, keys, strict=True)])
    assert errors == []
    assert Partner.objects.filter(name="Eén naam").count() == 1
    assert sorted(statuses) == [302] + [422] * (SENDERS - 1)


def test_simultaneous_adds_of_one_new_member_make_one_account_and_no_error_page(world):
    t = world["trajectory"].pk
    clients = _clients(world["facilitator"])
    data = {"email": "tegelijk@example.org", "role": "manager"}
    statuses = post_together(clients, f"/t/{t}/leden/toevoegen/", data)
    assert get_user_model().objects.filter(email__iexact="tegelijk@example.org").count() == 1
    assert (
        Membership.objects.filter(trajectory_id=t, user__email="tegelijk@example.org").count() == 1
    )
    assert 500 not in statuses
