"""The participant's welcome page leads with what to do now: a live workshop, an open round
still missing interests, an unanswered pulse, a position the package asks for, action items due;
each with its button, before the rest. It shows only the viewer's own organisation's work and
costs the same number of queries for a small and a large trajectory."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from health.models import Pulse, Response
from interests.models import InterestRound
from tests import factories
from tests.improvements.helpers import make_package, make_proposal, take_position
from tests.workshops.conftest import add_item, make_workshop
from workshops import services as workshop_services
from workshops.models import ActionItem, AgendaItem

pytestmark = pytest.mark.django_db


def _world(trajectory, partner, participant, n):
    """n of everything: partners, open pulses, proposals in the package, due action items."""
    others = [factories.make_partner(trajectory, f"Organisatie {i:02d}") for i in range(n)]
    for i, other in enumerate(others):
        factories.make_participant(other, f"Collega {i}")
    InterestRound.objects.create(
        trajectory=trajectory, title="Belangen 2027", phase="start", status="open"
    )
    for i in range(n):
        pulse = Pulse.objects.create(trajectory=trajectory, title=f"Puls {i}", status="open")
        if i % 2:
            Response.objects.create(
                pulse=pulse, participant=participant, partner=partner, level=participant.level
            )
    proposals = [make_proposal(trajectory, f"Voorstel {i:02d}") for i in range(n)]
    for proposal in proposals[::2]:
        take_position(proposal, partner, "supports")
    make_package(trajectory, proposals, title="Pakket 2027")
    today = timezone.localdate()
    for i in range(n):
        for owner, who in ((partner, "Eigen"), (others[0], "Andermans")):
            ActionItem.objects.create(
                trajectory=trajectory,
                title=f"{who} actie {i:02d}",
                owner_partner=owner,
                due_date=today + timedelta(days=(-3 if i % 2 else 5)),
            )
    workshop = make_workshop(trajectory, title="Werkbijeenkomst nu")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    workshop_services.workshop_start(workshop=workshop)
    return workshop


def _welcome(client, trajectory):
    response = client.get(f"/t/{trajectory.pk}/welkom/")
    assert response.status_code == 200
    return response.content.decode()


def _now(html):
    """The 'what to do now' part of the page."""
    start = html.index('id="now-heading"')
    return html[start : html.index("</section>", start)]


def test_what_to_do_now_comes_first_each_with_a_button(client, trajectory, partner, participant):
    workshop = _world(trajectory, partner, participant, 4)
    factories.login_participant(client, participant)
    html = _welcome(client, trajectory)
    now = _now(html)
    assert html.index("Wat u nu kunt doen") < html.index('id="interests-summary-heading"')
    assert f"/bijeenkomsten/{workshop.pk}/live/" in now and "Doe mee met de bijeenkomst" in now
    assert "Belangen invoeren" in now
    # Only the pulses this person has not answered yet.
    assert "Puls 0" in now and "Puls 2" in now and "Puls 1" not in now
    # Only the proposals this organisation has no position on yet.
    assert "Voorstel 01" in now and "Voorstel 03" in now and "Voorstel 00" not in now
    # Only this organisation's action items, late ones marked in words.
    assert "Eigen actie 01" in now and "was uiterlijk" in now and "Eigen actie 00" in now
    assert "Andermans actie" not in now


def test_nothing_to_do_says_so(client, trajectory, participant):
    factories.login_participant(client, participant)
    now = _now(_welcome(client, trajectory))
    assert "Er wacht nu niets op u" in now


def test_the_welcome_page_costs_the_same_for_a_small_and_a_large_trajectory(
    trajectory, partner, participant, django_assert_num_queries
):
    _world(trajectory, partner, participant, 1)
    small = _queries(factories.login_participant(Client(), participant), trajectory)
    big = factories.make_trajectory("Groot traject")
    big_partner = factories.make_partner(big, "Gemeente Groot")
    big_participant = factories.make_participant(big_partner, "Grote Gerrit")
    _world(big, big_partner, big_participant, 12)
    client = factories.login_participant(Client(), big_participant)
    with django_assert_num_queries(small):
        html = _welcome(client, big)
    now = _now(html)
    assert "Voorstel 09" in now and "Voorstel 11" not in now  # five listed, the package has all
    assert "Eigen actie 11" in now


def _queries(client, trajectory) -> int:
    with CaptureQueriesContext(connection) as queries:
        _welcome(client, trajectory)
    return len(queries)
