import http.server
import io
import re
import threading

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader

from interests.models import Interest, InterestRound
from reports import demo, rendering
from reports.models import Report
from reports.services import report_build
from tests import factories
from workshops.models import Workshop

from .conftest import make_report, pdf_text

pytestmark = pytest.mark.django_db


def test_progress_report_renders_in_dutch_with_dutch_characters(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)

    assert report_build(report_id=report.pk) == "ready"

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    text = pdf_text(report)
    assert "Voortgangsrapportage" in text
    assert "Inhoud" in text
    assert "Opgave, doelen en partners" in text
    assert "Woonstichting Ĳsselland" in text or "Woonstichting IJsselland" in text
    assert "Jeroen Öztürk" in text
    assert "Mag besluiten tot € 50.000 per jaar." in text
    assert "wachttijd halveren; één loket voor cliënten" in text


def test_progress_report_speaks_english_when_ordered_in_english(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager, language="en")

    report_build(report_id=report.pk)

    text = pdf_text(Report.objects.get(pk=report.pk))
    assert "Progress report" in text
    assert "Task, goals and partners" in text
    assert "Voortgangsrapportage" not in text
    assert "Jeroen Öztürk" in text


def _interests_with_marker(trajectory, partner):

    revealed = InterestRound.objects.create(
        trajectory=trajectory, title="Eerste ronde", phase="exploration", status="revealed"
    )
    Interest.objects.create(
        round=revealed,
        partner=partner,
        statement="Gedeeld belang: één woonloket",
        tier=Interest.Tier.NAMED,
        status=Interest.Status.SUBMITTED,
    )
    Interest.objects.create(
        round=revealed,
        partner=partner,
        statement="VERTROUWELIJK-MARKER-7Q: sluiting locatie Noord",
        tier=Interest.Tier.FACILITATOR,
        status=Interest.Status.SUBMITTED,
    )


def test_managers_report_never_shows_facilitator_only_interests(rich_trajectory, partner, manager):
    _interests_with_marker(rich_trajectory, partner)
    report = make_report(rich_trajectory, requested_by=manager, audience="manager")

    report_build(report_id=report.pk)

    text = pdf_text(Report.objects.get(pk=report.pk))
    assert "Gedeeld belang: één woonloket" in text
    assert "VERTROUWELIJK-MARKER-7Q" not in text
    assert re.search(r"Tijdlijn .*Belangenronde Eerste ronde", text)


def test_facilitators_report_shows_facilitator_only_interests(
    rich_trajectory, partner, facilitator
):
    _interests_with_marker(rich_trajectory, partner)
    report = make_report(rich_trajectory, requested_by=facilitator, audience="facilitator")

    report_build(report_id=report.pk)

    text = pdf_text(Report.objects.get(pk=report.pk))
    assert "VERTROUWELIJK-MARKER-7Q" in text
    assert "Volledige editie voor procesbegeleiders" in text


def test_report_is_a4_tagged_pdf_ua_with_title_and_language(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    report_build(report_id=report.pk)
    report.refresh_from_db()

    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean object)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert (
        reader.metadata.title == "Voortgangsrapportage – Van beschermd wonen naar een eigen thuis"
    )
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert report.pages == len(reader.pages) >= 3


def test_table_of_contents_gives_page_numbers_and_pages_are_numbered(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    report_build(report_id=report.pk)

    text = pdf_text(Report.objects.get(pk=report.pk))
    assert re.search(r"Opgave, doelen en partners[ .]*\d+", text)
    assert re.search(r"Pagina 2 van \d+", text)


def test_second_progress_report_says_what_changed(rich_trajectory, manager):
    first = make_report(rich_trajectory, requested_by=manager)
    report_build(report_id=first.pk)
    factories.make_partner(rich_trajectory, "Zorggroep Ééndracht", kind="care")
    rich_trajectory.phase = "design"
    rich_trajectory.save(update_fields=["phase"])
    second = make_report(rich_trajectory, requested_by=manager)

    report_build(report_id=second.pk)

    text = pdf_text(Report.objects.get(pk=second.pk))
    assert "Wat er veranderde sinds de vorige voortgangsrapportage" in text
    assert re.search(r"Nieuwe partners\s*—?\s*Zorggroep Ééndracht", text)
    assert re.search(r"Fase\s*Verkenning\s*Ontwerp", text)
    first_text = pdf_text(Report.objects.get(pk=first.pk))
    assert "Dit is de eerste voortgangsrapportage" in first_text


def test_session_report_covers_its_workshop(rich_trajectory, facilitator):
    workshop = Workshop.objects.create(
        trajectory=rich_trajectory,
        title="Werkbijeenkomst belangen delen",
        starts_at=timezone.now(),
        place="Stadhuis Rivierstad",
    )
    report = make_report(
        rich_trajectory,
        requested_by=facilitator,
        kind="session",
        workshop=workshop,
        audience="facilitator",
    )

    report_build(report_id=report.pk)

    text = pdf_text(Report.objects.get(pk=report.pk))
    assert "Sessierapportage" in text
    assert "Werkbijeenkomst belangen delen" in text
    assert "Stadhuis Rivierstad" in text


def test_demo_adds_a_ready_progress_report_for_managers(rich_trajectory, manager):

    demo.load(rich_trajectory)
    demo.load(rich_trajectory)  # safe to run again

    report = Report.objects.get()
    assert (report.status, report.audience, report.requested_by) == ("ready", "manager", manager)


def test_pdf_never_fetches_outside_resources():

    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    html = (
        f'<html lang="nl"><head><title>t</title><link rel="stylesheet" href="{url}/x.css"></head>'
        f'<body><img src="{url}/meta-data" alt="x"><img src="file:///etc/hostname" alt="y">'
        "<p>Tekst</p></body></html>"
    )
    try:
        pdf, pages = rendering.html_to_pdf(html)
    finally:
        server.shutdown()

    assert requests == []
    assert pdf.startswith(b"%PDF-") and pages == 1


def test_first_progress_report_names_the_date_the_next_one_compares_with(rich_trajectory):
    report = make_report(
        rich_trajectory, created_at=timezone.make_aware(timezone.datetime(2026, 12, 1))
    )

    with translation.override("nl"):
        html = render_to_string(
            "reports/report/_changes.html",
            {"section": {"previous": None, "rows": []}, "report": report},
        )

    assert (
        "In de volgende voortgangsrapportage ziet u wat er na 1 december 2026 is veranderd." in html
    )
    assert "sinds vandaag" not in html
