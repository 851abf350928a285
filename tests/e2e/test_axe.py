"""axe-core, the accessibility engine most public-body audits start from, finds no serious or
critical WCAG 2.1 A/AA problem on the room's screens: knocking and waiting on a phone, the console
with people waiting, the projector, the phone at a note and a vote, the welcome page, the themes
board, and the public statements.

axe-core comes from the npm registry at a pinned version, installed once under var/ (the browser
gets it as an init script, which the strict CSP does not block). In CI a missing npm fails the run.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests import factories
from tests.browser import sign_in_by_session
from trajectories.models import Participant, Trajectory
from workshops import services as workshop_services
from workshops.models import AgendaItem, VoteOption, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_VERSION = "4.14.1"
AXE_HOME = Path(settings.BASE_DIR) / "var" / "test-axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source():
    script = AXE_HOME / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if not shutil.which("npm"):
            if os.environ.get("CI") == "true":
                pytest.fail("npm is required in CI to install axe-core")
            pytest.skip("npm not installed")
        AXE_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_HOME),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text()


def audited(page, axe_source):
    page.add_init_script(script=axe_source)
    return page


def problems(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
            .violations.map(v => ({id: v.id, impact: v.impact,
                                   where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}) at {v['where']}"
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]


def test_the_room_screens_have_no_serious_accessibility_problem(
    live_server, new_page, axe_source, screenshot
):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    vote = workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    for position, label in enumerate(["Wachtlijst", "Nazorg"], start=1):
        VoteOption.objects.create(item=vote, label=label, position=position)
    workshop_services.workshop_start(workshop=workshop)
    base = f"{live_server.url}/t/{trajectory.pk}"
    live = f"{base}/bijeenkomsten/{workshop.pk}"
    found = {}

    def check(name, page):
        result = problems(page)
        if result:
            found[name] = result

    # A stranger: the statements, then knocking from the projector's code on a phone.
    stranger = audited(new_page(phone=True), axe_source)
    for name, path in (("privacy", "/privacy/"), ("accessibility", "/toegankelijkheid/")):
        stranger.goto(live_server.url + path)
        check(name, stranger)
    stranger.goto(f"{live_server.url}/doe-mee/{workshop.join_code}/")
    check("knock form", stranger)
    stranger.get_by_role("radio").first.check()
    stranger.get_by_label("Uw naam").fill("Sanne Bakker")
    stranger.get_by_role("button", name="Vragen om mee te doen").click()
    stranger.wait_for_url("**/wacht/")
    check("knock waiting", stranger)

    # The facilitator: the console with someone waiting, the projector, the themes board.
    facilitator = audited(new_page(), axe_source)
    sign_in_by_session(facilitator, live_server, "demo")
    facilitator.goto(f"{live}/regie/")
    facilitator.get_by_text("Sanne Bakker").wait_for()
    check("console with people waiting", facilitator)
    screenshot(facilitator, "axe-console-waiting")
    facilitator.set_viewport_size({"width": 1920, "height": 1080})
    facilitator.goto(f"{live}/scherm/")
    check("projector", facilitator)
    facilitator.set_viewport_size({"width": 1280, "height": 900})
    round_ = trajectory.interest_rounds.order_by("pk").first()
    facilitator.goto(f"{base}/belangen/rondes/{round_.pk}/themas/")
    check("themes board", facilitator)

    # A participant's phone: the welcome page, the live page at a note item and at a vote.
    participant = Participant.objects.filter(partner__trajectory=trajectory).order_by("pk").first()
    phone = audited(new_page(phone=True), axe_source)
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
    phone.goto(f"{base}/welkom/")
    check("welcome", phone)
    notes = workshop.items.filter(kind__in=[AgendaItem.Kind.CHECK_IN, AgendaItem.Kind.DISCUSSION])
    workshop_services.workshop_go(workshop=workshop, item=notes.order_by("position").first())
    phone.goto(f"{live}/live/")
    check("phone at a note item", phone)
    workshop_services.workshop_go(workshop=workshop, item=vote)
    phone.goto(f"{live}/live/")
    check("phone at a vote", phone)

    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
