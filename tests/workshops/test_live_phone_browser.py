"""The participant's phone in a real browser: the action first, the note form with and without
JavaScript, a busy server on a dot, the dots of a second device, "your votes are in"."""

import re

import pytest

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import services, views
from workshops.models import AgendaItem, Contribution, DotVote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def room(live_server, settings, monkeypatch, trajectory, partner):
    """A live workshop on its check-in, a vote of three dots and a check-out; Anouk's phone."""
    monkeypatch.setattr(views, "POLL_SECONDS", 0.5)
    settings.SITE_URL = live_server.url
    anouk = factories.make_participant(partner, "Anouk de Vries")
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?", notes="Wat neemt u mee?")
    voting = add_item(
        workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?", dots_per_participant=3
    )
    for label in ("Contingent uitstroomwoningen", "Vast aanspreekpunt in de wijk"):
        services.option_add(item=voting, label=label)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Hoe gaat u naar huis?")
    services.workshop_start(workshop=workshop)
    workshop.refresh_from_db()
    page = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/live/"
    return {"workshop": workshop, "voting": voting, "anouk": anouk, "page": page}


def _open_phone(open_page, live_server, room, person=None):
    phone = open_page()
    _link, token = factories.make_invite(person or room["anouk"])
    phone.goto(f"{live_server.url}/i/{token}/")
    phone.goto(room["page"])
    return phone


def _add(phone, option):
    return phone.get_by_role("button", name=f"Plaats een stip op “{option}”")


def test_the_phone_puts_the_action_first_and_marks_its_own_notes(
    live_server, new_page, screenshot, room, partner
):
    colleague = factories.make_participant(partner, "Bram Jansen")
    services.contribution_add(
        item=room["workshop"].current_item, participant=colleague, text="Van een collega"
    )
    phone = _open_phone(lambda: new_page(phone=True), live_server, room)
    field = phone.get_by_label("Uw bijdrage")
    field.fill("Ik neem de wachtlijst mee")
    phone.get_by_role("button", name="Toevoegen").dblclick()  # a double tap adds one note
    mine = phone.locator(".note", has_text="Ik neem de wachtlijst mee")
    mine.locator(".note__mine", has_text="U").wait_for()
    phone.get_by_text("Uw bijdrage is toegevoegd.").wait_for()
    phone.wait_for_timeout(500)
    assert Contribution.objects.filter(text="Ik neem de wachtlijst mee").count() == 1
    assert phone.locator(".note", has_text="Van een collega").locator(".note__mine").count() == 0

    # The title, then the input, then the stream; the input also first for screen readers.
    title = phone.locator(".live-item__title").bounding_box()
    form = phone.locator("#participant-act").bounding_box()
    stream = phone.locator("#participant-stream .notes").bounding_box()
    assert title["y"] < form["y"] < stream["y"]
    assert phone.evaluate(
        "document.getElementById('participant-act').compareDocumentPosition("
        "document.getElementById('participant-stream')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert phone.get_by_role("region", name="Hoe komt u binnen?").get_by_label("Uw bijdrage")
    for target in (phone.get_by_role("button", name="Toevoegen"), field):
        assert target.bounding_box()["height"] >= 44
    screenshot(phone, "phone-390-notes")

    # After a move the drawn form (no token or key of its own in the page) still adds a note.
    services.workshop_go(workshop=room["workshop"], offset=2)
    phone.locator(".live-item__title", has_text="Hoe gaat u naar huis?").wait_for()
    phone.get_by_label("Uw bijdrage").fill("Met een plan")
    phone.get_by_role("button", name="Toevoegen").click()
    phone.locator(".note", has_text="Met een plan").locator(".note__mine").wait_for()
    assert Contribution.objects.get(text="Met een plan").item.title == "Hoe gaat u naar huis?"

    phone.set_viewport_size({"width": 320, "height": 700})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_note_form_works_without_javascript_and_a_double_submit_adds_one(
    live_server, chromium, room
):
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE, locale="nl-NL")
    try:
        phone = _open_phone(context.new_page, live_server, room)
        phone.get_by_label("Uw bijdrage").fill("Zonder JavaScript")
        phone.get_by_role("button", name="Toevoegen").click()
        phone.get_by_text("Uw bijdrage is toegevoegd.").wait_for()
        phone.locator(".note__text", has_text="Zonder JavaScript").wait_for()

        # The page's form carries the person's CSRF token and a key of its own: sent twice (a
        # double click that got through), it adds one note.
        fields = {
            name: phone.locator(f"form.note-form [name={name}]").get_attribute("value")
            for name in ("csrfmiddlewaretoken", "submission_key", "item")
        }
        assert all(fields.values())
        action = live_server.url + phone.locator("form.note-form").get_attribute("action")
        for _ in range(2):
            answer = phone.request.post(
                action, form={**fields, "text": "Twee keer verstuurd"}, max_redirects=0
            )
            assert answer.status == 302
        assert Contribution.objects.filter(text="Twee keer verstuurd").count() == 1

        # An empty note comes back with the message, in place of the form.
        phone.get_by_role("button", name="Toevoegen").click()
        phone.locator("#participant-act [aria-invalid=true]").wait_for()
    finally:
        context.close()


