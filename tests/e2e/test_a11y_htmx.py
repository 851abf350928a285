"""Shared htmx fragments (the message area sent out of band) always find their target: an
`htmx:oobErrorNoTarget` means an update that screen-reader users are never told about."""

import re

import pytest
from django.core.management import call_command

from tests.browser import sign_in_by_session
from trajectories.models import Trajectory
from workshops import services as workshop_services
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_OOB_ERRORS = """
window.__oobErrors = [];
document.addEventListener("htmx:oobErrorNoTarget", function (event) {
  window.__oobErrors.push((event.detail.content && event.detail.content.id) || "?");
});
"""


def test_console_actions_swap_their_messages_into_the_page(live_server, new_page):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    workshop_services.workshop_start(workshop=workshop)
    page = new_page()
    page.add_init_script(RECORD_OOB_ERRORS)
    sign_in_by_session(page, live_server, "demo")
    page.goto(f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/regie/")

    for button in ("Volgend punt", "Vorig punt"):
        with page.expect_response(re.compile(r"/regie/")):
            page.get_by_role("button", name=re.compile(button)).click()
        page.wait_for_load_state("networkidle")
    with page.expect_response(re.compile(r"/afspraken/")):
        page.get_by_role("button", name="Leg de afspraak vast").click()  # empty: an error
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.__oobErrors") == []
