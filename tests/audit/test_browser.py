"""The audit log page on a desktop and a phone: readable, no sideways scrolling, filters work."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from tests import factories
from tests.browser import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Action = AuditEntry.Action


def _some_log(trajectory, partner, participant):
    now = timezone.now()
    femke, anouk = "Procesbegeleider Femke de Boer", f"Vertegenwoordiger {participant.name}"
    rows = [
        (Action.INVITE_ISSUED, femke, participant.name),
        (Action.INVITE_MAILED, femke, participant.name),
        (Action.POSITION_TAKEN, anouk, "Eén intake voor alle partners"),
        (Action.TIER_CHANGED, femke, "Wachttijden voor een woning " + "x" * 90),
        (Action.PACKAGE_ADOPTED, femke, "Verbeterpakket 2027"),
        (Action.REPORT_DOWNLOADED, "Manager Jan Visser", "Voortgangsrapportage.pdf"),
    ]
    # Written whole, each at its own time: the log refuses to backdate an entry.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            trajectory=trajectory,
            action=action,
            at=now - datetime.timedelta(hours=5 * n),
            actor_label=label,
            partner=partner,
            summary=summary,
        )
        for n, (action, label, summary) in enumerate(rows)
    )


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_log_page_fits_and_filters(
    live_server, new_page, screenshot, trajectory, facilitator, partner, participant, phone
):
    factories.make_partner(trajectory, "Woonstichting De Linge")
    _some_log(trajectory, partner, participant)
    page = new_page(phone=phone)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/logboek/")
    assert page.get_by_role("heading", name="6 regels").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"audit-log-{'phone' if phone else 'desktop'}")
    page.get_by_label("Handeling").select_option("position_taken")
    page.get_by_role("button", name="Filteren").click()
    assert page.get_by_role("heading", name="1 regel voldoet aan de filters").is_visible()
    assert "action=position_taken" in page.url
    assert not violations
    if phone:
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
