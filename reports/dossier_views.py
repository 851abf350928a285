"""The facilitator's download of the trajectory's dossier (reports/dossier.py).

Kept apart from views.py (the PDF reports). The ZIP is built during the request for now: the
large bench trajectory takes well under the request timeout (bench/bench_dossier.py).
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

import audit
from audit.models import AuditEntry
from coconnect.htmx import HtmxHttpRequest
from trajectories.access import FACILITATOR, Viewer, trajectory_view

from .dossier import FACILITATOR as FACILITATOR_EDITION
from .dossier import SHARED, dossier_build, dossier_file_name


@require_GET
@trajectory_view(FACILITATOR)
def dossier(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    # Anything but the explicit facilitator's edition is the shared one: the safe default.
    edition = FACILITATOR_EDITION if request.GET.get("editie") == "facilitator" else SHARED
    data = dossier_build(viewer.trajectory, edition=edition)
    name = dossier_file_name(viewer.trajectory, edition)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    audit.record(
        trajectory=viewer.trajectory,
        action=AuditEntry.Action.EXPORT_DOWNLOADED,
        by=viewer,
        summary=name,
        edition=edition,
    )
    return response
