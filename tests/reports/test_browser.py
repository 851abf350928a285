import subprocess

import pytest

from reports.models import Report
from tests.conftest import ARTIFACTS

from .conftest import pdf_text

pytestmark = pytest.mark.browser


def test_manager_orders_waits_for_and_downloads_a_progress_report(
    live_server, new_page, screenshot, settings, rich_trajectory, manager, tmp_path
):
    # The embedded way: no broker, the render runs in a thread and the page polls for it.
    settings.BACKGROUND_TASKS_IN_THREAD = True
    page = new_page()
    page.goto(f"{live_server.url}/rapportages/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_url(f"{live_server.url}/rapportages/")
    screenshot(page, "reports-dashboard-empty")

    page.get_by_role("button", name="Voortgangsrapportage aanvragen").click()
    page.wait_for_url(f"{live_server.url}/t/{rich_trajectory.pk}/rapportages/*/")
    download_link = page.get_by_role("link", name="PDF downloaden")
    download_link.wait_for(timeout=60_000)  # appears through htmx polling, without a reload
    screenshot(page, "reports-detail-ready")
    assert "Klaar" in page.locator("#report-status").inner_text()

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("voortgangsrapportage-van-beschermd-wonen")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert "Opgave, doelen en partners" in pdf_text(data)
    report = Report.objects.get()
    assert (report.requested_by, report.audience, report.status) == (manager, "manager", "ready")

    # Pages as pictures, to look at (tests/artifacts/report-page-N.png).

    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / "report-page")], check=True
    )

    phone = new_page(phone=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/rapportages/")
    screenshot(phone, "reports-dashboard-phone")
