"""Knock and admit in real browsers: a phone without a personal link scans, knocks, waits, and
takes part once the facilitator admits it; a turned-away phone is told so; the projector never
shows a knocker's name."""

import time

import pytest

from tests import factories
from tests.browser import sign_in
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem, Knock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(live_server, settings, trajectory, partner):
    settings.SITE_URL = live_server.url
    factories.make_participant(partner, "Anouk de Vries")
    factories.make_partner(trajectory, "Woonstichting De Linge")
    factories.make_partner(trajectory, "Zorggroep Het Anker")
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    services.workshop_start(workshop=workshop)
    return workshop


def _base(live_server, workshop):
    return f"{live_server.url}/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/"


def _console_and_projector(new_page, live_server, workshop, facilitator):
    console = new_page()
    console.set_viewport_size({"width": 1280, "height": 800})
    sign_in(console, live_server, facilitator.username)
    console.goto(_base(live_server, workshop) + "regie/")
    projector = console.context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(_base(live_server, workshop) + "scherm/")
    return console, projector


def _knock(phone, live_server, workshop, organisation, name, email=""):
    phone.goto(f"{live_server.url}/doe-mee/{workshop.join_code}/")
    phone.get_by_label(organisation).check()
    phone.get_by_label("Uw naam").fill(name)
    if email:
        phone.get_by_label("Uw e-mailadres").fill(email)
    phone.get_by_role("button", name="Vragen om mee te doen").click()
    phone.get_by_text("U wacht tot de procesbegeleider u binnenlaat.").wait_for()


def _projector_never_shows(projector, name):
    projector.reload()
    projector.locator("#live-region").wait_for()
    assert name not in projector.content()


def test_knock_admit_and_take_part(
    live_server, new_page, screenshot, room, facilitator, partner, capsys
):
    console, projector = _console_and_projector(new_page, live_server, room, facilitator)
    phone = new_page(phone=True)

    started = time.monotonic()
    phone.goto(f"{live_server.url}/doe-mee/{room.join_code}/")
    screenshot(phone, "knock-phone-form")
    phone.get_by_label(partner.name).check()
    phone.get_by_label("Uw naam").fill("Sanne Bakker")
    phone.get_by_label("Uw e-mailadres").fill("sanne@example.org")
    phone.get_by_role("button", name="Vragen om mee te doen").click()
    phone.get_by_text("U wacht tot de procesbegeleider u binnenlaat.").wait_for()
    knocked = time.monotonic()
    screenshot(phone, "knock-phone-waiting")
    assert phone.locator("#knock-status[role=status][aria-live=polite]").count() == 1

    _projector_never_shows(projector, "Sanne Bakker")

    # The console's waiting list shows the knock by itself; the facilitator admits at once.
    person = console.locator("#knocks .knocks__person", has_text="Sanne Bakker")
    person.wait_for()
    seen = time.monotonic()
    person.get_by_role("button", name="Toelaten").click()
    console.locator("#messages", has_text="Sanne Bakker is toegelaten").wait_for()
    assert console.locator("#knocks .knocks__person").count() == 0

    phone.wait_for_url(_base(live_server, room) + "live/", timeout=15_000)
    phone.get_by_label("Uw bijdrage").wait_for()
    in_room = time.monotonic()
    assert "Sanne Bakker" in phone.locator(".site-header").inner_text()

    phone.get_by_label("Uw bijdrage").fill("Blij dat ik er ben")
    phone.get_by_role("button", name="Toevoegen").click()
    projector.get_by_text("Blij dat ik er ben").wait_for(timeout=15_000)
    knock = Knock.objects.get()
    assert knock.participant.name == "Sanne Bakker" and knock.participant.partner == partner

    with capsys.disabled():
        print(
            f"\nknock → taking part: {in_room - started:.1f} s from scan to the participant page"
            f" (scan → knock sent {knocked - started:.1f} s, on the console after"
            f" {seen - knocked:.1f} s, admitted → participant page {in_room - seen:.1f} s)"
        )
    assert in_room - started < 60  # sanity only; the figure above is what counts


def test_knock_turned_away(live_server, new_page, screenshot, room, facilitator, partner):
    console, projector = _console_and_projector(new_page, live_server, room, facilitator)
    phone = new_page(phone=True)
    _knock(phone, live_server, room, partner.name, "Onbekende Bezoeker")

    person = console.locator("#knocks .knocks__person", has_text="Onbekende Bezoeker")
    person.wait_for()
    person.get_by_role("button", name="Weigeren").click()
    console.locator("#messages", has_text="Onbekende Bezoeker is geweigerd").wait_for()

    phone.locator("#knock-status").get_by_text(
        "De procesbegeleider heeft u deze keer niet binnengelaten."
    ).wait_for()
    assert phone.get_by_role("link", name="Nu controleren").count() == 0
    screenshot(phone, "knock-phone-turned-away")
    assert phone.url.endswith("/wacht/")
    _projector_never_shows(projector, "Onbekende Bezoeker")


def test_the_console_with_two_people_waiting(
    live_server, new_page, screenshot, room, facilitator, partner
):
    console, _projector = _console_and_projector(new_page, live_server, room, facilitator)
    _knock(new_page(phone=True), live_server, room, partner.name, "Sanne Bakker")
    first = console.locator("#knocks .knocks__person", has_text="Sanne Bakker")
    first.get_by_role("button", name="Toelaten").focus()
    focused = console.evaluate("document.activeElement.id")
    _knock(new_page(phone=True), live_server, room, "Woonstichting De Linge", "Anouk de Vries")
    console.locator("#knocks .knocks__person").nth(1).wait_for()
    # The list came back with a second person: the keyboard stays on the button it was on.
    assert console.evaluate("document.activeElement.id") == focused
    assert console.locator("#knocks .knocks__warning").count() == 1  # a name already known
    screenshot(console, "knock-console")
    console.get_by_role("button", name="Iedereen toelaten").click()
    console.locator("#messages", has_text="2 personen zijn toegelaten").wait_for()


def test_the_knock_pages_fit_320_px_with_44_px_targets_and_start_at_the_errors(
    live_server, new_page, screenshot, room, partner
):
    phone = new_page(phone=True)
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(f"{live_server.url}/doe-mee/{room.join_code}/")
    # Sent without a name: the error summary takes the focus and names the field.
    phone.get_by_label(partner.name).check()
    phone.get_by_role("button", name="Vragen om mee te doen").click()
    phone.locator("#error-summary").wait_for()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    assert "Uw naam: Typ uw naam." in phone.locator("#error-summary").inner_text()
    assert phone.get_by_label("Uw naam").get_attribute("aria-invalid") == "true"
    assert phone.get_by_label(partner.name).is_checked()  # the choice is kept
    screenshot(phone, "knock-phone-320-errors")

    def fits():
        return phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def small_targets():
        return phone.evaluate(
            """() => [...document.querySelectorAll(
                    'main button, main .button, .knock__choices label')]
                .map(el => el.getBoundingClientRect())
                .filter(box => box.width && box.height < 44).length"""
        )

    assert fits() and small_targets() == 0
    phone.get_by_label("Uw naam").fill("Sanne Bakker")
    phone.get_by_role("button", name="Vragen om mee te doen").click()
    phone.get_by_text("U wacht tot de procesbegeleider u binnenlaat.").wait_for()
    assert fits() and small_targets() == 0
