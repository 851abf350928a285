"""What the projector shows: the join code large while people come in and small once an item
runs, vote results ranked with a winner named in words (ties share the place), and an end
screen instead of a join code once the workshop is closed."""

import re

import pytest
from django.test import Client

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def projector(facilitator):
    client = Client()
    client.force_login(facilitator)

    def show(workshop):
        url = f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/scherm/"
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()

    return show


def _vote(trajectory, participant, counts):
    """A live workshop at a dot vote with options A, B, C… holding `counts` dots each."""
    workshop = make_workshop(trajectory)
    item = add_item(
        workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we?", dots_per_participant=5
    )
    options = [
        services.option_add(item=item, label=f"Optie {chr(65 + i)}") for i in range(len(counts))
    ]
    services.workshop_start(workshop=workshop)
    people = [participant] + [
        factories.make_participant(participant.partner, f"Stemmer {i}") for i in range(4)
    ]
    dots = [option for option, count in zip(options, counts, strict=True) for _ in range(count)]
    for n, option in enumerate(dots):
        services.dot_place(item=item, participant=people[n // 5], option=option)
    return workshop, item


def _rows(html):
    """(place, label, winner text) per results row, top to bottom."""
    rows = re.findall(r'<li class="results__row[^"]*">(.*?)</li>', html, re.S)
    found = []
    for row in rows:
        place = re.search(r'results__rank">.*?</span>(\d+)</span>', row, re.S)
        label = re.search(r'results__label">(Optie \w)', row).group(1)
        badge = re.search(r'results__badge">.*?</span> ([^<]+)</strong>', row, re.S)
        found.append((place and int(place.group(1)), label, badge and badge.group(1).strip()))
    return found


def test_the_join_code_is_large_before_the_start_and_small_once_an_item_runs(projector, trajectory):
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    html = projector(workshop)
    assert "projector__join--large" in html and "projector__join--small" not in html
    assert "Scan de code met de camera van uw telefoon" in html

    services.workshop_start(workshop=workshop)  # the first item becomes current
    html = projector(workshop)
    assert "projector__join--small" in html and "projector__join--large" not in html
    assert "Hoe komt u binnen?" in html


def test_a_live_workshop_without_a_current_item_still_shows_the_large_code(projector, trajectory):
    workshop = make_workshop(trajectory)
    services.workshop_start(workshop=workshop)  # an empty agenda: nothing to show yet
    assert "projector__join--large" in projector(workshop)


def test_revealed_results_are_ranked_with_one_winner(projector, trajectory, participant):
    workshop, item = _vote(trajectory, participant, [2, 5, 0, 3])
    html = projector(workshop)
    assert "results__row" not in html  # hidden from the room until revealed
    services.item_reveal(item=item)
    assert _rows(projector(workshop)) == [
        (1, "Optie B", "Winnaar"),
        (2, "Optie D", None),
        (3, "Optie A", None),
        (4, "Optie C", None),
    ]


def test_a_tie_shares_the_place_and_both_are_named(projector, trajectory, participant):
    workshop, item = _vote(trajectory, participant, [4, 1, 4, 1])
    services.item_reveal(item=item)
    html = projector(workshop)
    assert _rows(html) == [
        (1, "Optie A", "Gedeelde eerste plaats"),
        (1, "Optie C", "Gedeelde eerste plaats"),
        (3, "Optie B", None),
        (3, "Optie D", None),
    ]
    assert "Winnaar" not in html


def test_no_dots_make_no_winner(projector, trajectory, participant):
    workshop, item = _vote(trajectory, participant, [0, 0])
    services.item_reveal(item=item)
    html = projector(workshop)
    assert _rows(html) == [(1, "Optie A", None), (1, "Optie B", None)]
    assert "results__row--winner" not in html


def test_the_closed_workshop_shows_the_end_screen_without_a_join_code(
    projector, trajectory, partner
):
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken")
    services.workshop_start(workshop=workshop)
    services.agreement_record(workshop=workshop, text="We delen de wachtlijst")
    services.action_item_record(
        workshop=workshop, title="Wachtlijst rondsturen", owner_partner=partner
    )
    next_one = make_workshop(trajectory, title="Werkbijeenkomst 2", place="Bibliotheek")
    services.workshop_close(workshop=workshop)
    html = projector(workshop)
    assert "Bedankt voor uw deelname" in html
    assert "We delen de wachtlijst" in html
    assert "Wachtlijst rondsturen" in html and partner.name in html
    assert "Hoe het verder gaat" in html and next_one.title in html
    assert "projector__join" not in html and "qr.svg" not in html
