"""The workshop page shows what can be done now: no agenda editing once closed, attendance once
started, and a vote item's options (with a warning when there are none)."""

import re

import pytest

from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


@pytest.fixture
def closed_workshop(trajectory):
    workshop = make_workshop(trajectory, title="Afgesloten")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Check-in")
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen")
    services.option_add(item=voting, label="Wonen")
    services.workshop_start(workshop=workshop)
    return services.workshop_close(workshop=workshop)


def test_a_closed_workshop_offers_no_agenda_editing_and_no_now_badge(
    facilitator_client, closed_workshop
):
    html = facilitator_client.get(_url(closed_workshop)).content.decode()
    assert "Check-in" in html
    for offer in ("Toevoegen aan de agenda", "Bewerken<span", "verplaatsen/", "verwijderen/"):
        assert offer not in html, offer
    assert "kopieren/" not in html
    assert not re.search(r'class="badge[^"]*">nu<', html)


@pytest.mark.parametrize(
    "path, data",
    [
        (
            "agenda/toevoegen/",
            {
                "new-kind": "check_in",
                "new-title": "Nog eentje",
                "new-timebox_minutes": 5,
                "new-dots_per_participant": 3,
            },
        ),
        ("agenda/{item}/verplaatsen/", {"direction": "down"}),
        ("agenda/{item}/verwijderen/", {}),
        ("agenda/{voting}/opties/", {"label": "Later bedacht"}),
        ("agenda/{voting}/opties/{option}/verwijderen/", {}),
    ],
)
def test_a_closed_workshops_agenda_cannot_be_changed(
    facilitator_client, closed_workshop, path, data
):
    item = closed_workshop.items.get(kind=AgendaItem.Kind.CHECK_IN)
    voting = closed_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    before = (
        list(closed_workshop.items.values_list("pk", "title", "position")),
        list(voting.options.values_list("pk", "label")),
    )
    url = _url(
        closed_workshop, path.format(item=item.pk, voting=voting.pk, option=voting.options.get().pk)
    )
    response = facilitator_client.post(url, data, follow=True)
    assert "agenda kan niet meer worden gewijzigd" in response.content.decode()
    assert before == (
        list(closed_workshop.items.values_list("pk", "title", "position")),
        list(voting.options.values_list("pk", "label")),
    )


def test_a_closed_workshops_item_form_is_not_offered(facilitator_client, closed_workshop):
    item = closed_workshop.items.get(kind=AgendaItem.Kind.CHECK_IN)
    response = facilitator_client.post(
        _url(closed_workshop, f"agenda/{item.pk}/"),
        {"kind": "check_in", "title": "Achteraf", "timebox_minutes": 5, "dots_per_participant": 3},
        follow=True,
    )
    assert "agenda kan niet meer worden gewijzigd" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Check-in"


def test_the_now_badge_shows_only_while_the_workshop_is_live(facilitator_client, live_workshop):
    html = facilitator_client.get(_url(live_workshop)).content.decode()
    assert re.search(r'class="badge[^"]*">nu<', html)


def test_attendance_is_recorded_only_once_the_workshop_has_started(
    facilitator_client, workshop, participant
):
    assert workshop.is_planned
    html = facilitator_client.get(_url(workshop)).content.decode()
    assert 'id="attendance"' not in html
    response = facilitator_client.post(
        _url(workshop, "aanwezigheid/"), {"participants": [participant.pk]}, follow=True
    )
    assert not workshop.attendances.exists()
    assert "zodra de bijeenkomst is begonnen" in response.content.decode()


def test_a_planned_workshop_shows_nobody_its_attendance(manager_client, workshop):
    html = manager_client.get(_url(workshop)).content.decode()
    assert 'id="attendance-heading"' not in html


def test_attendance_can_be_corrected_after_the_workshop(
    facilitator_client, closed_workshop, participant
):
    assert 'id="attendance"' in facilitator_client.get(_url(closed_workshop)).content.decode()
    facilitator_client.post(
        _url(closed_workshop, "aanwezigheid/"), {"participants": [participant.pk]}
    )
    assert list(closed_workshop.attendances.values_list("participant", flat=True)) == [
        participant.pk
    ]


def test_a_vote_item_lists_its_options_on_the_workshop_page(
    facilitator_client, manager_client, workshop
):
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen")
    for label in ("Wachtlijst", "Begeleiding thuis"):
        services.option_add(item=voting, label=label)
    for client in (facilitator_client, manager_client):
        html = client.get(_url(workshop)).content.decode()
        assert "Wachtlijst" in html and "Begeleiding thuis" in html


def test_a_vote_item_without_options_carries_a_clear_warning(facilitator_client, workshop):
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen")
    html = facilitator_client.get(_url(workshop)).content.decode()
    assert "0 keuzemogelijkheden" not in html
    assert "Nog geen keuzemogelijkheden: hier kan niemand stemmen" in html
    assert f"agenda/{voting.pk}/#options" in html


def test_the_phone_lists_each_vote_option_once(participant_client, live_workshop):
    services.workshop_go(workshop=live_workshop, offset=1)
    html = participant_client.get(_url(live_workshop, "live/")).content.decode()
    # A <template> is never shown (workshops.js draws the next vote's dots from it).
    html = re.sub(r"<template\b.*?</template>", "", html, flags=re.S)
    assert html.count("Woningtoewijzing") == 1 + html.count("“Woningtoewijzing”")
