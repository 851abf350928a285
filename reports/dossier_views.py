"""The facilitator orders the trajectory's dossier (reports/dossier.py).

It goes through the report pipeline like a PDF report (a Report of kind "dossier", built in the
background by reports/tasks.py, inline without a broker); its page and download are the
reports' own views, which give a dossier to facilitators only (its audience).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coconnect.htmx import HtmxHttpRequest
from trajectories.access import FACILITATOR, Viewer, trajectory_view

from .forms import DossierOrderForm
from .models import Report
from .services import report_order


@require_POST
@trajectory_view(FACILITATOR)
def dossier_order(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = DossierOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The dossier could not be ordered. Please try again."))
        return redirect("reports:index", viewer.trajectory.pk)
    report, created = report_order(
        trajectory=viewer.trajectory,
        kind=Report.Kind.DOSSIER,
        language=Report.Language.DUTCH,
        audience=Report.Audience.FACILITATOR,
        edition=form.cleaned_data["edition"],
        requested_by=request.user,
        submission_key=form.submission_key,
    )
    if created:
        messages.success(
            request, _("The dossier has been ordered. This page shows when it is ready.")
        )
    else:
        messages.info(request, _("You had just ordered this dossier; it is still being prepared."))
    return redirect(report)
