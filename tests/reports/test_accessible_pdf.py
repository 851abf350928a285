"""The tagged PDF reads well with assistive technology: contents links described in the report's
own language, and every table header cell says whether it heads a column or a row."""

import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from coconnect.composition import DEMO_LOADERS
from reports.models import Report
from reports.rendering import report_context
from workshops.models import Workshop

from .conftest import make_report

pytestmark = pytest.mark.django_db

ENGLISH_IDS = {"basics", "changes", "timeline", "session", "interests", "workshops", "health"}


@pytest.fixture
def full_trajectory(rich_trajectory):
    """Every app's demo data, so every section and every table of the reports appears."""
    for _app, load in DEMO_LOADERS:
        load(rich_trajectory)
    return rich_trajectory


def _link_descriptions(report: Report) -> list[str]:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [
        str(annotation.get_object().get("/Contents", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]


def test_dutch_contents_links_are_described_in_dutch(full_trajectory, manager):
    report = Report.objects.get(trajectory=full_trajectory)  # the demo's Dutch progress report
    assert report.language == "nl" and report.is_ready

    descriptions = _link_descriptions(report)

    assert "opgave-doelen-en-partners" in descriptions
    assert not ENGLISH_IDS & set(descriptions)


def _document(report: Report) -> str:
    with translation.override(report.language):
        return render_to_string("reports/pdf/document.html", report_context(report))


@pytest.mark.parametrize("kind", ["progress", "session"])
def test_every_table_header_cell_of_a_report_has_a_scope(full_trajectory, facilitator, kind):
    workshop = Workshop.objects.filter(trajectory=full_trajectory).first() if kind else None
    report = make_report(
        full_trajectory,
        requested_by=facilitator,
        audience="facilitator",
        kind=kind,
        workshop=workshop if kind == "session" else None,
    )

    headers = re.findall(r"<th\b[^>]*>", _document(report))

    assert headers, "the report has tables"
    assert [th for th in headers if "scope=" not in th] == []
