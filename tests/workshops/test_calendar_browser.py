"""The invitation on the workshop page and the calendar address, in a browser (1280, 390)."""

import re

import pytest
from django.core import mail as outbox

from tests import factories
from tests.browser import sign_in
from tests.workshops.conftest import add_item, make_workshop
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_facilitator_sends_updates_and_cancels_the_invitation(
    live_server, new_page, screenshot, trajectory, facilitator, partner, participant
):
    # `participant` has no address: the panel names her as not reachable.
    for n in range(3):
        factories.make_participant(partner, f"Deelnemer {n}", email=f"d{n}@rivierstad.example")
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/"

    for phone in (False, True):
        outbox.outbox.clear()
        suffix = "phone" if phone else "desktop"
        workshop = make_workshop(trajectory, title=f"Werkbijeenkomst ({suffix})")
        add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
        page = new_page(phone=phone)
        sign_in(page, live_server, facilitator.username)
        page.goto(f"{base}{workshop.pk}/")
        screenshot(page, f"workshops-invitation-unsent-{suffix}")

        page.get_by_role("button", name="Uitnodiging versturen").click()
        page.wait_for_url(re.compile(r"#invitation$"))
        assert page.get_by_text("De uitnodiging wordt verstuurd naar 3 vertegenwoordigers.").count()
        assert len(outbox.outbox) == 3
        screenshot(page, f"workshops-invitation-sent-{suffix}")

        page.get_by_role("link", name="Gegevens wijzigen").click()
        page.get_by_label("Plaats").fill("Bibliotheek, zaal 1")
        page.get_by_role("button", name="Opslaan").click()
        assert page.get_by_text("De deelnemers krijgen een bijgewerkte uitnodiging.").count()
        assert len(outbox.outbox) == 6
        screenshot(page, f"workshops-invitation-updated-{suffix}")
        if phone:
            assert _fits(page)

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Bijeenkomst annuleren").click()
        assert page.get_by_text("De uitgenodigde deelnemers krijgen de annulering.").count()
        assert len(outbox.outbox) == 9
        screenshot(page, f"workshops-invitation-cancelled-{suffix}")

        page.goto(base)
        assert page.get_by_role("heading", name="Geannuleerde bijeenkomsten").count() == 1
        screenshot(page, f"workshops-index-cancelled-{suffix}")
        page.get_by_role("link", name="In uw eigen agenda").click()
        page.get_by_role("button", name="Agenda-adres maken").click()
        page.goto(f"{live_server.url}/account/")  # the same section on the account page
        assert "/agenda/" in page.get_by_label("Persoonlijk agenda-adres").input_value()
        screenshot(page, f"workshops-calendar-feed-account-{suffix}")
        page.get_by_role("button", name="Stoppen").click()


def test_a_participant_makes_and_renews_their_calendar_address(
    live_server, new_page, screenshot, participant, trajectory
):
    for phone in (False, True):
        suffix = "phone" if phone else "desktop"
        page = new_page(phone=phone)
        _link, token = factories.make_invite(participant)
        page.goto(f"{live_server.url}/i/{token}/")
        # The section sits on the participant's own settings page.
        page.goto(f"{live_server.url}/t/{trajectory.pk}/mijn-instellingen/")
        screenshot(page, f"workshops-calendar-feed-none-{suffix}")

        page.get_by_role("button", name="Agenda-adres maken").click()
        address = page.get_by_label("Persoonlijk agenda-adres")
        first = address.input_value()
        assert re.search(r"/agenda/[0-9a-f]{64}\.ics$", first)
        screenshot(page, f"workshops-calendar-feed-{suffix}")
        if phone:
            assert _fits(page)

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Nieuw adres maken").click()
        assert page.get_by_text("Het vorige adres werkt niet meer").count()
        assert page.get_by_label("Persoonlijk agenda-adres").input_value() != first
        assert page.request.get(first).status == 404

        page.get_by_role("button", name="Stoppen").click()
        assert page.get_by_role("button", name="Agenda-adres maken").count() == 1
