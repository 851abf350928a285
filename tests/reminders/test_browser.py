"""What a browser shows: the deadline pages and the reminder and digest mails, at 1280 and 390 px
wide (screenshots under tests/artifacts/, looked at), with nothing scrolling sideways."""

import datetime

import pytest
from django.core import mail as outbox_mail

from health.models import Pulse
from improvements.models import ImprovementPackage, Proposal
from reminders import jobs
from tests import factories
from tests.browser import sign_in_by_session
from workshops.models import ActionItem

from .conftest import open_round, person, submit_interests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)
WIDER_THAN_THE_WINDOW = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def world(trajectory, partner, facilitator, today):
    anouk = person(partner, "Anouk de Vries")
    ahead = factories.make_partner(trajectory, "Woonstichting De Linge")
    person(ahead, "Bram de Linge")
    behind = factories.make_partner(trajectory, "GGZ Midden-Rivierland")
    person(behind, "Cor van der GGZ")
    round = open_round(trajectory, closes_in=2, asked=3, title="Aanvullende belangen")
    submit_interests(round, ahead, 3)
    submit_interests(round, partner, 1)
    proposal = Proposal.objects.create(
        trajectory=trajectory, title="Eén aanspreekpunt per wijk", positions_due_on=today + DAY
    )
    package = ImprovementPackage.objects.create(
        trajectory=trajectory, title="Pakket uitstroom 2027", positions_due_on=today
    )
    package.proposals.set([proposal])
    pulse = Pulse.objects.create(
        trajectory=trajectory, title="Puls najaar", status=Pulse.Status.OPEN, closes_on=today
    )
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Cijfers over wachttijden verzamelen",
        owner_participant=anouk,
        due_date=today - 3 * DAY,
    )
    return {
        "anouk": anouk,
        "round": round,
        "package": package,
        "pulse": pulse,
        "proposal": proposal,
    }


def _look(page, screenshot, name):
    assert not page.evaluate(WIDER_THAN_THE_WINDOW), name
    screenshot(page, name)


def test_the_facilitators_deadline_pages(live_server, new_page, screenshot, world, today):
    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in_by_session(page, live_server, "facilitator")
        width = "390" if phone else "1280"
        for name, obj in (
            ("round", world["round"]),
            ("package", world["package"]),
            ("proposal", world["proposal"]),
            ("pulse", world["pulse"]),
        ):
            page.goto(f"{live_server.url}{obj.get_absolute_url()}")
            assert page.locator(".deadline time").count() >= 1
            _look(page, screenshot, f"reminders-{name}-{width}")
        page.goto(f"{live_server.url}{world['round'].get_absolute_url()}")
        page.get_by_role("link", name="Datum wijzigen").first.click()
        page.get_by_label("Belangen gevraagd uiterlijk").fill((today - DAY).isoformat())
        page.get_by_role("button", name="Datum opslaan").click()
        assert page.get_by_text("kan niet in het verleden liggen").is_visible()
        _look(page, screenshot, f"reminders-deadline-form-error-{width}")


def test_the_participants_welcome_page_with_dates(live_server, new_page, screenshot, world):
    _link, token = factories.make_invite(world["anouk"])
    for phone in (False, True):
        page = new_page(phone=phone)
        page.goto(f"{live_server.url}/i/{token}/")
        assert page.locator(".now__list time").count() >= 2
        _look(page, screenshot, f"reminders-welcome-{'390' if phone else '1280'}")


def test_the_reminder_and_digest_mails(live_server, new_page, screenshot, world, today):
    jobs.reminders_send(today=today)
    jobs.facilitator_digests_send(today=today)
    mails = {m.subject.split(":")[0]: m for m in outbox_mail.outbox}
    for label, subject in (("reminder", "Herinnering"), ("weekly", "Weekoverzicht")):
        [(html, _type)] = mails[subject].alternatives
        for phone in (False, True):
            page = new_page(phone=phone)
            page.set_content(html)
            _look(page, screenshot, f"reminders-mail-{label}-{'390' if phone else '1280'}")
