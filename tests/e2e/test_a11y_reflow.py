"""WCAG 1.4.10 Reflow: at 320 CSS px wide no page scrolls sideways as a whole.

Wide tables may scroll inside their own named, keyboard-reachable wrapper (`.table-wrap`); the
page itself must never be wider than the viewport.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests import factories
from tests.browser import sign_in_by_session
from trajectories.models import Participant, Trajectory
from workshops import services as workshop_services
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLOW_WIDTH = 320


def narrow_page(new_page):
    page = new_page()
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    return page


def page_width(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_page_scrolls_sideways_at_320_css_pixels(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    workshop_services.workshop_start(workshop=workshop)
    base = f"{live_server.url}/t/{trajectory.pk}"
    live = f"{base}/bijeenkomsten/{workshop.pk}"
    page = narrow_page(new_page)
    sign_in_by_session(page, live_server, "demo")

    too_wide = {}
    for name, url in {
        "home": f"{live_server.url}/",
        "trajectory": f"{base}/",
        "partners": f"{base}/partners/",
        "improvements": f"{base}/verbeteringen/",
        "follow-up": f"{base}/verbeteringen/opvolging/",
        "reports": f"{base}/rapportages/",
        "reports dashboard": f"{live_server.url}/rapportages/",
        "interest map": f"{base}/belangen/kaart/",
        "support matrix": f"{base}/verbeteringen/draagvlak/",
        "health": f"{base}/gezondheid/",
    }.items():
        width = page_width(page, url)
        screenshot(page, f"a11y-reflow-320-{name}")
        if width > REFLOW_WIDTH:
            too_wide[name] = width

    # The console and the projector show a different item each time: try every kind of item.
    for item in workshop.items.order_by("position"):
        workshop_services.workshop_go(workshop=workshop, item=item)
        for screen, path in (("console", "regie"), ("projector", "scherm")):
            width = page_width(page, f"{live}/{path}/")
            screenshot(page, f"a11y-reflow-320-{screen}-{item.kind}")
            if width > REFLOW_WIDTH:
                too_wide[f"{screen} ({item.kind})"] = width

    # A participant's phone at 320 px: the welcome page and the live workshop.
    phone = narrow_page(new_page)
    client = factories.login_participant(
        Client(), Participant.objects.filter(partner__trajectory=trajectory).order_by("pk").first()
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    for name, url in {
        "participant welcome": f"{base}/welkom/",
        "participant live": f"{live}/live/",
    }.items():
        width = page_width(phone, url)
        screenshot(phone, f"a11y-reflow-320-{name.replace(' ', '-')}")
        if width > REFLOW_WIDTH:
            too_wide[name] = width

    assert too_wide == {}, f"page widths at a {REFLOW_WIDTH}px viewport: {too_wide}"
