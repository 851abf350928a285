"""Agreements and action items reach the room live; closing shows everyone an end screen."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


@pytest.fixture
def screens(facilitator, participant):
    console = Client()
    console.force_login(facilitator)
    phone = factories.login_participant(Client(), participant)
    return console, phone


def _projector_and_phone(screens, workshop):
    console, phone = screens
    return (
        console.get(_url(workshop, "scherm/"), headers={"HX-Request": "true"}).content.decode(),
        phone.get(_url(workshop, "live/"), headers={"HX-Request": "true"}).content.decode(),
    )


def test_outcomes_recorded_during_the_agreements_item_reach_projector_and_phones(
    screens, live_workshop, partner
):
    console, _phone = screens
    item = add_item(live_workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken maken")
    services.workshop_go(workshop=live_workshop, item=item)
    before = _projector_and_phone(screens, live_workshop)  # cached for this version
    console.post(_url(live_workshop, "afspraken/"), {"agreement-text": "We delen de wachtlijst"})
    console.post(
        _url(live_workshop, "acties/"),
        {
            "action-title": "Wachtlijst rondsturen",
            "action-owner": f"partner:{partner.pk}",
            "action-due_date": "2026-12-15",
        },
    )
    for html in before:
        assert "We delen de wachtlijst" not in html
    for html in _projector_and_phone(screens, live_workshop):
        assert "We delen de wachtlijst" in html
        assert "Wachtlijst rondsturen" in html and partner.name in html
        assert "15 december 2026" in html


def test_closing_shows_everyone_the_end_screen(screens, live_workshop, partner, trajectory):
    console, _phone = screens
    services.agreement_record(workshop=live_workshop, text="Elke maand overleg")
    services.action_item_record(
        workshop=live_workshop,
        title="Agenda volgende keer",
        owner_partner=partner,
        due_date=date(2026, 12, 20),
    )
    make_workshop(
        trajectory,
        title="Werkbijeenkomst 2",
        starts_at=timezone.now() + timedelta(days=30),
    )
    console.post(_url(live_workshop, "regie/close/"))
    for html in _projector_and_phone(screens, live_workshop):
        assert "Bedankt" in html
        assert "Elke maand overleg" in html
        assert "Agenda volgende keer" in html and "20 december 2026" in html
        assert "Werkbijeenkomst 2" in html  # what happens next
        assert "Hoe komt u binnen?" not in html  # the last item is gone


def test_the_end_screen_without_outcomes_says_so(screens, live_workshop):
    services.workshop_close(workshop=live_workshop)
    for html in _projector_and_phone(screens, live_workshop):
        assert "Bedankt" in html
        assert "Er zijn geen afspraken vastgelegd." in html
