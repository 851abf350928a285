"""Three participants answer a pulse on their phones; the facilitator sees the profile and a
diagnosis."""

import pytest

from health import services
from health.statements import STATEMENTS, Topic
from tests import factories
from tests.browser import sign_in
from trajectories.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORES = {Topic.INTENTION: "5", Topic.ACTION: "2"}


def test_three_phones_answer_and_the_facilitator_sees_sham_collaboration(
    live_server, new_page, screenshot
):
    facilitator = factories.make_user("begeleider")
    manager = factories.make_user("bestuurder")
    trajectory = factories.make_trajectory(
        "Van beschermd wonen naar een eigen thuis", facilitator=facilitator, manager=manager
    )
    partners = [
        factories.make_partner(trajectory, name)
        for name in ("Gemeente Rivierstad", "Woonstichting De Linge", "GGZ Midden-Rivierland")
    ]
    levels = [Participant.Level.BOARD, Participant.Level.MANAGER, Participant.Level.PROFESSIONAL]
    people = [
        factories.make_participant(p, f"Deelnemer {i}", level=levels[i])
        for i, p in enumerate(partners)
    ]
    pulse = services.pulse_create(trajectory=trajectory, title="Voorjaar 2027", open_now=True)

    for index, person in enumerate(people):
        _link, token = factories.make_invite(person)
        page = new_page(phone=True)
        page.goto(f"{live_server.url}/i/{token}/")
        page.goto(f"{live_server.url}/t/{trajectory.pk}/gezondheid/")
        page.get_by_role("link", name="Invullen").click()
        assert page.locator("fieldset.health-statement").count() == len(STATEMENTS)
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for statement in STATEMENTS:
            value = SCORES.get(statement.topic, "3")
            page.locator(
                f'label.health-scale__option:has(input[name="score_{statement.key}"][value="{value}"])'
            ).click()
        total = len(STATEMENTS)
        assert (
            page.locator("[data-health-progress]").inner_text()
            == f"{total} van de {total} stellingen beantwoord"
        )
        if index == 0:
            page.get_by_text("Opmerking toevoegen").first.click()
            page.locator("#id_remark_intention_goals").fill("Mooie plannen, nog weinig praktijk")
            screenshot(page, "health-phone-answering")
        page.get_by_role("button", name="Mijn antwoorden versturen").click()
        page.wait_for_url(f"**/t/{trajectory.pk}/gezondheid/")
        assert "uw antwoorden zijn opgeslagen" in page.content()
        if index == 0:
            screenshot(page, "health-phone-answered")

    # A board member reads the outcome on a phone: profile and diagnosis, nothing wider than the
    # screen.
    phone = new_page(phone=True)
    sign_in(phone, live_server, "bestuurder")
    phone.goto(f"{live_server.url}/t/{trajectory.pk}/gezondheid/")
    assert phone.locator("svg.chart--profile").count() == 1
    assert phone.locator("article.health-finding", has_text="Schijnsamenwerking").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "health-phone-manager")

    desk = new_page()
    sign_in(desk, live_server, "begeleider")
    desk.goto(f"{live_server.url}/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/")
    assert "3 personen hebben geantwoord" in desk.content()
    chart = desk.locator("svg.chart--profile")
    assert chart.count() == 1
    assert "Profiel van de drijvende krachten" in chart.locator("title").first.text_content()
    assert "Intentie, Iedereen: 5,0" in chart.locator("desc").text_content()
    finding = desk.locator("article.health-finding", has_text="Schijnsamenwerking")
    assert finding.count() == 1
    assert "Mooie plannen, nog weinig praktijk" in desk.content()
    # Confirm the finding through htmx, with a note.
    finding.locator("label", has_text="Bevestigen").click()
    finding.locator("textarea").fill("Herkend: de praktijk blijft achter bij de plannen.")
    finding.get_by_role("button", name="Oordeel opslaan").click()
    desk.locator("article.health-finding", has_text="Bevestigd door de procesbegeleider").wait_for()
    screenshot(desk, "health-facilitator-pulse")
