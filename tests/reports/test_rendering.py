import pytest

from reports.models import Report
from reports.services import report_build

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

