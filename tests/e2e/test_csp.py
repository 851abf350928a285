"""Every page and the live screens work under the strict Content-Security-Policy: the browser
reports no violation (an inline script or style, a style attribute, eval, a foreign origin)."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.browser import sign_in_by_session
from tests.e2e.test_a11y_tables import demo_pages
from trajectories.models import Participant, Trajectory
from workshops import services as workshop_services
from workshops.models import AgendaItem, VoteOption, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs; the browser's own report of each refusal.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def watched(page):
    """The page, recording every CSP violation from now on (events and console reports)."""
    reported = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, reported


def visit(page, url, violations, reported):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations || []") + reported[:]
    reported.clear()
    if found:
        violations[url] = found


def test_no_page_or_live_screen_violates_the_policy(live_server, new_page):
    pages = demo_pages()
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    workshop_services.workshop_start(workshop=workshop)
    live = f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}"
    violations = {}

    # A stranger: the sign-in page and the QR code's address.
    stranger, reported = watched(new_page())
    for path in (
        "/accounts/login/",
        "/accounts/password_reset/",
        f"/doe-mee/{workshop.join_code}/",
    ):
        visit(stranger, live_server.url + path, violations, reported)

    # The facilitator: every demo page, then the console and projector at every kind of item,
    # with a live change arriving while they are open.
    facilitator, reported = watched(new_page())
    sign_in_by_session(facilitator, live_server, "demo")
    for path in pages:
        visit(facilitator, live_server.url + path, violations, reported)
    projector, projector_reported = watched(new_page())
    sign_in_by_session(projector, live_server, "demo")
    for item in workshop.items.order_by("position"):
        workshop_services.workshop_go(workshop=workshop, item=item)
        visit(facilitator, f"{live}/regie/", violations, reported)
        visit(projector, f"{live}/scherm/", violations, projector_reported)

    # A participant's phone at a vote: the welcome page, the live page, a dot placed.
    participant = Participant.objects.filter(partner__trajectory=trajectory).order_by("pk").first()
    phone, phone_reported = watched(new_page(phone=True))
    client = factories.login_participant(Client(), participant)
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    visit(phone, f"{live_server.url}/t/{trajectory.pk}/welkom/", violations, phone_reported)
    vote = workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    for position, label in enumerate(["Wachtlijst", "Nazorg"], start=1):
        VoteOption.objects.create(item=vote, label=label, position=position)
    workshop_services.workshop_go(workshop=workshop, item=vote)
    visit(phone, f"{live}/live/", violations, phone_reported)
    phone.locator("[data-add]").first.click()
    phone.wait_for_load_state("networkidle")
    found = phone.evaluate("window.__cspViolations") + phone_reported
    if found:
        violations["phone after a dot"] = found

    assert len(pages) > 20, "the tour should cover the demo trajectory's pages"
    assert violations == {}, violations
