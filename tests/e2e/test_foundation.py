"""The first journey in a real browser: sign in, set up a trajectory, hand out an invite link."""

import re

import pytest

from tests import factories
from tests.browser import wait_until
from trajectories.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_sets_up_a_trajectory_and_a_participant_opens_the_invite(
    live_server, new_page, screenshot, settings
):
    settings.SITE_URL = live_server.url
    factories.make_user("anna", password="een-sterk-wachtwoord", may_create_trajectories=True)

    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("anna")
    page.get_by_label("Wachtwoord").fill("een-sterk-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("link", name="Nieuw traject").click()

    page.get_by_label("Naam", exact=True).fill("Wonen met zorg in Rivierstad")
    page.get_by_label("Gezamenlijke opgave").fill(
        "Samen meer mensen uit de opvang naar een eigen woning."
    )
    page.get_by_label("Aanleiding").select_option("start")
    page.get_by_role("button", name="Traject aanmaken").click()
    page.wait_for_url(re.compile(r"/t/\d+/partners/$"))
    page.evaluate("window.__sameDocument = true")  # gone if anything below reloads the page

    page.get_by_label("Naam van de organisatie").fill("Woonstichting De Linge")
    page.get_by_label("Soort organisatie").select_option("housing")
    page.get_by_role("button", name="Partner toevoegen").click()
    card = page.locator("section.partner", has_text="Woonstichting De Linge")
    card.wait_for()

    card.get_by_role("link", name=re.compile("Vertegenwoordiger toevoegen")).click()
    form = card.locator("form.partner__add")
    # Keyboard users land in the form that just opened.
    wait_until(page, "document.activeElement && document.activeElement.name === 'name'")
    form.get_by_label("Naam").fill("Henk Dijkstra")
    form.get_by_label("E-mailadres").fill("henk@delinge.example")
    form.get_by_label("Niveau").select_option("board")
    form.get_by_label("Mandaat").fill("Mag tot 25 woningen per jaar toezeggen.")
    form.get_by_role("button", name="Vertegenwoordiger toevoegen").click()
    person = card.locator(".participant", has_text="Henk Dijkstra")
    person.wait_for()
    assert "Mag tot 25 woningen" in person.inner_text()

    person.get_by_role("button", name=re.compile("Uitnodigingslink maken")).click()
    link_field = page.locator(".invite--fresh input[readonly]")
    link_field.wait_for()
    invite_link = link_field.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/i/[A-Za-z0-9_-]{{43}}/", invite_link)
    copy = page.get_by_role("button", name="Link kopiëren")
    copy.click()
    page.get_by_role("button", name="Gekopieerd").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == invite_link
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "foundation-facilitator-partners")

    phone = new_page(phone=True)
    phone.goto(invite_link)
    phone.wait_for_url(re.compile(r"/t/\d+/welkom/$"))
    assert "/i/" not in phone.url
    assert phone.get_by_role("heading", name="Welkom, Henk Dijkstra").is_visible()
    assert "Woonstichting De Linge" in phone.inner_text("main")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the welcome page is {width}px wide on a 390px phone"
    brand, switch = (
        phone.locator(".brand").bounding_box(),
        phone.locator(".language-switch").bounding_box(),
    )
    assert abs(brand["y"] + brand["height"] / 2 - (switch["y"] + switch["height"] / 2)) < 12, (
        "on a phone the brand and the language switch share the first header line"
    )
    screenshot(phone, "foundation-participant-welcome-phone")

    # Someone else removes the representative meanwhile: editing the stale row says so.
    Participant.objects.filter(name="Henk Dijkstra").delete()
    person.get_by_role("link", name=re.compile("Bewerken")).click()
    page.locator("#messages .message--error").wait_for()
    assert "Laad de pagina opnieuw" in page.inner_text("#messages")
