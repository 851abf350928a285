"""The portfolio report: ordered by a coordinator, built in the background, downloaded as PDF."""

import io
import uuid

import pytest
from pypdf import PdfReader

from reports.models import Report
from reports.services import report_build

from .conftest import OTHER, OTHER_MARKER, make_coordinator

pytestmark = pytest.mark.django_db


def _order(client, organisation, language="nl", key=None):
    return client.post(
        f"/organisaties/{organisation.pk}/rapportage/",
        {"language": language, "submission_key": str(key or uuid.uuid4())},
    )


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("language, words", [("nl", "Samenvatting"), ("en", "Summary")])
def test_coordinator_orders_and_downloads_the_report(
    coordinator_client, municipality, trajectory, language, words
):
    response = _order(coordinator_client, municipality, language)
    report = Report.objects.get()
    assert response["Location"] == f"/organisaties/{municipality.pk}/rapportages/{report.pk}/"
    assert report.kind == "portfolio" and report.trajectory_id is None
    assert report.audience == "coordinator"
    report_build(report_id=report.pk, notify=False)
    page = coordinator_client.get(report.get_absolute_url()).content.decode()
    assert report.get_download_url() in page
    download = coordinator_client.get(report.get_download_url())
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    assert download["Content-Type"] == "application/pdf"
    text = _text(pdf)
    assert words in text and trajectory.name in text and "Eén wijkloket" in text
    assert OTHER_MARKER not in text and OTHER not in text
    report.refresh_from_db()
    assert report.pages >= 3  # cover, summary, one page per trajectory


def test_a_double_submit_orders_once(coordinator_client, municipality):
    key = uuid.uuid4()
    _order(coordinator_client, municipality, key=key)
    _order(coordinator_client, municipality, key=key)
    assert Report.objects.count() == 1


def test_a_forged_language_orders_nothing(coordinator_client, municipality):
    response = _order(coordinator_client, municipality, language="xx")
    assert response.status_code == 422
    assert not Report.objects.exists()


def test_only_coordinators_order_and_read_the_report(
    client, facilitator_client, municipality, coordinator, other_trajectory
):
    assert _order(facilitator_client, municipality).status_code == 403
    client.force_login(coordinator)
    _order(client, municipality)
    report = Report.objects.get()
    report_build(report_id=report.pk, notify=False)
    for user in (
        other_trajectory.facilitator,
        make_coordinator(other_trajectory.participant.partner.organisation, "ander"),
    ):
        client.force_login(user)
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.get(report.get_download_url()).status_code == 404
        assert _order(client, municipality).status_code == 404


def test_the_report_never_shows_in_a_trajectorys_report_list(
    coordinator_client, facilitator_client, municipality, trajectory
):
    _order(coordinator_client, municipality)
    html = facilitator_client.get(f"/t/{trajectory.pk}/rapportages/").content.decode()
    assert "Portfoliorapportage" not in html
    assert facilitator_client.get("/rapportages/").status_code == 200


def test_the_download_is_in_the_log_of_each_trajectory(coordinator_client, municipality):
    from audit.models import AuditEntry

    _order(coordinator_client, municipality)
    report = Report.objects.get()
    report_build(report_id=report.pk, notify=False)
    b"".join(coordinator_client.get(report.get_download_url()).streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REPORT_DOWNLOADED)
    assert entry.actor_role == "coordinator"


def test_the_requester_is_mailed_the_portfolio_reports_page(coordinator_client, municipality):
    from django.core import mail

    _order(coordinator_client, municipality)
    report = Report.objects.get()
    report_build(report_id=report.pk)
    [message] = [m for m in mail.outbox if municipality.name in m.subject]
    assert f"/organisaties/{municipality.pk}/rapportages/{report.pk}/" in message.body
