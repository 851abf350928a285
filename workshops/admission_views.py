"""Joining from the projector's QR code: the knocker's pages (no account, no link) and the
facilitator's waiting list on the console. The rules are in workshops/admission.py."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from coconnect.htmx import HtmxHttpRequest, form_status
from trajectories.access import FACILITATOR, Viewer, get_object_in_trajectory, trajectory_view

from . import admission
from .admission import AdmissionError
from .forms import KnockForm
from .models import Knock, Workshop

# How often the waiting phone asks for its knock's outcome.
WAIT_POLL_SECONDS = 2


# --- the knocker ------------------------------------------------------------------------------


def _door(join_code: str) -> Workshop | None:
    """The workshop whose projector shows this code (upper case as typed or not)."""
    return Workshop.objects.select_related("trajectory").filter(join_code=join_code.upper()).first()


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HtmxHttpRequest, join_code: str) -> HttpResponse:
    """The QR code's target. A representative whose session fits goes straight in, a member to the
    workshop; anyone else may knock while the workshop admits people. Strangers see only the
    organisations' names, and the same page for a workshop that is closed or does not exist."""
    workshop = _door(join_code)
    participant = getattr(request, "participant", None)
    if workshop is not None and participant is not None:
        if participant.partner.trajectory_id == workshop.trajectory_id:
            return redirect("workshops:participant", workshop.trajectory_id, workshop.pk)
    if workshop is not None and request.user.is_authenticated:
        if workshop.trajectory.memberships.filter(user=request.user).exists():
            return redirect(workshop.get_absolute_url())
    if workshop is None or not admission.accepts_knocks(workshop):
        return render(request, "workshops/join.html", {})

    knock = admission.session_knock(request.session, workshop)
    if knock is not None and knock.is_expired:
        admission.session_forget(request.session)
    elif knock is not None:
        return redirect("workshops_live:knock_wait", workshop.join_code)

    form = KnockForm(request.POST or None, workshop=workshop)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        if admission.knock_limit_reached(request, workshop):
            form.add_error(
                None,
                _(
                    "Too many people asked to join from this network or for this workshop in "
                    "the last few minutes. Please wait a moment and send again, or speak to the "
                    "facilitator."
                ),
            )
            status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            try:
                admission.knock_create(
                    request=request,
                    workshop=workshop,
                    partner=form.cleaned_data["partner"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    key=form.submission_key,
                )
            except AdmissionError as error:
                form.add_error("partner", error.message)
            else:
                return redirect("workshops_live:knock_wait", workshop.join_code)
    response = render(
        request,
        "workshops/knock.html",
        {"workshop": workshop, "form": form},
        status=status if status != HTTPStatus.OK else form_status(form),
    )
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        response["Retry-After"] = str(settings.KNOCK_LIMIT_WINDOW)
    return response


def _wait_context(workshop: Workshop, knock: Knock) -> dict:
    if knock.status == Knock.Status.WAITING:
        state = "expired" if knock.is_expired else "waiting"
    elif knock.status == Knock.Status.ADMITTED:
        # Admitted, but this browser already took its session once (or the link was revoked).
        state = "admitted" if knock.claimed_at is None else "taken"
    else:
        state = "turned_away"
    return {
        "workshop": workshop,
        "knock": knock,
        "state": state,
        "wait_url": reverse("workshops_live:knock_wait", args=[workshop.join_code]),
        "status_url": reverse("workshops_live:knock_status", args=[workshop.join_code]),
        "poll_seconds": WAIT_POLL_SECONDS,
    }


@never_cache
@require_GET
def knock_wait(request: HtmxHttpRequest, join_code: str) -> HttpResponse:
    """The knocker waits here; once admitted, this page hands the browser its session."""
    workshop = _door(join_code)
    knock = admission.session_knock(request.session, workshop) if workshop else None
    if knock is None:
        return redirect("workshops_live:join", join_code)
    if knock.status == Knock.Status.ADMITTED and knock.claimed_at is None:
        if admission.knock_claim(request=request, knock=knock) is not None:
            return redirect("workshops:participant", workshop.trajectory_id, workshop.pk)
        knock.refresh_from_db()
    return render(request, "workshops/knock_wait.html", _wait_context(workshop, knock))


@never_cache
@require_GET
def knock_status(request: HtmxHttpRequest, join_code: str) -> HttpResponse:
    """The waiting page's status, asked every few seconds; changes nothing."""
    workshop = _door(join_code)
    knock = admission.session_knock(request.session, workshop) if workshop else None
    if knock is None:
        # No knock in this session (any more): the page reloads and shows the way in.
        return HttpResponse(status=HTTPStatus.NO_CONTENT, headers={"X-Knock": "gone"})
    return render(request, "workshops/knock_wait.html#status", _wait_context(workshop, knock))


# --- the facilitator's waiting list -----------------------------------------------------------


def _workshop(viewer: Viewer, workshop_pk: int) -> Workshop:
    return get_object_in_trajectory(
        Workshop.objects.select_related("trajectory"), viewer, pk=workshop_pk
    )


def _knocks_answer(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, *, decided: bool = False
) -> HttpResponse:
    """The waiting list for htmx (with the message of a decision); without htmx the console."""
    if not request.htmx:
        console = reverse("workshops:console", args=[viewer.trajectory.pk, workshop.pk])
        return redirect(console + "#knocks")
    context = {"viewer": viewer, "workshop": workshop, "decided": decided}
    context.update(admission.waiting_list(workshop, trajectory=viewer.trajectory))
    response = render(request, "workshops/_knocks.html", context)
    if not context["knocks_open"] and not decided:
        return HttpResponseStopPolling(response.content)  # the poller stops asking
    return response


@never_cache
@require_GET
@trajectory_view(FACILITATOR)
def knocks(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    """The waiting list, polled by the console; 204 (htmx keeps what it has) when unchanged, so
    a button under the facilitator's finger is not replaced every few seconds."""
    workshop = _workshop(viewer, workshop_pk)
    if request.htmx:
        context = admission.waiting_list(workshop, trajectory=viewer.trajectory)
        if context["knocks_open"] and request.GET.get("seen") == context["knocks_stamp"]:
            return HttpResponse(status=HTTPStatus.NO_CONTENT)
    return _knocks_answer(request, viewer, workshop)


def _knock(viewer: Viewer, workshop: Workshop, knock_pk: int) -> Knock:
    # The knock must be this workshop's: a knock of workshop A is never decided through B's URL.
    return get_object_in_trajectory(
        Knock.objects.all(), viewer, "workshop__trajectory", pk=knock_pk, workshop=workshop
    )


@require_POST
@trajectory_view(FACILITATOR)
def knock_admit(
    request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int, knock_pk: int
) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    knock = _knock(viewer, workshop, knock_pk)
    try:
        knock = admission.knock_admit(knock=knock, by=request.user)
    except AdmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s has been admitted for %(partner)s.")
            % {"name": knock.name, "partner": knock.partner.name},
        )
    return _knocks_answer(request, viewer, workshop, decided=True)


@require_POST
@trajectory_view(FACILITATOR)
def knock_turn_away(
    request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int, knock_pk: int
) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    knock = _knock(viewer, workshop, knock_pk)
    try:
        knock = admission.knock_turn_away(knock=knock, by=request.user)
    except AdmissionError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("%(name)s has been turned away.") % {"name": knock.name})
    return _knocks_answer(request, viewer, workshop, decided=True)


@require_POST
@trajectory_view(FACILITATOR)
def knock_admit_all(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    count = admission.knock_admit_all(workshop=workshop, by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d person has been admitted.", "%(count)d people have been admitted.", count
        )
        % {"count": count},
    )
    return _knocks_answer(request, viewer, workshop, decided=True)
