from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import audit
from audit.models import AuditEntry
from coconnect.htmx import HtmxHttpRequest, form_status
from trajectories.access import MEMBERS, Viewer, get_object_in_trajectory, trajectory_view

from .forms import DossierOrderForm, ReportOrderForm
from .models import Report
from .services import report_order, report_requeue_silent, report_retry

LIST_LIMIT = 50
DASHBOARD_LIMIT = 5


def _reports(viewer: Viewer) -> QuerySet[Report]:
    """The reports this viewer may see, with what the list and the detail page show."""
    return Report.objects.visible_to(viewer).select_related("requested_by", "workshop")


def _report_for(viewer: Viewer, report_pk: int, *, ready: bool = False) -> Report:
    """The one way a view reaches a report: in the viewer's trajectory and edition, or 404."""
    reports = _reports(viewer)
    if ready:
        reports = reports.ready()
    return get_object_in_trajectory(reports, viewer, pk=report_pk)


def _index(request: HtmxHttpRequest, viewer: Viewer, form: ReportOrderForm) -> HttpResponse:
    reports = list(_reports(viewer)[:LIST_LIMIT])
    context = {"viewer": viewer, "form": form, "reports": reports}
    if viewer.is_facilitator:
        # One form per edition, each with its own submission key: ordering both is two orders.
        context["dossier_forms"] = [
            DossierOrderForm(initial={"edition": edition}) for edition in Report.Edition.values
        ]
    return render(request, "reports/index.html", context, status=form_status(form))


@require_GET
@trajectory_view(*MEMBERS)
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    initial = {}
    workshop = request.GET.get("workshop", "")
    if viewer.is_facilitator and workshop.isdigit():
        initial = {"kind": Report.Kind.SESSION, "workshop": int(workshop)}
    return _index(request, viewer, ReportOrderForm(viewer=viewer, initial=initial))


@require_POST
@trajectory_view(*MEMBERS)
def order(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = ReportOrderForm(request.POST, viewer=viewer)
    if not form.is_valid():
        return _index(request, viewer, form)
    report, created = report_order(
        trajectory=viewer.trajectory,
        kind=form.cleaned_data["kind"],
        workshop=form.cleaned_data["workshop"],
        language=form.cleaned_data["language"],
        audience=form.cleaned_data["audience"],
        requested_by=request.user,
        submission_key=form.submission_key,
    )
    say_ordered(request, created=created)
    return redirect(report)


def say_ordered(request, *, created: bool) -> None:
    """What ordering a report says, also for the portfolio report (organisations/views.py): a
    double submit gets the report already ordered, not a second one."""
    if created:
        messages.success(
            request,
            _(
                "Your report has been ordered. This page shows when it is ready; you will also get "
                "an email."
            ),
        )
    else:
        messages.info(request, _("You had just ordered this report; it is still being prepared."))


@require_GET
@trajectory_view(*MEMBERS)
def detail(request: HtmxHttpRequest, viewer: Viewer, report_pk: int) -> HttpResponse:
    report = _report_for(viewer, report_pk)
    if report.may_requeue_itself and report_requeue_silent(report=report):
        # Its worker died: this poll queued it again (and, without a broker, maybe rendered it).
        report = _report_for(viewer, report_pk)
    context = {
        "viewer": viewer,
        "report": report,
        "may_retry": report.can_retry and viewer.may_retry_report(report),
    }
    template = "reports/detail.html#status" if request.htmx else "reports/detail.html"
    return render(request, template, context)


@require_GET
@trajectory_view(*MEMBERS)
def download(request: HtmxHttpRequest, viewer: Viewer, report_pk: int) -> FileResponse:
    report = _report_for(viewer, report_pk, ready=True)
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.download_name(),
        content_type=report.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    audit.record(
        trajectory=viewer.trajectory,
        action=AuditEntry.Action.REPORT_DOWNLOADED,
        by=viewer,
        subject=report,
        summary=report.download_name(),
        audience=report.audience,
    )
    return response


@require_POST
@trajectory_view(*MEMBERS)
def retry(request: HtmxHttpRequest, viewer: Viewer, report_pk: int) -> HttpResponse:
    report = _report_for(viewer, report_pk)
    if not viewer.may_retry_report(report):
        raise PermissionDenied
    if report_retry(report=report):
        messages.success(request, _("The report is being prepared again."))
    else:
        messages.info(request, _("This report does not need another attempt."))
    return redirect(report)


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Every trajectory the signed-in person belongs to, with its latest reports."""
    viewers = Viewer.of_member(request.user)
    reports = (
        Report.objects.visible_to_any(viewers)
        .select_related("workshop")
        .order_by("-created_at", "-pk")
    )
    by_trajectory = {}
    for report in reports:
        by_trajectory.setdefault(report.trajectory_id, []).append(report)
    rows = []
    for viewer in viewers:
        mine = by_trajectory.get(viewer.trajectory.pk, [])
        rows.append(
            {
                "viewer": viewer,
                "reports": mine[:DASHBOARD_LIMIT],
                "more": max(0, len(mine) - DASHBOARD_LIMIT),
                # Only its hidden submission key is used: one report per click on "order".
                "order_form": ReportOrderForm(viewer=viewer),
            }
        )
    return render(
        request,
        "reports/dashboard.html",
        {"rows": rows, "report_languages": Report.Language.choices},
    )
