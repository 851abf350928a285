"""A facilitator invites a coordinator, who chooses a password, signs in, reads the portfolio with
its signals and downloads the portfolio report (the embedded way: the build runs in a thread)."""

import re

import pytest
from django.core import mail

from organisations.models import Coordinator
from tests.browser import sign_in_by_session, wait_until
from tests.e2e.test_axe import audited, problems

# The axe-core script, installed once per session by the accessibility tests' fixture.
from tests.e2e.test_axe import axe_source as axe_source_fixture  # noqa: F401

from .conftest import fill_trajectory

pytestmark = pytest.mark.browser

PASSWORD = "portfolio-2026-Rivierstad!"


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_invited_coordinator_reads_the_portfolio_and_downloads_the_report(
    live_server, new_page, screenshot, settings, trajectory, facilitator, tmp_path
):
    settings.BACKGROUND_TASKS_IN_THREAD = True
    own, _other = fill_trajectory(trajectory)

    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/partners/")
    page.get_by_role("link", name=f"Coördinator van {own.name}").click()
    page.get_by_label("Naam").fill("Cor de Coördinator")
    page.get_by_label("E-mailadres").fill("cor@rivierstad.example")
    screenshot(page, "portfolio-invite-form")
    page.get_by_role("button", name="Coördinator uitnodigen").click()
    page.get_by_text("is nu coördinator van").wait_for()
    assert Coordinator.objects.get().user.email == "cor@rivierstad.example"

    phone_invite = new_page(phone=True)
    sign_in_by_session(phone_invite, live_server, facilitator.username)
    phone_invite.goto(page.url)
    assert _no_sideways_scroll(phone_invite)
    screenshot(phone_invite, "portfolio-invite-form-phone")

    # The coordinator follows the mail's link, chooses a password and signs in.
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    coordinator = new_page()
    coordinator.goto(f"{live_server.url}{path}")
    coordinator.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    coordinator.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    coordinator.get_by_role("button", name="Wachtwoord opslaan").click()
    coordinator.goto(f"{live_server.url}/accounts/login/")
    username = Coordinator.objects.get().user.username
    coordinator.get_by_label("Gebruikersnaam").fill(username)
    coordinator.get_by_label("Wachtwoord").fill(PASSWORD)
    coordinator.get_by_role("button", name="Aanmelden").click()
    coordinator.wait_for_url(f"{live_server.url}/organisaties/{own.organisation_id}/")

    signals = coordinator.locator(f"#trajectory-{trajectory.pk}-signals")
    assert "Mandaatbesluit nodig" in signals.inner_text()
    assert "Verlopen actiepunten" in signals.inner_text()
    screenshot(coordinator, "portfolio-desktop")

    coordinator.get_by_role("button", name="Portfoliorapportage bestellen").click()
    link = coordinator.get_by_role("link", name="Pdf downloaden")
    link.wait_for(timeout=60_000)
    screenshot(coordinator, "portfolio-report-ready")
    with coordinator.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert target.name.startswith("portfoliorapportage-")
    (settings.BASE_DIR / "tests" / "artifacts").mkdir(exist_ok=True)
    (settings.BASE_DIR / "tests" / "artifacts" / "portfolio-report.pdf").write_bytes(
        target.read_bytes()
    )

    phone = new_page(phone=True)
    sign_in_by_session(phone, live_server, username)
    phone.goto(f"{live_server.url}/organisaties/{own.organisation_id}/")
    wait_until(phone, "document.readyState === 'complete'")
    assert _no_sideways_scroll(phone)
    screenshot(phone, "portfolio-phone")


def test_the_portfolio_and_the_invite_form_have_no_serious_accessibility_problem(
    live_server,
    new_page,
    request,
    trajectory,
    facilitator,
):
    axe_source = request.getfixturevalue("axe_source_fixture")
    own, _other = fill_trajectory(trajectory)
    from .conftest import make_coordinator

    coordinator = make_coordinator(own.organisation)
    found = {}
    for name, username, path, phone in [
        ("portfolio", coordinator.username, f"/organisaties/{own.organisation_id}/", False),
        ("portfolio phone", coordinator.username, f"/organisaties/{own.organisation_id}/", True),
        (
            "invite form",
            facilitator.username,
            f"/t/{trajectory.pk}/partners/{own.pk}/coordinatoren/",
            False,
        ),
    ]:
        page = audited(new_page(phone=phone), axe_source)
        sign_in_by_session(page, live_server, username)
        page.goto(live_server.url + path)
        if result := problems(page):
            found[name] = result
    assert found == {}