def test_a_busy_server_on_a_dot_says_so_and_sends_it_once_more(
    live_server, new_page, screenshot, room
):
    services.workshop_go(workshop=room["workshop"], item=room["voting"])
    phone = _open_phone(lambda: new_page(phone=True), live_server, room)
    busy = {"left": 1}

    def gate(route):
        # The overload gate answers before Django: nothing is placed.
        if busy["left"]:
            busy["left"] -= 1
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="")
        else:
            route.continue_()

    phone.route(re.compile(r".*/live/stip/$"), gate)
    _add(phone, "Vast aanspreekpunt in de wijk").click()
    phone.get_by_text("Het is even druk. Uw stip wordt over een paar seconden opnieuw").wait_for()
    screenshot(phone, "phone-390-dot-busy")
    phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    assert DotVote.objects.count() == 1
    assert phone.locator("[data-outbox-status]").inner_text() == ""

    # Busy twice: not placed, and the person is asked to tap again.
    busy["left"] = 2
    _add(phone, "Contingent uitstroomwoningen").click()
    phone.get_by_text("Nog steeds druk: uw stip is niet geplaatst.").wait_for()
    assert DotVote.objects.count() == 1
    assert phone.locator(".act__heading").inner_text() == "U hebt nog 2 stippen"


def test_dots_placed_on_another_device_show_after_a_move_without_a_request_per_phone(
    live_server, new_page, room
):
    phone = _open_phone(lambda: new_page(phone=True), live_server, room)
    phone.locator(".live-item__title", has_text="Hoe komt u binnen?").wait_for()
    # Anouk voted on her laptop while this phone was on the check-in (it saw none of it) …
    services.workshop_go(workshop=room["workshop"], item=room["voting"])
    option = room["voting"].options.get(label="Vast aanspreekpunt in de wijk")
    for _ in range(2):
        services.dot_place(item=room["voting"], participant=room["anouk"], option=option)
    services.workshop_go(workshop=room["workshop"], offset=1)
    phone.locator(".live-item__title", has_text="Hoe gaat u naar huis?").wait_for()
    phone.reload()  # … and this phone's page (its storage cleared, or opened anew) came after
    phone.locator(".live-item__title", has_text="Hoe gaat u naar huis?").wait_for()
    own_part = []
    phone.on("request", lambda r: own_part.append(r.url) if r.url == room["page"] else None)

    services.workshop_go(workshop=room["workshop"], offset=-1)
    row = phone.locator(".vote-list__row", has_text="Vast aanspreekpunt in de wijk")
    phone.locator(".act__heading", has_text="U hebt nog 1 stip").wait_for()
    assert row.locator(".vote-list__mine").inner_text() == "2 stippen"
    assert own_part == []

    # A vote the phone knows nothing of (added after its page came) asks once for its own part.
    late = add_item(room["workshop"], AgendaItem.Kind.DOT_VOTING, "Nog een keuze")
    services.option_add(item=late, label="Eerst de wijk")
    services.workshop_go(workshop=room["workshop"], item=late)
    later = late.options.get()
    services.dot_place(item=late, participant=room["anouk"], option=later)
    phone.locator(".live-item__title", has_text="Nog een keuze").wait_for()
    phone.locator(".vote-list__row", has_text="Eerst de wijk").get_by_text("1 stip").wait_for()
    assert own_part == [room["page"]]


def test_all_dots_spent_says_your_votes_are_in(live_server, new_page, screenshot, room):
    services.workshop_go(workshop=room["workshop"], item=room["voting"])
    phone = _open_phone(lambda: new_page(phone=True), live_server, room)
    _add(phone, "Vast aanspreekpunt in de wijk").click()
    phone.locator(".act__heading", has_text="U hebt nog 2 stippen").wait_for()
    phone.get_by_text("Tot nu toe heeft 1 persoon gestemd.").wait_for()  # the room's count follows
    screenshot(phone, "phone-390-vote-dots-left")
    for target in phone.locator("#participant-act button").all():
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    for left in ("U hebt nog 1 stip", "Uw stemmen zijn binnen."):
        _add(phone, "Contingent uitstroomwoningen").click()
        phone.locator(".act__heading", has_text=left).wait_for()
    assert phone.locator(".act__done").inner_text() == "Uw stemmen zijn binnen."
    screenshot(phone, "phone-390-vote-all-spent")

    # Drawn by the phone after a move back, it says the same.
    services.workshop_go(workshop=room["workshop"], offset=1)
    phone.locator(".live-item__title", has_text="Hoe gaat u naar huis?").wait_for()
    services.workshop_go(workshop=room["workshop"], offset=-1)
    phone.locator(".act__done", has_text="Uw stemmen zijn binnen.").wait_for()
    phone.set_viewport_size({"width": 320, "height": 700})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
