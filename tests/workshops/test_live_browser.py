"""The live room in a real browser: focus stays on the control, changes are announced politely,
outcomes and the end screen reach every screen, and a revoked link sends its phone away."""

import pytest

from tests import factories
from tests.browser import sign_in, wait_until
from tests.workshops.conftest import add_item, make_workshop
from trajectories import services as trajectory_services
from workshops import services, views
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focus_lands_on(page, element_id):
    """Focus is put back once htmx settled, a moment after the new content shows; a key pressed
    before htmx settled would reach a form htmx has not taken over yet (a plain submit)."""
    wait_until(
        page,
        "id => document.activeElement && document.activeElement.id === id"
        " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')",
        arg=element_id,
    )


# Every text the polite live region has held, so that a later announcement replacing an earlier
# one within a moment (a new item, then the dots left) cannot hide that the first was made.
RECORD_ANNOUNCEMENTS = """
window.__announced = [];
document.addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("live-announcer");
  if (!region) return;
  new MutationObserver(() => window.__announced.push(region.textContent)).observe(
    region, {childList: true, characterData: true, subtree: true}
  );
});
"""


def _announced(page, text):
    wait_until(page, "text => (window.__announced || []).some(said => said.includes(text))", text)


def test_the_live_room_keeps_focus_announces_and_ends_for_everyone(
    live_server, new_page, screenshot, settings, monkeypatch, trajectory, facilitator, partner
):
    monkeypatch.setattr(views, "POLL_SECONDS", 0.5)
    settings.SITE_URL = live_server.url
    anouk = factories.make_participant(partner, "Anouk de Vries")
    henk = factories.make_participant(
        factories.make_partner(trajectory, "Woonstichting De Linge"), "Henk Dijkstra"
    )
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?")
    for label in ("Contingent uitstroomwoningen", "Vast aanspreekpunt in de wijk"):
        services.option_add(item=voting, label=label)
    add_item(workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken en acties")
    services.workshop_start(workshop=workshop)
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"

    console = new_page()
    console.context.add_init_script(RECORD_ANNOUNCEMENTS)
    sign_in(console, live_server, facilitator.username)
    console.goto(base + "regie/")
    projector = console.context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(base + "scherm/")

    phones = {}
    for person in (anouk, henk):
        phone = new_page(phone=True)
        phone.context.add_init_script(RECORD_ANNOUNCEMENTS)
        _link, token = factories.make_invite(person)
        phone.goto(f"{live_server.url}/i/{token}/")
        phone.goto(base + "live/")
        phones[person.name] = phone
    anouk_phone, henk_phone = phones.values()

    # A contribution from another phone is announced on this phone and on the console.
    henk_phone.get_by_label("Uw bijdrage").fill("Eén loket voor iedereen")
    henk_phone.get_by_role("button", name="Toevoegen").click()
    _announced(anouk_phone, "Nieuwe bijdrage: Eén loket voor iedereen")
    _announced(console, "Nieuwe bijdrage: Eén loket voor iedereen")

    # Console: focus stays on "next", and the new item is announced.
    console.locator("#console-next").focus()
    console.keyboard.press("Enter")
    console.locator("#console-item .live-item__title", has_text="Waar beginnen we mee?").wait_for()
    _focus_lands_on(console, "console-next")
    _announced(console, "Nu: Waar beginnen we mee?")
    _announced(anouk_phone, "Nu: Waar beginnen we mee?")

    # Phone: focus stays on the dot button; the dots left are announced.
    add = anouk_phone.get_by_role(
        "button", name="Plaats een stip op “Vast aanspreekpunt in de wijk”"
    )
    add.wait_for()
    add.focus()
    anouk_phone.keyboard.press("Enter")
    anouk_phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    option_id = add.get_attribute("id")
    _focus_lands_on(anouk_phone, option_id)
    _announced(anouk_phone, "U hebt nog 2 stippen")
    for left in ("U hebt nog 1 stip", "U hebt geen stippen meer"):
        _focus_lands_on(anouk_phone, option_id)
        anouk_phone.keyboard.press("Enter")
        anouk_phone.locator(".act__heading", has_text=left).wait_for()
    # The last dot disables "+": focus goes to the same option's "−", never to the whole area.
    _focus_lands_on(anouk_phone, option_id.replace("dot-add-", "dot-remove-"))
    screenshot(anouk_phone, "live-phone-voting")

    # Results: announced on the phones.
    console.locator("#console-reveal").click()
    _announced(henk_phone, "De uitslag van de stemming wordt getoond.")

    # Agreements item: an empty agreement moves focus to the field with its error.
    console.locator("#console-next").click()
    console.locator("#console-item .live-item__title", has_text="Afspraken en acties").wait_for()
    console.get_by_role("button", name="Leg de afspraak vast").click()
    console.locator("#console-forms [aria-invalid=true]").wait_for()
    wait_until(console, "document.activeElement.getAttribute('aria-invalid') === 'true'")
    console.locator("#console-forms textarea[aria-invalid=true]").fill("We delen de wachtlijst")
    console.get_by_role("button", name="Leg de afspraak vast").click()
    for page in (projector, anouk_phone, henk_phone):
        page.locator("[data-announce=agreement]", has_text="We delen de wachtlijst").wait_for()
    _announced(henk_phone, "Nieuwe afspraak: We delen de wachtlijst")
    screenshot(projector, "live-projector-agreements-1920")
    screenshot(console, "live-console-agreements")

    # Going back through the agenda: the clicked entry becomes the current one (no button any
    # more), so focus goes to the item's heading.
    console.locator(".agenda-mini__go", has_text="Hoe komt u binnen?").click()
    console.locator("#console-item .live-item__title", has_text="Hoe komt u binnen?").wait_for()
    _focus_lands_on(console, "live-item-title")

    # Closing: the end screen on the projector and every phone.
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("#console-close").click()
    for page in (projector, anouk_phone, henk_phone):
        page.get_by_role("heading", name="Bedankt voor uw deelname").wait_for()
    _announced(anouk_phone, "De bijeenkomst is afgesloten.")
    screenshot(projector, "live-projector-end-1920")
    screenshot(anouk_phone, "live-phone-end")
    projector.set_viewport_size({"width": 390, "height": 844})
    screenshot(projector, "live-projector-end-390")
    assert projector.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_revoked_link_sends_its_phone_to_the_refusal_page(
    live_server, new_page, settings, monkeypatch, trajectory, partner
):
    monkeypatch.setattr(views, "POLL_SECONDS", 0.5)
    settings.SITE_URL = live_server.url
    anouk = factories.make_participant(partner, "Anouk de Vries")
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Check-out")
    services.workshop_start(workshop=workshop)
    phone = new_page(phone=True)
    _link, token = factories.make_invite(anouk)
    phone.goto(f"{live_server.url}/i/{token}/")
    phone.goto(f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/live/")
    phone.locator(".live-item__title", has_text="Hoe komt u binnen?").wait_for()
    trajectory_services.invite_revoke(participant=anouk)
    services.workshop_go(workshop=workshop, offset=1)  # the next change the phone follows
    phone.get_by_role("heading", name="Deze uitnodigingslink is ingetrokken").wait_for()
    assert "Check-out" not in phone.content()


def test_a_phone_draws_its_own_dots_after_a_move_without_asking_the_server(
    live_server, new_page, screenshot, settings, monkeypatch, trajectory, facilitator, partner
):
    """Back on a vote, the phone shows the dots it placed there, drawn from the shared fragment
    and its own answers: the move costs it no request for its own part."""
    monkeypatch.setattr(views, "POLL_SECONDS", 0.5)
    settings.SITE_URL = live_server.url
    anouk = factories.make_participant(partner, "Anouk de Vries")
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?")
    for label in ("Contingent uitstroomwoningen", "Vast aanspreekpunt in de wijk"):
        services.option_add(item=voting, label=label)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Hoe gaat u naar huis?")
    services.workshop_start(workshop=workshop)
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"

    phone = new_page(phone=True)
    _link, token = factories.make_invite(anouk)
    phone.goto(f"{live_server.url}/i/{token}/")
    phone.goto(base + "live/")
    phone.get_by_role("button", name="Plaats een stip op “Vast aanspreekpunt in de wijk”").click()
    phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()

    own_part_fetches = []
    phone.on(
        "request",
        lambda request: (
            own_part_fetches.append(request.url)
            if "/live/" in request.url and "/t/" in request.url
            else None
        ),
    )
    services.workshop_go(workshop=workshop, offset=1)
    phone.locator(".live-item__title", has_text="Hoe gaat u naar huis?").wait_for()
    services.workshop_go(workshop=workshop, offset=-1)
    phone.locator(".live-item__title", has_text="Waar beginnen we mee?").wait_for()
    phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    mine = phone.locator(".vote-list__row", has_text="Vast aanspreekpunt in de wijk")
    assert mine.locator(".vote-list__mine").inner_text() == "1 stip"
    assert mine.get_by_role(
        "button", name="Neem een stip terug van “Vast aanspreekpunt in de wijk”"
    ).is_enabled()
    assert own_part_fetches == []
    screenshot(phone, "live-phone-dots-drawn")
    # The drawn controls work like the server's.
    mine.get_by_role("button", name="Plaats een stip op “Vast aanspreekpunt in de wijk”").click()
    phone.locator(".act__heading", has_text="U hebt nog 1 stip").wait_for()
