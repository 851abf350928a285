"""A facilitator orders the dossier from the reports page, waits for it and downloads the ZIP."""

import io
import json
import zipfile

import pytest

from reports.models import Report
from tests.browser import sign_in_by_session

pytestmark = pytest.mark.browser


def test_facilitator_orders_and_downloads_the_dossier(
    live_server, new_page, screenshot, settings, rich_trajectory, facilitator, tmp_path
):
    # The embedded way: no broker, the build runs in a thread and the page polls for it.
    settings.BACKGROUND_TASKS_IN_THREAD = True
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{rich_trajectory.pk}/rapportages/")
    page.get_by_role(
        "heading", name="Dossier van het samenwerkingstraject"
    ).scroll_into_view_if_needed()
    screenshot(page, "dossier-reports-page")

    page.get_by_role("button", name="Dossier bestellen (gedeelde editie)").click()
    page.wait_for_url(f"{live_server.url}/t/{rich_trajectory.pk}/rapportages/*/")
    link = page.get_by_role("link", name="ZIP downloaden")
    link.wait_for(timeout=60_000)
    screenshot(page, "dossier-detail-ready")
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("dossier-") and target.name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert json.loads(archive.read("manifest.json"))["edition"] == "shared"
    assert Report.objects.get().edition == "shared"

    phone = new_page(phone=True)
    sign_in_by_session(phone, live_server, facilitator.username)
    phone.goto(f"{live_server.url}/t/{rich_trajectory.pk}/rapportages/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "dossier-reports-page-phone")
