"""The heavy pages of a larger round, on a desktop and a phone: the theme board's selection bar
works from the keyboard, and the board, the round page, the support matrix and the proposal form
are photographed for a person to look at."""

import pytest

from improvements.models import Position, Proposal
from interests import services
from interests.models import Interest, Theme
from tests import factories
from tests.browser import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round_with_themes(facilitator):
    trajectory = factories.make_trajectory("Rivierland wonen en zorg", facilitator=facilitator)
    partners = [
        factories.make_partner(trajectory, name, kind=kind)
        for name, kind in (
            ("Gemeente Rivierstad", "municipality"),
            ("Woonstichting De Linge", "housing"),
            ("Zorggroep Onderdak", "care"),
        )
    ]
    round = services.round_create(trajectory=trajectory, title="Opbouwfase", by=facilitator)
    tiers = ["named", "anonymous", "facilitator"]
    Interest.objects.bulk_create(
        Interest(
            round=round,
            partner=partners[n % 3],
            statement=f"Belang {n + 1}: sneller een passende woning met begeleiding",
            weight=["must", "important", "nice"][n % 3],
            tier=tiers[(n // 3) % 3],
            status="submitted",
        )
        for n in range(9)
    )
    round.status = "revealed"
    round.save(update_fields=["status"])
    for name, classification in (("Wonen", "compatible"), ("Zorg", "conflicting")):
        Theme.objects.create(
            trajectory=trajectory, round=round, name=name, classification=classification
        )
    for n in range(3):
        proposal = Proposal.objects.create(
            trajectory=trajectory, title=f"Voorstel {n + 1}: één woonloket", proposer_partner=None
        )
        proposal.interests.set(Interest.objects.filter(round=round)[:4])
        Position.objects.bulk_create(
            Position(proposal=proposal, partner=p, stance="supports", mandate="agreed")
            for p in partners[: n + 1]
        )
    return trajectory, round


def test_the_board_moves_ticked_interests_from_the_keyboard(live_server, new_page, screenshot):
    facilitator = factories.make_user("procesbegeleider")
    trajectory, round = _round_with_themes(facilitator)
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
    board = f"{live_server.url}/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/"
    page.goto(board)
    first, second = Interest.objects.filter(round=round).order_by("partner__name", "pk")[:2]
    page.get_by_label(first.statement).first.focus()
    page.keyboard.press("Space")
    page.locator(f"#pick-{second.pk}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Verplaatsen naar thema").select_option(label="Wonen")
    page.get_by_role("button", name="Aangevinkte verplaatsen").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"section.theme-card >> #board-interest-{second.pk}")
    assert set(Interest.objects.filter(theme__name="Wonen").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    page.locator(f"#pick-{first.pk}").check()
    screenshot(page, "heavy-themes-board-desktop")
    phone = new_page(phone=True)
    sign_in_by_session(phone, live_server, facilitator.username)
    phone.goto(board)
    screenshot(phone, "heavy-themes-board-390")

    pages = {
        "round": f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/",
        "matrix": f"/t/{trajectory.pk}/verbeteringen/draagvlak/",
        "proposal-form": f"/t/{trajectory.pk}/verbeteringen/voorstellen/nieuw/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, f"heavy-{name}-desktop")
        phone.goto(live_server.url + path)
        screenshot(phone, f"heavy-{name}-390")
