"""Two participants on phones enter interests; the facilitator reveals, groups and classifies;
each participant then sees the map as their tier allows."""

import pytest

from interests import services
from tests import factories
from tests.browser import sign_in
from tests.workshops.conftest import add_item, make_workshop
from workshops import services as workshop_services
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _enter_interest(page, statement, why, *, weight, tier):
    page.fill("#id_statement", statement)
    page.fill("#id_why", why)
    page.check(f"input[name=weight][value={weight}]")
    page.check(f"input[name=tier][value={tier}]")
    page.click("button[name=action][value=submit]")
    page.wait_for_selector(".message--success")


def test_two_partners_enter_interests_and_see_the_map_their_tier_allows(
    live_server, new_page, screenshot
):
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory(
        "Van beschermd wonen naar een eigen thuis", facilitator=facilitator
    )
    gemeente = factories.make_partner(trajectory, "Gemeente Rivierstad")
    linge = factories.make_partner(trajectory, "Woonstichting De Linge", kind="housing")
    anouk = factories.make_participant(gemeente, "Anouk de Vries")
    henk = factories.make_participant(linge, "Henk Dijkstra")
    round = services.round_create(
        trajectory=trajectory, title="Belangen verkenningsfase", by=facilitator
    )
    services.round_open(round=round, by=facilitator)
    _l, anouk_token = factories.make_invite(anouk)
    _l, henk_token = factories.make_invite(henk)
    base = f"{live_server.url}/t/{trajectory.pk}/belangen"

    # Each participant, on a phone, enters interests on behalf of their own organisation.
    anouk_page = new_page(phone=True)
    anouk_page.goto(f"{live_server.url}/i/{anouk_token}/")
    anouk_page.click("nav.tabs >> text=Belangen")
    _enter_interest(
        anouk_page,
        "Zestig uitstroomwoningen per jaar",
        "Bewoners wachten te lang op een eigen huis.",
        weight="must",
        tier="named",
    )
    screenshot(anouk_page, "interests-intake-phone-gemeente")

    henk_page = new_page(phone=True)
    henk_page.goto(f"{live_server.url}/i/{henk_token}/")
    henk_page.goto(f"{base}/")
    _enter_interest(
        henk_page,
        "Spreiding over portieken en wijken",
        "Te veel kwetsbare huurders op één plek geeft overlast.",
        weight="important",
        tier="anonymous",
    )
    _enter_interest(
        henk_page,
        "Geen extra huurderving door leegstand",
        "Leegstand drukt op de exploitatie.",
        weight="nice",
        tier="facilitator",
    )
    assert (
        henk_page.locator("text=Zestig uitstroomwoningen").count() == 0
    )  # nothing of others before the reveal
    screenshot(henk_page, "interests-intake-phone-corporatie")

    # The facilitator sees everything come in, reveals the round, groups and classifies.
    desk = new_page()
    sign_in(desk, live_server, "procesbegeleider")
    desk.goto(f"{base}/")
    assert desk.locator("#incoming tbody tr").count() == 3
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.click("text=Onthullen aan alle partners")
    desk.wait_for_selector(".message--success")
    screenshot(desk, "interests-facilitator-round")

    desk.click("text=Groeperen in thema's")
    desk.fill("#new-theme-name", "Uitstroomwoningen")
    desk.click("text=Thema toevoegen")
    desk.wait_for_selector(".theme-card")
    for statement in (
        "Zestig uitstroomwoningen per jaar",
        "Spreiding over portieken en wijken",
        "Geen extra huurderving door leegstand",
    ):
        desk.locator(".board-interest", has_text=statement).first.get_by_role("checkbox").check()
    desk.get_by_label("Verplaatsen naar thema").select_option(label="Uitstroomwoningen")
    desk.get_by_role("button", name="Aangevinkte verplaatsen").click()
    for statement in (
        "Zestig uitstroomwoningen per jaar",
        "Spreiding over portieken en wijken",
        "Geen extra huurderving door leegstand",
    ):
        desk.wait_for_selector(f".theme-card >> text={statement}")
    desk.click(".theme-card summary")
    desk.check(".theme-card input[name=classification][value=compatible]")
    desk.fill(
        ".theme-card textarea[name=rationale]",
        "Meer woningen en spreiding gaan samen als de begeleiding geregeld is.",
    )
    desk.click("text=Classificatie opslaan")
    desk.wait_for_selector(".theme-card .badge--compatible")
    screenshot(desk, "interests-facilitator-themes")

    desk.goto(f"{base}/kaart/?groot=1")
    screenshot(desk, "interests-map-projector")

    # Each participant sees the map as the tiers allow.
    anouk_page.goto(f"{base}/kaart/")
    map_text = anouk_page.locator("#map").inner_text()
    assert "Zestig uitstroomwoningen per jaar" in map_text
    assert "Spreiding over portieken en wijken" in map_text
    assert "Woonstichting De Linge" not in map_text  # anonymous: no name
    assert "huurderving" not in map_text  # facilitator only
    assert "Verenigbaar" in map_text  # labelled, not only coloured
    screenshot(anouk_page, "interests-map-phone-gemeente")

    henk_page.goto(f"{base}/kaart/")
    map_text = henk_page.locator("#map").inner_text()
    assert "Gemeente Rivierstad" in map_text and "Zestig uitstroomwoningen per jaar" in map_text
    assert (
        "Geen extra huurderving door leegstand" in map_text
    )  # their own, still marked facilitator only
    screenshot(henk_page, "interests-map-phone-corporatie")


