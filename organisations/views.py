from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.models import AuditEntry
from coconnect.htmx import HtmxHttpRequest, form_status
from reports.models import Report
from reports.services import portfolio_order, report_requeue_silent, report_retry
from reports.views import say_ordered
from trajectories.access import (
    FACILITATOR,
    Viewer,
    get_object_in_trajectory,
    get_portfolio_access,
    trajectory_view,
)
from trajectories.models import Partner

from . import services
from .forms import CoordinatorInviteForm, PortfolioReportForm
from .models import Coordinator, Organisation
from .selectors import portfolio as portfolio_rows
from .selectors import summary

REPORTS_SHOWN = 5


@require_GET
@login_required
def index(request: HtmxHttpRequest) -> HttpResponse:
    """The organisations this person coordinates (with one, its portfolio at once), and for a
    facilitator the partner organisations of the trajectories they facilitate."""
    coordinated = list(
        Organisation.objects.filter(coordinators__user=request.user).order_by("name", "pk")
    )
    facilitated = list(
        Organisation.objects.filter(
            partners__trajectory__memberships__user=request.user,
            partners__trajectory__memberships__role=FACILITATOR,
        )
        .exclude(pk__in=[o.pk for o in coordinated])
        .distinct()
        .order_by("name", "pk")
    )
    if len(coordinated) == 1 and not facilitated:
        return redirect(coordinated[0])
    return render(
        request,
        "organisations/index.html",
        {"coordinated": coordinated, "facilitated": facilitated},
    )


def _portfolio_page(request, access, *, form=None, status=200) -> HttpResponse:
    rows = portfolio_rows(access.partners)
    context = {
        "organisation": access.organisation,
        "access": access,
        "rows": rows,
        "summary": summary(rows),
    }
    if access.may_order_report:
        context["report_form"] = form or PortfolioReportForm(
            initial={"language": request.LANGUAGE_CODE}
        )
        context["reports"] = list(
            Report.objects.filter(organisation=access.organisation)
            .select_related("requested_by")
            .order_by("-created_at", "-pk")[:REPORTS_SHOWN]
        )
    return render(request, "organisations/portfolio.html", context, status=status)


@require_GET
@login_required
def portfolio(request: HtmxHttpRequest, organisation_pk: int) -> HttpResponse:
    return _portfolio_page(request, get_portfolio_access(request.user, organisation_pk))


@require_POST
@login_required
def report_order(request: HtmxHttpRequest, organisation_pk: int) -> HttpResponse:
    access = get_portfolio_access(request.user, organisation_pk)
    if not access.may_order_report:
        raise PermissionDenied
    form = PortfolioReportForm(request.POST)
    if not form.is_valid():
        return _portfolio_page(request, access, form=form, status=form_status(form))
    report, created = portfolio_order(
        organisation=access.organisation,
        language=form.cleaned_data["language"],
        requested_by=request.user,
        submission_key=form.submission_key,
    )
    say_ordered(request, created=created)
    return redirect(report)


def _report_for(request, organisation_pk: int, report_pk: int, *, ready: bool = False):
    """A portfolio report of this organisation, for its coordinators only; otherwise 404."""
    access = get_portfolio_access(request.user, organisation_pk)
    if not access.is_coordinator:
        raise Http404
    reports = Report.objects.filter(
        organisation=access.organisation, kind=Report.Kind.PORTFOLIO
    ).select_related("requested_by", "organisation")
    if ready:
        reports = reports.ready()
    report = reports.filter(pk=report_pk).first()
    if report is None:
        raise Http404
    return access, report


@require_http_methods(["GET", "POST"])
@login_required
def report_detail(request: HtmxHttpRequest, organisation_pk: int, report_pk: int) -> HttpResponse:
    access, report = _report_for(request, organisation_pk, report_pk)
    if request.method == "POST":
        # Another attempt, for a report that failed or got stuck (any coordinator may ask).
        if report_retry(report=report):
            messages.success(request, _("The report is being prepared again."))
        else:
            messages.info(request, _("This report does not need another attempt."))
        return redirect(report)
    if report.may_requeue_itself and report_requeue_silent(report=report):
        access, report = _report_for(request, organisation_pk, report_pk)
    context = {"organisation": access.organisation, "report": report}
    template = "organisations/report.html#status" if request.htmx else "organisations/report.html"
    return render(request, template, context)


@require_GET
@login_required
def report_download(request: HtmxHttpRequest, organisation_pk: int, report_pk: int):
    access, report = _report_for(request, organisation_pk, report_pk, ready=True)
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=report.download_name(), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    # Each trajectory's log keeps that its content left in the organisation's report.
    for viewer in access.viewers(request.user):
        audit.record(
            trajectory=viewer.trajectory,
            action=AuditEntry.Action.REPORT_DOWNLOADED,
            by=viewer,
            partner=viewer.coordinated_partner,
            subject=report,
            summary=report.download_name(),
            audience=report.audience,
        )
    return response


# --- inviting a coordinator (from a partner of a trajectory) --------------------------------------


def _invite_page(request, viewer: Viewer, partner: Partner, form, status=200) -> HttpResponse:
    coordinators = (
        list(
            Coordinator.objects.filter(organisation_id=partner.organisation_id)
            .select_related("user")
            .order_by("created_at", "pk")
        )
        if partner.organisation_id
        else []
    )
    return render(
        request,
        "organisations/coordinator_invite.html",
        {"viewer": viewer, "partner": partner, "form": form, "coordinators": coordinators},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def coordinator_invite(request: HtmxHttpRequest, viewer: Viewer, partner_pk: int) -> HttpResponse:
    partner = get_object_in_trajectory(
        Partner.objects.select_related("organisation", "trajectory"), viewer, pk=partner_pk
    )
    form = CoordinatorInviteForm(request.POST or None, organisation=partner.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            coordinator, created = services.coordinator_invite(
                partner=partner,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                by=viewer,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "%(email)s is now a coordinator of %(organisation)s. We sent a mail with "
                        "the way in."
                    )
                    % {"email": coordinator.user.email, "organisation": coordinator.organisation},
                )
            else:
                messages.info(request, _("This person was already a coordinator."))
            return redirect("organisations:coordinator_invite", viewer.trajectory.pk, partner.pk)
    return _invite_page(request, viewer, partner, form, status=form_status(form))
