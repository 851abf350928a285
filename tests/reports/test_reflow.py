"""WCAG 1.4.10 Reflow: every health and reports page fits a 320 CSS px wide screen; wide tables
scroll inside their own named, keyboard-reachable wrapper, never the page as a whole."""

import pytest
from django.conf import settings
from django.test import Client

from coconnect.composition import DEMO_LOADERS
from health.models import InterimChange, Pulse, Risk, Stakeholder
from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _signed_in(new_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 640})
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_health_and_reports_pages_reflow_at_320_px(
    live_server, new_page, screenshot, rich_trajectory, facilitator
):
    for _app, load in DEMO_LOADERS:
        load(rich_trajectory)
    base = f"{live_server.url}/t/{rich_trajectory.pk}"
    pulse = Pulse.objects.filter(trajectory=rich_trajectory).last()
    pages = {
        "health": f"{base}/gezondheid/",
        "health-pulse": f"{base}/gezondheid/pulsen/{pulse.pk}/",
        "health-changes": f"{base}/gezondheid/veranderingen/",
        "health-change-form": f"{base}/gezondheid/veranderingen/"
        f"{InterimChange.objects.filter(trajectory=rich_trajectory).first().pk}/",
        "health-risks": f"{base}/gezondheid/risicos/",
        "health-risk-form": f"{base}/gezondheid/risicos/"
        f"{Risk.objects.filter(trajectory=rich_trajectory).first().pk}/",
        "health-stakeholders": f"{base}/gezondheid/krachtenveld/",
        "health-stakeholder-form": f"{base}/gezondheid/krachtenveld/"
        f"{Stakeholder.objects.filter(trajectory=rich_trajectory).first().pk}/",
        "reports": f"{base}/rapportages/",
        "report-detail": Report.objects.filter(trajectory=rich_trajectory)
        .first()
        .get_absolute_url(),
        "reports-dashboard": f"{live_server.url}/rapportages/",
    }
    page = _signed_in(new_page, live_server, facilitator)
    too_wide, unnamed = {}, {}
    for name, url in pages.items():
        page.goto(url if url.startswith("http") else live_server.url + url)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"reflow-320-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[name] = width
        # Every scrollable table wrapper is a named keyboard stop.
        bad = page.evaluate(
            """[...document.querySelectorAll('.table-wrap')].filter(w =>
                w.getAttribute('role') !== 'region' || w.tabIndex !== 0 ||
                !(document.getElementById(w.getAttribute('aria-labelledby') || '')?.textContent
                  .trim())).length"""
        )
        if bad:
            unnamed[name] = bad

    assert too_wide == {}, f"page widths at {WIDTH} px: {too_wide}"
    assert unnamed == {}, f"unnamed or unreachable table wrappers: {unnamed}"
