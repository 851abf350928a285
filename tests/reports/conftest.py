import io

import pytest
from pypdf import PdfReader

from reports.models import Report
from tests import factories


def pdf_text(report_or_bytes) -> str:
    """All text of a PDF, pages joined, whitespace collapsed (line breaks split words otherwise)."""
    data = report_or_bytes
    if isinstance(report_or_bytes, Report):
        with report_or_bytes.file.open("rb") as handle:
            data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def rich_trajectory(trajectory, partner):
    """The standard trajectory with a task, goals, partners, representatives and mandates."""
    trajectory.goals = "Binnen twee jaar wachttijd halveren; één loket voor cliënten."
    trajectory.save(update_fields=["goals"])
    factories.make_participant(
        partner, "Anouk de Vries", level="board", mandate="Mag besluiten tot € 50.000 per jaar."
    )
    corporation = factories.make_partner(trajectory, "Woonstichting Ĳsselland", kind="housing")
    factories.make_participant(corporation, "Jeroen Öztürk", level="manager")
    return trajectory


def progress_order(trajectory, *, requested_by, **fields) -> dict:
    """What `report_order` is given for a managers' progress report in Dutch; `fields` override."""
    return {
        "trajectory": trajectory,
        "kind": "progress",
        "language": "nl",
        "audience": "manager",
        "requested_by": requested_by,
        **fields,
    }


def make_report(trajectory, *, requested_by=None, **fields):
    fields.setdefault("audience", Report.Audience.MANAGER)
    return Report.objects.create(trajectory=trajectory, requested_by=requested_by, **fields)
