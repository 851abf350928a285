"""The live session in a real browser: facilitator, projector and two phones follow each other."""

import pytest

from tests import factories
from tests.browser import sign_in
from tests.workshops.conftest import add_item, make_workshop
from workshops import services, views
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_screens_and_two_phones_follow_the_session_live(
    live_server, new_page, screenshot, settings, monkeypatch, trajectory, facilitator, partner
):
    monkeypatch.setattr(views, "POLL_SECONDS", 0.5)
    settings.SITE_URL = live_server.url
    second_partner = factories.make_partner(trajectory, "Woonstichting De Linge")
    anouk = factories.make_participant(partner, "Anouk de Vries")
    henk = factories.make_participant(second_partner, "Henk Dijkstra")
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    add_item(
        workshop,
        AgendaItem.Kind.CHECK_IN,
        "Hoe komt u binnen?",
        notes="Wat hoopt u vandaag op te halen?",
    )
    voting = add_item(
        workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?", dots_per_participant=3
    )
    for label in ("Contingent uitstroomwoningen", "Vast aanspreekpunt in de wijk"):
        services.option_add(item=voting, label=label)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Check-out")
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"

    console = new_page()
    sign_in(console, live_server, facilitator.username)
    console.goto(base + "regie/")
    console.get_by_role("button", name="Start de bijeenkomst").click()
    console.locator("#console-item", has_text="Hoe komt u binnen?").wait_for()

    projector = console.context.new_page()
    projector.set_viewport_size({"width": 1280, "height": 800})
    projector.goto(base + "scherm/")
    projector.locator(".live-item__title", has_text="Hoe komt u binnen?").wait_for()

    phones = []
    for person in (anouk, henk):
        phone = new_page(phone=True)
        _link, token = factories.make_invite(person)
        phone.goto(f"{live_server.url}/i/{token}/")
        phone.goto(base + "live/")
        phone.evaluate("window.__sameDocument = true")
        phones.append(phone)
    anouk_phone, henk_phone = phones

    # A note typed on one phone appears on the other phone and on the projector without a reload.
    anouk_phone.get_by_label("Uw bijdrage").fill("Ik hoop op één aanspreekpunt")
    anouk_phone.get_by_role("button", name="Toevoegen").click()
    henk_phone.locator(".note__text", has_text="Ik hoop op één aanspreekpunt").wait_for()
    projector.locator(".note__text", has_text="Ik hoop op één aanspreekpunt").wait_for()
    console.locator(".note__text", has_text="Ik hoop op één aanspreekpunt").wait_for()
    assert henk_phone.evaluate("window.__sameDocument") is True
    screenshot(anouk_phone, "workshops-phone-check-in")
    screenshot(projector, "workshops-projector-check-in")
    screenshot(console, "workshops-console-check-in")

    # A note typed without a connection is kept on the phone and sent once the phone is back.
    henk_phone.context.set_offline(True)
    henk_phone.get_by_label("Uw bijdrage").fill("Getypt in de kelder zonder bereik")
    henk_phone.get_by_role("button", name="Toevoegen").click()
    henk_phone.get_by_text("U bent offline. Uw bijdrage wordt op deze telefoon bewaard").wait_for()
    screenshot(henk_phone, "workshops-phone-offline")
    henk_phone.context.set_offline(False)
    henk_phone.get_by_text("Uw bewaarde bijdrage is nu alsnog verstuurd.").wait_for()
    projector.locator(".note__text", has_text="Getypt in de kelder zonder bereik").wait_for()

    # Next item: every screen follows.
    console.get_by_role("button", name="Volgend punt").click()
    for page in (projector, anouk_phone, henk_phone):
        page.locator(".live-item__title", has_text="Waar beginnen we mee?").wait_for()
    assert anouk_phone.evaluate("window.__sameDocument") is True

    # Dots are placed on the phones, hidden from the room until revealed.
    anouk_phone.get_by_role(
        "button", name="Plaats een stip op “Vast aanspreekpunt in de wijk”"
    ).click()
    anouk_phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    anouk_phone.get_by_role(
        "button", name="Plaats een stip op “Vast aanspreekpunt in de wijk”"
    ).click()
    anouk_phone.locator(".act__heading", has_text="U hebt nog 1 stip").wait_for()
    henk_phone.get_by_role(
        "button", name="Plaats een stip op “Contingent uitstroomwoningen”"
    ).click()
    henk_phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    projector.get_by_text("Tot nu toe hebben 2 personen gestemd.").wait_for()
    assert "2 stippen" not in projector.locator("#projector-item").inner_text()
    screenshot(henk_phone, "workshops-phone-voting")

    console.get_by_role("button", name="Toon de uitslag").click()
    projector.locator(".results__row", has_text="Vast aanspreekpunt in de wijk").get_by_text(
        "2 stippen"
    ).wait_for()
    henk_phone.locator(".results__row", has_text="Contingent uitstroomwoningen").get_by_text(
        "1 stip"
    ).wait_for()
    first_row = projector.locator(".results__row").first
    assert "Vast aanspreekpunt" in first_row.inner_text()
    screenshot(projector, "workshops-projector-results")
    screenshot(console, "workshops-console-results")
    console.goto(base)
    screenshot(console, "workshops-detail-agenda")
    assert anouk_phone.evaluate("window.__sameDocument") is True
