from http import HTTPStatus

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.stale import StaleEdit
from trajectories.access import (
    EVERYONE,
    FACILITATOR,
    MEMBERS,
    PARTICIPANT,
    Viewer,
    get_object_in_trajectory,
    trajectory_view,
)
from workshops.models import AgendaItem
from workshops.services import workshop_bump

from . import services
from .diagnosis import RULES_BY_KEY
from .forms import (
    DecisionForm,
    InterimChangeForm,
    PulseAnswerForm,
    PulseForm,
    RiskForm,
    StakeholderForm,
)
from .models import InterimChange, Pulse, Response, Risk, Stakeholder
from .selectors import answer_rates, pulse_results, remarks, risk_register, stakeholder_register


def _audience(viewer: Viewer) -> str:
    return "facilitator" if viewer.is_facilitator else "manager"


def safe_next(request: HtmxHttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


@require_GET
@trajectory_view(*EVERYONE)
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    trajectory = viewer.trajectory
    if viewer.is_participant:
        answered = Response.objects.filter(pulse=OuterRef("pk"), participant=viewer.participant)
        pulses = (
            Pulse.objects.filter(trajectory=trajectory).open().annotate(answered=Exists(answered))
        )
        return render(
            request,
            "health/participant_index.html",
            {"viewer": viewer, "pulses": pulses},
        )
    context = pulse_results(trajectory, audience=_audience(viewer))
    risks = list(Risk.objects.filter(trajectory=trajectory).select_related("owner"))
    stakeholders = list(Stakeholder.objects.filter(trajectory=trajectory).select_related("partner"))
    context.update(
        viewer=viewer,
        pulse_form=PulseForm(),
        changes=InterimChange.objects.filter(trajectory=trajectory).select_related("partner")[:5],
        **risk_register(risks),
        **stakeholder_register(stakeholders),
    )
    return render(request, "health/index.html", context)


@require_POST
@trajectory_view(FACILITATOR)
def pulse_create(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = PulseForm(request.POST)
    form.instance.trajectory = viewer.trajectory
    if form.is_valid():
        pulse = services.pulse_create(
            trajectory=viewer.trajectory,
            title=form.cleaned_data["title"],
            open_now=form.cleaned_data["open_now"],
            closes_on=form.cleaned_data["closes_on"],
        )
        messages.success(request, _("Pulse “%(title)s” created.") % {"title": pulse.title})
        return redirect("health:pulse_detail", viewer.trajectory.pk, pulse.pk)
    context = pulse_results(viewer.trajectory, audience=_audience(viewer))
    context.update(viewer=viewer, pulse_form=form)
    return render(request, "health/pulse_new.html", context, status=form_status(form))


@require_GET
@trajectory_view(*MEMBERS)
def pulse_detail(request: HtmxHttpRequest, viewer: Viewer, pulse_pk: int) -> HttpResponse:
    pulse = get_object_in_trajectory(Pulse.objects.all(), viewer, pk=pulse_pk)
    context = pulse_results(viewer.trajectory, audience=_audience(viewer), pulse=pulse)
    context.update(
        viewer=viewer,
        remarks=remarks(pulse) if viewer.is_facilitator else [],
        decision_form=DecisionForm(),
        answer_rates=answer_rates(pulse) if viewer.is_facilitator and pulse.is_open else [],
    )
    if request.htmx and request.GET.get("part") == "findings":
        return render(request, "health/pulse_detail.html#findings", context)
    return render(request, "health/pulse_detail.html", context)


@require_POST
@trajectory_view(FACILITATOR)
def pulse_status(request: HtmxHttpRequest, viewer: Viewer, pulse_pk: int) -> HttpResponse:
    pulse = get_object_in_trajectory(Pulse.objects.all(), viewer, pk=pulse_pk)
    action = request.POST.get("action")
    if action == "open":
        services.pulse_open(pulse=pulse)
        messages.success(
            request, _("The pulse is open: participants can answer through their link.")
        )
    elif action == "close":
        services.pulse_close(pulse=pulse)
        messages.success(request, _("The pulse is closed."))
    else:
        messages.error(request, _("Unknown action; nothing was changed."))
    return redirect(
        safe_next(request, reverse("health:pulse_detail", args=[viewer.trajectory.pk, pulse.pk]))
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(PARTICIPANT)
def pulse_answer(request: HtmxHttpRequest, viewer: Viewer, pulse_pk: int) -> HttpResponse:
    pulse = get_object_in_trajectory(Pulse.objects.all(), viewer, pk=pulse_pk)
    response = (
        Response.objects.filter(pulse=pulse, participant=viewer.participant)
        .prefetch_related("answers")
        .first()
    )
    back = safe_next(request, reverse("health:index", args=[viewer.trajectory.pk]))
    status = 200
    if request.method == "POST":
        form = PulseAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.response_submit(
                    pulse=pulse, participant=viewer.participant, answers=form.answers()
                )
            except services.PulseClosed:
                form.add_error(
                    None,
                    _(
                        "This pulse was closed before your answers arrived, so they were not "
                        "saved. Your answers are still shown below."
                    ),
                )
                status = HTTPStatus.CONFLICT
            else:
                if pulse.agenda_item_id is not None:
                    workshop_bump(workshop=pulse.agenda_item.workshop)
                messages.success(request, _("Thank you, your answers have been saved."))
                return redirect(back)
        else:
            status = form_status(form)
    else:
        form = PulseAnswerForm(initial=PulseAnswerForm.initial_from(response) if response else None)
    return render(
        request,
        "health/pulse_answer.html",
        {
            "viewer": viewer,
            "pulse": pulse,
            "form": form,
            "response": response,
            "next": back,
        },
        status=status,
    )


@require_POST
@trajectory_view(FACILITATOR)
def diagnosis_decide(
    request: HtmxHttpRequest, viewer: Viewer, pulse_pk: int, rule: str
) -> HttpResponse:
    pulse = get_object_in_trajectory(Pulse.objects.all(), viewer, pk=pulse_pk)
    if rule not in RULES_BY_KEY:
        raise Http404
    detail = reverse("health:pulse_detail", args=[viewer.trajectory.pk, pulse.pk])
    current = pulse_results(viewer.trajectory, audience="facilitator", pulse=pulse)
    if request.POST.get("action") == "reopen":
        services.diagnosis_reopen(pulse=pulse, rule=rule)
    elif rule not in {finding.key for finding in current.get("findings", [])}:
        # A stale page: the answers changed and the rules no longer find this.
        messages.error(
            request, _("This finding no longer follows from the answers; nothing was saved.")
        )
        return HttpResponseClientRedirect(detail) if request.htmx else redirect(detail)
    else:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            current.update(
                viewer=viewer,
                remarks=remarks(pulse),
                decision_form=DecisionForm(),
                failed_rule=rule,
                failed_form=form,
            )
            template = (
                "health/pulse_detail.html#findings" if request.htmx else "health/pulse_detail.html"
            )
            return render(request, template, current, status=form_status(form))
        services.diagnosis_decide(
            pulse=pulse,
            rule=rule,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    if request.htmx:
        context = pulse_results(viewer.trajectory, audience="facilitator", pulse=pulse)
        context.update(viewer=viewer, decision_form=DecisionForm())
        return render(request, "health/pulse_detail.html#findings", context)
    messages.success(request, _("Your decision on the finding has been saved."))
    return redirect(f"{detail}#findings")


# --- interim changes, risks, stakeholders: a list (members) and create/edit (facilitator) ------


def _edit(
    request: HtmxHttpRequest,
    viewer: Viewer,
    *,
    form_class,
    model,
    pk: int | None,
    template: str,
    list_name,
    saved_message,
) -> HttpResponse:
    instance = (
        get_object_in_trajectory(model.objects.all(), viewer, pk=pk)
        if pk
        else model(trajectory=viewer.trajectory)
    )
    list_url = reverse(f"health:{list_name}", args=[viewer.trajectory.pk])
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, trajectory=viewer.trajectory)
        if form.is_valid():
            try:
                services.register_entry_save(
                    entry=form.instance,
                    fields=list(form.Meta.fields),
                    seen_version=form.seen_version,
                )
            except StaleEdit as stale:
                form.show_stale(stale)
            else:
                messages.success(request, saved_message)
                return redirect(list_url)
        status = form_status(form)
    else:
        form = form_class(instance=instance, trajectory=viewer.trajectory)
    return render(
        request,
        template,
        {
            "viewer": viewer,
            "form": form,
            "object": instance,
            "list_url": list_url,
            "delete_url": reverse(
                f"health:{list_name.replace('_list', '_delete')}", args=[viewer.trajectory.pk, pk]
            )
            if pk
            else None,
        },
        status=status,
    )


REGISTERS = {
    "change": (InterimChange, "change_list", gettext_lazy("The interim change has been removed.")),
    "risk": (Risk, "risk_list", gettext_lazy("The risk has been removed.")),
    "stakeholder": (
        Stakeholder,
        "stakeholder_list",
        gettext_lazy("The stakeholder has been removed."),
    ),
}


# The entries this session removed: a second click on "remove" is told so instead of a 404.
REMOVED_SESSION_KEY = "health_removed"
REMOVED_REMEMBERED = 20


@require_POST
@trajectory_view(FACILITATOR)
def register_delete(
    request: HtmxHttpRequest, viewer: Viewer, register: str, pk: int
) -> HttpResponse:
    """Remove a wrongly recorded change, risk or stakeholder.

    A second click finds nothing and says it was removed already. Any other id that is not in
    this trajectory (unknown, or another trajectory's) gets the same 404, so the answer never
    tells whether an id exists elsewhere.
    """
    model, list_name, message = REGISTERS[register]
    deleted, _rows = model.objects.filter(trajectory=viewer.trajectory, pk=pk).delete()
    removed = request.session.get(REMOVED_SESSION_KEY, [])
    entry = f"{viewer.trajectory.pk}:{register}:{pk}"
    if deleted:
        request.session[REMOVED_SESSION_KEY] = [*removed, entry][-REMOVED_REMEMBERED:]
        messages.success(request, str(message))
    elif entry in removed:
        messages.info(request, _("This was removed already."))
    else:
        raise Http404
    return redirect("health:" + list_name, viewer.trajectory.pk)


@require_GET
@trajectory_view(*MEMBERS)
def change_list(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    changes = InterimChange.objects.filter(trajectory=viewer.trajectory).select_related("partner")
    return render(
        request,
        "health/change_list.html",
        {
            "viewer": viewer,
            "changes": changes,
            "follow_up_statuses": InterimChange.FollowUpStatus.choices,
        },
    )


@require_POST
@trajectory_view(FACILITATOR)
def change_follow_up(request: HtmxHttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """Move the follow-up of a change along (to do → in progress → done) straight from the list."""
    change = get_object_in_trajectory(InterimChange.objects.all(), viewer, pk=pk)
    status = request.POST.get("follow_up_status")
    if status in InterimChange.FollowUpStatus.values:
        services.change_follow_up_set(change=change, status=status)
        messages.success(request, _("The status of the follow-up has been saved."))
    else:
        messages.error(request, _("Choose one of the statuses in the list; nothing was changed."))
    return redirect(
        f"{reverse('health:change_list', args=[viewer.trajectory.pk])}#change-{change.pk}"
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def change_edit(request: HtmxHttpRequest, viewer: Viewer, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        viewer,
        form_class=InterimChangeForm,
        model=InterimChange,
        pk=pk,
        template="health/change_form.html",
        list_name="change_list",
        saved_message=_("The interim change has been saved."),
    )


@require_GET
@trajectory_view(*MEMBERS)
def risk_list(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    risks = list(Risk.objects.filter(trajectory=viewer.trajectory).select_related("owner"))
    risks.sort(key=lambda r: (r.status != Risk.Status.OPEN, -r.score, r.pk))
    return render(
        request,
        "health/risk_list.html",
        {
            "viewer": viewer,
            **risk_register(risks),
        },
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def risk_edit(request: HtmxHttpRequest, viewer: Viewer, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        viewer,
        form_class=RiskForm,
        model=Risk,
        pk=pk,
        template="health/risk_form.html",
        list_name="risk_list",
        saved_message=_("The risk has been saved."),
    )


@require_GET
@trajectory_view(*MEMBERS)
def stakeholder_list(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    stakeholders = list(
        Stakeholder.objects.filter(trajectory=viewer.trajectory).select_related("partner")
    )
    return render(
        request,
        "health/stakeholder_list.html",
        {
            "viewer": viewer,
            **stakeholder_register(stakeholders),
        },
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def stakeholder_edit(
    request: HtmxHttpRequest, viewer: Viewer, pk: int | None = None
) -> HttpResponse:
    return _edit(
        request,
        viewer,
        form_class=StakeholderForm,
        model=Stakeholder,
        pk=pk,
        template="health/stakeholder_form.html",
        list_name="stakeholder_list",
        saved_message=_("The stakeholder has been saved."),
    )


@require_POST
@trajectory_view(FACILITATOR)
def pulse_for_item(request: HtmxHttpRequest, viewer: Viewer, item_pk: int) -> HttpResponse:
    """Open (creating it if needed) or close the pulse of a workshop agenda item."""
    item = get_object_in_trajectory(
        AgendaItem.objects.select_related("workshop"),
        viewer,
        trajectory_field="workshop__trajectory",
        pk=item_pk,
        kind=AgendaItem.Kind.PULSE,
    )
    if request.POST.get("action") == "close":
        pulse = Pulse.objects.filter(agenda_item=item).first()
        if pulse is not None:
            services.pulse_close(pulse=pulse)
    else:
        pulse = services.pulse_for_item_open(item=item)
    workshop_bump(workshop=item.workshop)
    if request.htmx:
        # Every screen follows through the workshop version; the console simply reloads.
        return HttpResponseClientRefresh()
    if pulse is not None:
        messages.success(
            request, _("The pulse is open.") if pulse.is_open else _("The pulse is closed.")
        )
    fallback = (
        reverse("health:pulse_detail", args=[viewer.trajectory.pk, pulse.pk])
        if pulse
        else reverse("health:index", args=[viewer.trajectory.pk])
    )
    return redirect(safe_next(request, fallback))
