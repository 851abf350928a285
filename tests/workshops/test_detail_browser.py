"""The workshop page in a browser: a vote item's options and warning, a closed workshop."""

import re

import pytest

from tests.browser import sign_in
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_workshop_pages_show_options_warnings_and_a_closed_agenda(
    live_server, new_page, screenshot, trajectory, facilitator
):
    planned = make_workshop(trajectory, title="Tweede werkbijeenkomst")
    add_item(planned, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    empty_vote = add_item(planned, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?")
    vote = add_item(planned, AgendaItem.Kind.DOT_VOTING, "Wat pakken we als eerste op?")
    for label in ("Contingent uitstroomwoningen", "Vast aanspreekpunt in de wijk"):
        services.option_add(item=vote, label=label)
    closed = make_workshop(trajectory, title="Eerste werkbijeenkomst")
    add_item(closed, AgendaItem.Kind.CHECK_IN, "Check-in")
    services.workshop_start(workshop=closed)
    services.workshop_close(workshop=closed)
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/"

    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in(page, live_server, facilitator.username)
        suffix = "phone" if phone else "desktop"

        page.goto(f"{base}{planned.pk}/")
        warning = page.locator(".message--warning", has_text="Nog geen keuzemogelijkheden")
        assert warning.count() == 1
        assert page.get_by_text("Vast aanspreekpunt in de wijk").is_visible()
        assert page.locator("#attendance").count() == 0
        screenshot(page, f"workshops-detail-planned-{suffix}")
        warning.get_by_role("link").click()
        page.wait_for_url(re.compile(rf"agenda/{empty_vote.pk}/#options$"))

        page.goto(f"{base}{closed.pk}/")
        assert page.get_by_role("button", name=re.compile("Toevoegen aan de agenda")).count() == 0
        assert page.locator("#attendance").count() == 1
        screenshot(page, f"workshops-detail-closed-{suffix}")
        if phone:
            page.set_viewport_size({"width": 320, "height": 700})
            assert _fits(page)
