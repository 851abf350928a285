"""WCAG 1.4.10 Reflow: at 320 CSS px no improvements page scrolls sideways as a whole; wide
tables scroll inside their own named, keyboard-reachable wrapper."""

import pytest
from django.utils import timezone

from improvements import services
from tests import factories
from tests.browser import sign_in
from tests.improvements.helpers import adopt, days, make_action, make_package, make_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
LONG = "Gemeenschappelijke-doorstroomtafel-voor-alle-woningcorporaties-en-zorgaanbieders"


def _world():
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory("Doorstroom", facilitator=facilitator)
    partners = [
        factories.make_partner(trajectory, name)
        for name in (
            "Gemeente Rivierstad",
            "Woonstichting De Linge",
            "Stichting Onderdak Rivierstad",
            "GGZ Midden-Rivierland",
        )
    ]
    participant = factories.make_participant(partners[0], "Anouk de Vries")
    first = make_proposal(
        trajectory,
        f"Eén uitstroomoverleg per maand {LONG}",
        proposer_partner=partners[0],
        description=LONG,
        gains={p.pk: ("much", LONG) for p in partners},
    )
    for partner in partners:
        services.position_take(
            proposal=first, partner=partner, stance="conditions", text=LONG, mandate="board"
        )
    adopted = adopt(make_package(trajectory, [first], title=f"Pakket {LONG}"), facilitator)
    services.package_action_add(
        package=adopted,
        title=f"Overleg plannen {LONG}",
        owner_partner=partners[0],
        due_date=days(-3),
    )
    make_action(trajectory, partners[0], title=f"Wachtlijst delen {LONG}", due=days(5))
    draft = services.package_new_version(package=adopted)
    return trajectory, participant, first, adopted, draft, timezone.now()


def _width(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollWidth")


def test_improvements_pages_reflow_at_320_css_pixels(live_server, new_page, screenshot):
    trajectory, participant, proposal, adopted, draft, _now = _world()
    _link, token = factories.make_invite(participant)
    base = f"{live_server.url}/t/{trajectory.pk}/verbeteringen"
    pages = {
        "index": f"{base}/",
        "matrix": f"{base}/draagvlak/",
        "proposal": f"{base}/voorstellen/{proposal.pk}/",
        "proposal-new": f"{base}/voorstellen/nieuw/",
        "adopted": f"{base}/pakketten/{adopted.pk}/",
        "draft": f"{base}/pakketten/{draft.pk}/",
        "followup": f"{base}/opvolging/",
    }
    too_wide = {}

    participant_page = new_page(phone=True)
    participant_page.set_viewport_size({"width": WIDTH, "height": 640})
    participant_page.goto(f"{live_server.url}/i/{token}/")
    for name, url in pages.items():
        width = _width(participant_page, url)
        screenshot(participant_page, f"improvements-reflow-320-participant-{name}")
        if width > WIDTH:
            too_wide[f"participant {name}"] = width

    desk = new_page()
    desk.set_viewport_size({"width": WIDTH, "height": 640})
    sign_in(desk, live_server, "procesbegeleider")
    for name, url in {**pages, "kinds": f"{base}/soorten/"}.items():
        width = _width(desk, url)
        screenshot(desk, f"improvements-reflow-320-facilitator-{name}")
        if width > WIDTH:
            too_wide[f"facilitator {name}"] = width

    assert too_wide == {}, f"page widths at a {WIDTH}px viewport: {too_wide}"

    # The matrix scrolls inside its wrapper, which the keyboard reaches and which has a name.
    desk.goto(f"{base}/draagvlak/")
    wrapper = desk.locator(".table-wrap").first
    assert wrapper.get_attribute("tabindex") == "0"
    assert wrapper.get_attribute("role") == "region"
    label = desk.locator(f"#{wrapper.get_attribute('aria-labelledby')}")
    assert label.count() == 1 and label.inner_text().strip()

    # So does the chart, which keeps a readable size on a phone.
    chart = desk.locator(".chart-scroll")
    assert chart.get_attribute("tabindex") == "0" and chart.get_attribute("role") == "region"
    assert chart.get_attribute("aria-labelledby") == "chart-heading"
