"""The projector on a wall: type that grows with the screen, no sideways scrolling at 16:9 or
4:3, the join code large while people come in and small once the session runs, ranked results
and an end screen. Screenshots under tests/artifacts/projector-*.png are for a person to look at."""

import pytest

from tests import factories
from tests.browser import sign_in_by_session
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1024, 768), (1280, 720), (1920, 1080), (3840, 2160)]

NOTES = [
    "Eén vast aanspreekpunt per wijk, dat iedereen kent",
    "Wachtlijsten delen tussen de corporaties",
    "Begeleiding die meegaat naar de nieuwe woning",
    "Minder formulieren voor de cliënt",
    "Een gezamenlijk overleg elke maand",
    "Duidelijkheid over wie de huur garandeert in het eerste jaar, ook als de begeleiding stopt",
    "Budget voor een proefperiode",
    "Korte lijnen met de wijkteams",
    "Een contingent uitstroomwoningen per jaar",
    "Ervaringsdeskundigen aan tafel",
    "Samen de buurt voorbereiden",
    "Afspraken over terugval",
]


def _room(trajectory):
    partners = [
        factories.make_partner(trajectory, name)
        for name in (
            "Gemeente Rivierstad",
            "Woonstichting De Linge",
            "Zorggroep Het Anker",
            "Stichting Onderdak",
        )
    ]
    people = [
        factories.make_participant(partner, f"Deelnemer {i}")
        for i, partner in enumerate(partners * 2)
    ]
    workshop = make_workshop(trajectory, title="Werkbijeenkomst wonen en zorg")
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    notes = add_item(
        workshop,
        AgendaItem.Kind.DISCUSSION,
        "Wat is er nodig voor een eigen thuis?",
        notes="Denk aan wonen, begeleiding en geld.",
    )
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we mee?")
    options = [
        services.option_add(item=voting, label=label)
        for label in (
            "Contingent uitstroomwoningen",
            "Vast aanspreekpunt in de wijk",
            "Gedeelde wachtlijst",
            "Proefperiode met begeleiding",
        )
    ]
    add_item(workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken en acties")
    return workshop, partners, people, notes, voting, options


def _no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _font_px(page):
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def _shoot_everywhere(page, url, screenshot, name, *, wait_for):
    """Screenshots at every size; returns the body font size per width."""
    sizes = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.locator(wait_for).first.wait_for()
        assert _no_sideways_scroll(page), f"{name} scrolls sideways at {width}×{height}"
        screenshot(page, f"projector-{name}-{width}x{height}")
        sizes[width] = _font_px(page)
    return sizes


def test_the_projector_fills_the_wall_at_every_size(
    live_server, new_page, screenshot, settings, trajectory, facilitator
):
    settings.SITE_URL = live_server.url
    workshop, partners, people, notes, voting, options = _room(trajectory)
    url = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/scherm/"
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)

    # People come in: the workshop has not started, the join code is large.
    sizes = _shoot_everywhere(page, url, screenshot, "joining", wait_for=".projector__join--large")
    widths = sorted(sizes)
    assert all(sizes[a] < sizes[b] for a, b in zip(widths, widths[1:], strict=False)), sizes
    assert sizes[3840] >= 2 * sizes[1280], sizes
    qr = page.locator(".projector__join img").bounding_box()
    assert qr["height"] >= 0.4 * 2160, qr

    # The session runs: a note item with many notes, the join code small in a corner.
    services.workshop_start(workshop=workshop)
    services.workshop_go(workshop=workshop, item=notes)
    for i, text in enumerate(NOTES):
        services.contribution_add(item=notes, participant=people[i % len(people)], text=text)
    sizes = _shoot_everywhere(page, url, screenshot, "notes", wait_for=".projector__join--small")
    assert sizes[3840] > sizes[1920] > sizes[1280], sizes
    qr = page.locator(".projector__join img").bounding_box()
    assert qr["height"] <= 0.2 * 2160, qr
    assert page.locator(".note").count() == len(NOTES)

    # A revealed vote, two options tied for first place.
    services.workshop_go(workshop=workshop, item=voting)
    for person, option in zip(people, [0, 1, 0, 1, 2, 0, 1, 3], strict=True):
        services.dot_place(item=voting, participant=person, option=options[option])
    services.item_reveal(item=voting)
    _shoot_everywhere(page, url, screenshot, "results", wait_for=".results__row--winner")
    winners = page.locator(".results__row--winner")
    assert winners.count() == 2
    assert "Gedeelde eerste plaats" in winners.first.inner_text()

    # The end screen: thanks, what was agreed, what happens next.
    agreement = services.agreement_record(
        workshop=workshop, text="We delen de wachtlijst vanaf 1 maart."
    )
    services.action_item_record(
        workshop=workshop,
        title="Wachtlijsten naast elkaar leggen",
        owner_partner=partners[1],
        agreement=agreement,
    )
    services.workshop_close(workshop=workshop)
    _shoot_everywhere(page, url, screenshot, "end", wait_for=".live-end")
    assert page.locator(".projector__join").count() == 0

    # Down to 320 px the projector reflows instead of scrolling sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
    screenshot(page, "projector-end-320")