def test_live_screens_show_anonymous_interests_apart_and_managers_see_shared_counts(
    live_server, new_page, screenshot, trajectory, facilitator, manager, partner
):
    linge = factories.make_partner(trajectory, "Woonstichting De Linge", kind="housing")
    anouk = factories.make_participant(partner, "Anouk de Vries")
    henk = factories.make_participant(linge, "Henk Dijkstra")
    round = services.round_open(
        round=services.round_create(trajectory=trajectory, title="Verkenning", by=facilitator),
        by=facilitator,
    )
    for person, statement, tier in (
        (anouk, "Zestig uitstroomwoningen per jaar", "named"),
        (anouk, "Minder wachttijd voor begeleiding", "anonymous"),
        (henk, "Spreiding over portieken en wijken", "named"),
        (henk, "Huurachterstand vroeg signaleren", "anonymous"),
        (henk, "Onze eigen begroting is krap", "facilitator"),
    ):
        services.interest_save(
            round=round,
            partner=person.partner,
            by=person,
            data={"statement": statement, "weight": "important", "tier": tier},
            submit=True,
        )
    services.round_reveal(round=round, by=facilitator)
    workshop = make_workshop(trajectory, title="Werkbijeenkomst belangen")
    add_item(workshop, AgendaItem.Kind.INTERESTS_ROUND, "Belangen op tafel", interest_round=round)
    workshop_services.workshop_start(workshop=workshop)
    base = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"

    projector = new_page()
    sign_in(projector, live_server, facilitator.username)
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(base + "scherm/")
    heading = projector.get_by_role("heading", name="Gedeeld zonder de naam van de organisatie")
    heading.wait_for()
    anonymous = projector.locator("ul[aria-labelledby=anonymous-interests-heading] .note__text")
    assert anonymous.all_inner_texts() == [
        "Huurachterstand vroeg signaleren",
        "Minder wachttijd voor begeleiding",
    ]
    assert "Onze eigen begroting" not in projector.content()
    screenshot(projector, "interests-live-projector-1920")
    projector.set_viewport_size({"width": 390, "height": 844})
    screenshot(projector, "interests-live-projector-390")

    phone = new_page(phone=True)
    _link, token = factories.make_invite(henk)
    phone.goto(f"{live_server.url}/i/{token}/")
    phone.goto(base + "live/")
    phone.locator(".note__text", has_text="Zestig uitstroomwoningen").wait_for()
    # Henk's own anonymous interest carries his organisation's name for him; Anouk's not.
    assert phone.locator(
        "ul[aria-labelledby=anonymous-interests-heading] .note__text"
    ).all_inner_texts() == ["Minder wachttijd voor begeleiding"]
    screenshot(phone, "interests-live-phone")

    board = new_page()
    sign_in(board, live_server, manager.username)
    board.goto(f"{live_server.url}/t/{trajectory.pk}/belangen/rondes/{round.pk}/")
    progress = board.get_by_role("region", name="Gedeelde belangen per partner")
    rows = progress.locator("tbody tr").all_inner_texts()
    assert [" ".join(row.split()) for row in rows] == [
        "Gemeente Rivierstad 1",
        "Woonstichting De Linge 1",
        "Partner niet genoemd 2",
    ]
    screenshot(board, "interests-round-manager")
    board.set_viewport_size({"width": 390, "height": 844})
    screenshot(board, "interests-round-manager-390")


def test_a_refusal_on_the_theme_board_shows_its_message_in_place(live_server, new_page, screenshot):
    """The board answers a refusal with 422; htmx swaps it (static/js/app.js), so the message shows
    on the board. (At 400, as before, htmx swapped nothing and only 'that did not work' showed.)"""
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory("Beschermd wonen", facilitator=facilitator)
    partner = factories.make_partner(trajectory, "Gemeente Rivierstad")
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    services.round_open(round=round, by=facilitator)
    services.interest_save(
        round=round,
        partner=partner,
        by=factories.make_participant(partner, "Anouk"),
        data={"statement": "Uitstroomwoningen", "weight": "must", "tier": "named"},
        submit=True,
    )
    services.theme_create(round=round, name="Wonen", by=facilitator)
    page = new_page()
    sign_in(page, live_server, "procesbegeleider")
    page.goto(f"{live_server.url}/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/")
    page.locator("#selection button[type=submit]").first.click()  # nothing ticked
    message = page.locator("#board-status .message--error")
    message.wait_for()
    assert "Vink ten minste één belang aan" in message.inner_text()
    assert not page.locator("#messages .message--error").count()  # no 'that did not work'
    screenshot(page, "interests-board-refusal-in-place")
