from __future__ import annotations

import functools
import io
import json
from http import HTTPStatus

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.stale import StaleEdit
from interests.models import InterestRound
from trajectories.access import (
    EVERYONE,
    FACILITATOR,
    MEMBERS,
    PARTICIPANT,
    SESSION_INVITE_KEY,
    Viewer,
    get_object_in_trajectory,
    trajectory_view,
)
from trajectories.models import InviteLink, Participant, Partner

from . import admission, doorbell, invitations, live_render, services
from .agenda_plugins import PLUGINS
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AgreementForm,
    AttendanceForm,
    ContributionForm,
    CopyAgendaForm,
    OptionForm,
    WorkshopForm,
)
from .models import AgendaItem, Contribution, VoteOption, Workshop
from .services import LiveError


def _workshop(viewer: Viewer, pk: int) -> Workshop:
    queryset = Workshop.objects.select_related("current_item", "current_item__interest_round")
    return get_object_in_trajectory(queryset, viewer, pk=pk)


def _item(viewer: Viewer, workshop: Workshop, item_pk: int) -> AgendaItem:
    return get_object_in_trajectory(
        AgendaItem.objects.select_related("workshop"),
        viewer,
        "workshop__trajectory",
        pk=item_pk,
        workshop=workshop,
    )


# --- list, create, edit ---------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    workshops = Workshop.objects.filter(trajectory=viewer.trajectory)
    upcoming, past = list(workshops.upcoming()), list(workshops.past())
    return render(
        request,
        "workshops/index.html",
        {
            "viewer": viewer,
            "upcoming": upcoming,
            "past": past,
            "cancelled": list(workshops.cancelled()),
        },
    )


@trajectory_view(FACILITATOR)
def workshop_create(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.trajectory = viewer.trajectory
        workshop = form.save()
        messages.success(request, _("The workshop has been planned. Now prepare its agenda."))
        return redirect(workshop.get_absolute_url())
    return render(
        request,
        "workshops/workshop_form.html",
        {"viewer": viewer, "form": form},
        status=form_status(form),
    )


@trajectory_view(FACILITATOR)
def workshop_edit(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        updated = invitations.workshop_update(workshop=workshop, fields=fields)
        services.workshop_bump(workshop=workshop)
        messages.success(request, _("The workshop has been saved."))
        if updated:
            messages.info(request, _("The participants will receive an updated invitation."))
        return redirect(workshop.get_absolute_url())
    return render(
        request,
        "workshops/workshop_form.html",
        {"viewer": viewer, "form": form, "workshop": workshop},
        status=form_status(form),
    )


@require_POST
@trajectory_view(FACILITATOR)
def workshop_invite(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    try:
        count = invitations.workshop_invitations_send(workshop=workshop, by=viewer.user)
    except invitations.InvitationError as error:
        messages.error(request, error.message)
        return redirect(workshop.get_absolute_url())
    if count:
        messages.success(
            request,
            ngettext(
                "The invitation is being sent to %(count)s representative.",
                "The invitation is being sent to %(count)s representatives.",
                count,
            )
            % {"count": count},
        )
    else:
        # A double submit lands here too: the first one sent it.
        messages.info(request, _("Everyone with an email address has had the invitation."))
    return redirect(f"{workshop.get_absolute_url()}#invitation")


@require_POST
@trajectory_view(FACILITATOR)
def workshop_cancel(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    try:
        notified = invitations.workshop_cancel(workshop=workshop)
    except invitations.InvitationError as error:
        messages.error(request, error.message)
        return redirect(workshop.get_absolute_url())
    messages.success(request, _("The workshop has been cancelled."))
    if notified:
        messages.info(request, _("The invited participants receive the cancellation."))
    return redirect(workshop.get_absolute_url())


@require_GET
@trajectory_view(*EVERYONE)
def workshop_detail(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    context = _detail_context(viewer, workshop)
    if not viewer.is_facilitator and workshop.attendance_recordable:
        context["attendance"] = list(
            workshop.attendances.select_related("participant__partner").order_by(
                "participant__partner__name", "participant__name"
            )
        )
    return render(request, "workshops/detail.html", context)


def _detail_context(
    viewer: Viewer, workshop: Workshop, *, item_form: AgendaItemForm | None = None
) -> dict:
    """The workshop overview; a facilitator's also holds the preparation forms."""
    context = {
        "viewer": viewer,
        "workshop": workshop,
        "items": list(
            workshop.items.select_related("interest_round")
            .prefetch_related(
                Prefetch("options", queryset=VoteOption.objects.order_by("position", "pk"))
            )
            .order_by("position", "pk")
        ),
        "agreements": list(workshop.agreements.all()),
        "actions": list(workshop.action_items.select_related("owner_partner", "owner_participant")),
    }
    if viewer.is_facilitator:
        context.update(_prepare_forms(viewer, workshop, item_form=item_form))
        if workshop.is_planned:
            context["invited_count"] = workshop.invitations.count()
            context["not_invited_count"] = invitations.not_invited_count(workshop)
            context["without_address"] = invitations.without_address(workshop)
    return context


def _rounds(viewer: Viewer) -> list[InterestRound]:
    return list(InterestRound.objects.filter(trajectory=viewer.trajectory).order_by("-created_at"))


def _prepare_forms(
    viewer: Viewer, workshop: Workshop, *, item_form: AgendaItemForm | None = None
) -> dict:
    return {
        "item_form": item_form or AgendaItemForm(prefix="new"),
        "rounds": _rounds(viewer),
        "copy_form": CopyAgendaForm(workshop=workshop),
        "attendance_form": AttendanceForm(
            trajectory=viewer.trajectory,
            initial={
                "participants": list(workshop.attendances.values_list("participant_id", flat=True))
            },
        ),
    }


def agenda_change(view):
    """A facilitator's change to a workshop's agenda: the view receives the workshop (and the
    agenda item, for item URLs) from the viewer's trajectory, or the change is refused with a
    message once the workshop has been closed."""

    @functools.wraps(view)
    def wrapper(request, viewer, workshop_pk, *args, item_pk=None, **kwargs):
        workshop = _workshop(viewer, workshop_pk)
        if item_pk is not None:
            args = (_item(viewer, workshop, item_pk), *args)
        if not workshop.agenda_editable:
            messages.error(
                request, _("This workshop has been closed: its agenda can no longer be changed.")
            )
            return redirect(workshop.get_absolute_url() + "#agenda")
        return view(request, viewer, workshop, *args, **kwargs)

    return wrapper


def _round_from_post(request: HtmxHttpRequest, viewer: Viewer) -> InterestRound | None:
    pk = request.POST.get("interest_round") or ""
    if not pk.isdigit():
        return None
    return get_object_in_trajectory(InterestRound.objects.all(), viewer, pk=int(pk))


# --- agenda preparation ---------------------------------------------------------------------------


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def item_add(request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop) -> HttpResponse:
    form = AgendaItemForm(request.POST, prefix="new")
    interest_round = _round_from_post(request, viewer)
    if form.is_valid():
        services.agenda_item_add(
            workshop=workshop, interest_round=interest_round, **form.item_fields
        )
        messages.success(request, _("The agenda item has been added."))
        return redirect(workshop.get_absolute_url() + "#agenda")
    context = _detail_context(viewer, workshop, item_form=form)
    return render(request, "workshops/detail.html", context, status=form_status(form))


@trajectory_view(FACILITATOR)
@agenda_change
def item_edit(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, item: AgendaItem
) -> HttpResponse:
    form = AgendaItemForm(request.POST or None, instance=item)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                item=item,
                seen_version=form.seen_version,
                interest_round=_round_from_post(request, viewer),
                **form.item_fields,
            )
        except StaleEdit as stale:
            form.show_stale(stale)
            saved = stale.current
        else:
            messages.success(request, _("The agenda item has been saved."))
            return redirect(workshop.get_absolute_url() + "#agenda")
    return render(
        request,
        "workshops/item_form.html",
        {
            "viewer": viewer,
            "workshop": workshop,
            "item": item,
            "saved": saved,
            "form": form,
            "rounds": _rounds(viewer),
            "options": list(item.options.order_by("position", "pk")),
            "option_form": OptionForm(),
            "earlier_items": workshop.items.exclude(pk=item.pk).filter(
                kind__in=[
                    AgendaItem.Kind.CHECK_IN,
                    AgendaItem.Kind.DISCUSSION,
                    AgendaItem.Kind.CHECK_OUT,
                    AgendaItem.Kind.AGREEMENTS,
                ]
            ),
        },
        status=form_status(form),
    )


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def item_move(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, item: AgendaItem
) -> HttpResponse:
    services.agenda_item_move(item=item, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(workshop.get_absolute_url() + "#agenda")


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def item_delete(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, item: AgendaItem
) -> HttpResponse:
    services.agenda_item_delete(item=item)
    messages.success(request, _("The agenda item has been removed."))
    return redirect(workshop.get_absolute_url() + "#agenda")


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def agenda_copy(request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop) -> HttpResponse:
    form = CopyAgendaForm(request.POST, workshop=workshop)
    if form.is_valid():
        count = services.agenda_copy(source=form.cleaned_data["source"], target=workshop)
        messages.success(
            request,
            ngettext(
                "%(count)d agenda item has been copied.",
                "%(count)d agenda items have been copied.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.error(request, _("Choose an earlier workshop of this trajectory to copy from."))
    return redirect(workshop.get_absolute_url() + "#agenda")


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def option_add(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, item: AgendaItem
) -> HttpResponse:
    source = request.POST.get("from_item", "")
    if source.isdigit():
        source_item = _item(viewer, workshop, int(source))
        count = services.options_from_contributions(item=item, source=source_item)
        messages.success(
            request,
            ngettext(
                "%(count)d option has been added.", "%(count)d options have been added.", count
            )
            % {"count": count},
        )
    elif request.POST.get("from_themes") and item.interest_round_id:
        services.options_from_themes(item=item)
        messages.success(request, _("The themes of the round have been added as options."))
    else:
        form = OptionForm(request.POST)
        if form.is_valid():
            services.option_add(item=item, label=form.cleaned_data["label"])
            messages.success(request, _("The option has been added."))
        else:
            messages.error(request, _("Give the option a short label of at most 300 characters."))
    return redirect(
        reverse("workshops:item_edit", args=[viewer.trajectory.pk, workshop.pk, item.pk])
        + "#options"
    )


@require_POST
@trajectory_view(FACILITATOR)
@agenda_change
def option_delete(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, item: AgendaItem, option_pk: int
) -> HttpResponse:
    option = get_object_or_404(VoteOption, pk=option_pk, item=item)
    services.option_delete(option=option)
    return redirect(
        reverse("workshops:item_edit", args=[viewer.trajectory.pk, workshop.pk, item.pk])
        + "#options"
    )


@require_POST
@trajectory_view(FACILITATOR)
def attendance_save(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    form = AttendanceForm(request.POST, trajectory=viewer.trajectory)
    if not workshop.attendance_recordable:
        messages.error(
            request, _("Attendance can be recorded as soon as the workshop has started.")
        )
    elif form.is_valid():
        services.attendance_set(
            workshop=workshop, participant_ids={p.pk for p in form.cleaned_data["participants"]}
        )
        messages.success(request, _("The attendance has been saved."))
    else:
        messages.error(
            request, _("The attendance could not be saved: choose people from the list.")
        )
    return redirect(workshop.get_absolute_url() + "#attendance")


# --- the facilitator console ----------------------------------------------------------------------


def _owner_choices(viewer: Viewer) -> list[Partner]:
    """The partners and their people, for the action item form's owner list."""
    return list(
        Partner.objects.filter(trajectory=viewer.trajectory).prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("name"))
        )
    )


def _console_context(viewer: Viewer, workshop: Workshop, **forms) -> dict:
    item = workshop.current_item
    items = live_render.agenda(workshop)
    return {
        "viewer": viewer,
        "workshop": workshop,
        "item": item,
        "items": items,
        "at_first": bool(items) and items[0].pk == workshop.current_item_id,
        "at_last": bool(items) and items[-1].pk == workshop.current_item_id,
        **_neighbours(items, workshop.current_item_id),
        "partners": live_render.presence(workshop),
        "agreements": list(workshop.agreements.all()),
        "actions": list(workshop.action_items.select_related("owner_partner", "owner_participant")),
        "agreement_form": forms.get("agreement_form") or AgreementForm(prefix="agreement"),
        "action_form": forms.get("action_form")
        or ActionItemForm(prefix="action", workshop=workshop, partners=_owner_choices(viewer)),
        "live": _live_attrs(workshop, console=True),
        **live_render.item_content(item, viewer, screen="console"),
        # Who knocked to join from the QR code (workshops/admission.py).
        **admission.waiting_list(workshop, trajectory=viewer.trajectory),
    }


def _neighbours(items: list[AgendaItem], current_pk: int | None) -> dict:
    """The items before and after the current one, named in the next/previous buttons."""
    ids = [item.pk for item in items]
    if current_pk not in ids:
        return {"previous_item": None, "next_item": None}
    index = ids.index(current_pk)
    return {
        "previous_item": items[index - 1] if index > 0 else None,
        "next_item": items[index + 1] if index + 1 < len(items) else None,
    }


# How often a screen without a stream asks whether the version changed.
POLL_SECONDS = 2


def _live_attrs(workshop: Workshop, *, console: bool = False) -> dict:
    """The doorbell a screen follows: the console's rings for every change, the room's only for
    changes the projector and phones show (services.workshop_bump)."""
    key = workshop.live_key + (doorbell.CONSOLE if console else "")
    return {
        "version": workshop.version,
        "poll_url": reverse("workshops_live:version", args=[key]),
        "events_url": reverse("workshops_live:events", args=[key]) if settings.REDIS_URL else "",
        "poll_seconds": POLL_SECONDS,
    }


@never_cache
@require_GET
@trajectory_view(FACILITATOR)
def console(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    context = _console_context(viewer, workshop)
    if request.htmx and request.GET.get("fragment") == "presence":
        return render(request, "workshops/console.html#presence", context)
    if request.htmx:
        return render(request, "workshops/console.html#live", context)
    return render(request, "workshops/console.html", context)


CONSOLE_ACTIONS = {
    "start",
    "close",
    "next",
    "previous",
    "goto",
    "timer-start",
    "timer-pause",
    "timer-reset",
    "reveal",
    "conceal",
    "reveal-interests",
    "classify",
}


@require_POST
@trajectory_view(FACILITATOR)
def console_action(
    request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int, action: str
) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    if action not in CONSOLE_ACTIONS:
        return HttpResponse(status=404)
    try:
        if action == "start":
            services.workshop_start(workshop=workshop)
        elif action == "close":
            services.workshop_close(workshop=workshop)
            messages.success(
                request, _("The workshop has been closed. The outcomes are in its overview.")
            )
        elif action in ("next", "previous"):
            _console_move(request, viewer, workshop, offset=1 if action == "next" else -1)
        elif action == "goto":
            item_pk = request.POST.get("item", "")
            if not item_pk.isdigit():
                raise LiveError(_("Choose an agenda item."))
            services.workshop_go(workshop=workshop, item=_item(viewer, workshop, int(item_pk)))
        elif action.startswith("timer-"):
            services.timer_set(
                workshop=workshop, running=action == "timer-start", reset=action == "timer-reset"
            )
        elif action in ("reveal", "conceal") and workshop.current_item is not None:
            services.item_reveal(item=workshop.current_item, revealed=action == "reveal")
        elif action == "reveal-interests" and workshop.current_item is not None:
            services.interests_reveal(item=workshop.current_item, by=request.user)
        elif action == "classify" and workshop.current_item is not None:
            theme_pk = request.POST.get("theme", "")
            if not theme_pk.isdigit():
                raise LiveError(_("This theme no longer exists."))
            services.theme_classify_live(
                item=workshop.current_item,
                theme_pk=int(theme_pk),
                classification=request.POST.get("classification", ""),
                by=request.user,
            )
    except LiveError as error:
        messages.error(request, error.message)
    return _console_answer(request, viewer, workshop_pk)


def _console_move(
    request: HtmxHttpRequest, viewer: Viewer, workshop: Workshop, *, offset: int
) -> None:
    """Next or previous, idempotent: the button names the item it moves from and to, so a retry
    after a lost answer (or a second click) finds the move done and changes nothing."""
    moved_from, moved_to = request.POST.get("from", ""), request.POST.get("to", "")
    if moved_from.isdigit() and int(moved_from) != workshop.current_item_id:
        messages.info(request, _("The agenda had already moved on; nothing has changed."))
        return
    if moved_to.isdigit():
        services.workshop_go(workshop=workshop, item=_item(viewer, workshop, int(moved_to)))
    else:
        services.workshop_go(workshop=workshop, offset=offset)


def _console_answer(
    request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int, **forms: BaseForm
) -> HttpResponse:
    """The console after an action: its live part for htmx; without htmx the page again when a
    form sent back (`forms`, by context name) has errors to show, else a redirect to it."""
    if request.htmx or forms:
        workshop = _workshop(viewer, workshop_pk)
        context = _console_context(viewer, workshop, **forms)
        template = "workshops/console.html#live" if request.htmx else "workshops/console.html"
        # htmx swaps 409/422 like a success (static/js/app.js): the form shows its errors in place.
        status = max((form_status(form) for form in forms.values()), default=HTTPStatus.OK)
        return render(request, template, context, status=status)
    return redirect("workshops:console", viewer.trajectory.pk, workshop_pk)


@require_POST
@trajectory_view(FACILITATOR)
def contribution_moderate(
    request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int, contribution_pk: int
) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    contribution = get_object_in_trajectory(
        Contribution.objects.select_related("item__workshop"),
        viewer,
        "item__workshop__trajectory",
        pk=contribution_pk,
        item__workshop=workshop,
    )
    status = request.POST.get("status")
    if status not in Contribution.Status.values:
        messages.error(request, _("Choose whether to show, hide or remove the contribution."))
    else:
        services.contribution_moderate(contribution=contribution, status=status)
    return _console_answer(request, viewer, workshop_pk)


@require_POST
@trajectory_view(FACILITATOR)
def agreement_add(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    form = AgreementForm(request.POST, prefix="agreement")
    if form.is_valid():
        services.agreement_record(
            workshop=workshop, text=form.cleaned_data["text"], submission_key=form.submission_key
        )
        messages.success(request, _("The agreement has been recorded."))
        return _console_answer(request, viewer, workshop_pk)
    return _console_answer(request, viewer, workshop_pk, agreement_form=form)


@require_POST
@trajectory_view(FACILITATOR)
def action_add(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    form = ActionItemForm(
        request.POST, prefix="action", workshop=workshop, partners=_owner_choices(viewer)
    )
    if form.is_valid():
        services.action_item_record(
            workshop=workshop,
            title=form.cleaned_data["title"],
            owner_partner=form.owner_partner,
            owner_participant=form.owner_participant,
            due_date=form.cleaned_data["due_date"],
            agreement=form.cleaned_data["agreement"],
            submission_key=form.submission_key,
        )
        messages.success(request, _("The action item has been recorded."))
        return _console_answer(request, viewer, workshop_pk)
    return _console_answer(request, viewer, workshop_pk, action_form=form)


# --- the projector --------------------------------------------------------------------------------


@never_cache
@require_GET
@trajectory_view(*MEMBERS)
def projector(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    context = {
        "viewer": viewer,
        "workshop": workshop,
        "shared_html": live_render.render_shared(workshop, viewer, screen="projector"),
        "live": _live_attrs(workshop),
        "join_address": _join_url(workshop).split("://", 1)[-1],
    }
    if request.htmx:
        return render(request, "workshops/projector.html#live", context)
    return render(request, "workshops/projector.html", context)


def _join_url(workshop: Workshop) -> str:
    return settings.SITE_URL + reverse("workshops_live:join", args=[workshop.join_code])


@require_GET
@trajectory_view(*MEMBERS)
def join_qr(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    image = qrcode.make(
        _join_url(workshop), image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the participant's phone ----------------------------------------------------------------------


# The note form has the same ids on the page and in the shared fragment's blank (live_render).
NOTE_IDS = "id_note_%s"


def _participant_context(
    request: HtmxHttpRequest,
    viewer: Viewer,
    workshop: Workshop,
    *,
    form: ContributionForm | None = None,
    own_only: bool = False,
) -> dict:
    """The phone's page: the part every representative of the partner shares (cached) and its own
    part, the note form with this person's CSRF token and key, or their dots, or another app's
    item; and what it marks as its own (live_render.mine)."""
    item = workshop.current_item
    # A page marks the notes it shows as this person's; its later answers change only dots.
    mine = live_render.mine(workshop, viewer.participant, notes=not request.htmx)
    context = {
        "viewer": viewer,
        "workshop": workshop,
        "item": item,
        "live": _live_attrs(workshop),
        "form": form or ContributionForm(initial={"item": item and item.pk}, auto_id=NOTE_IDS),
        "mine": json.dumps(mine),
    }
    if not own_only:
        context["shared_html"] = live_render.render_shared(workshop, viewer, screen="participant")
        context["shared_url"] = _shared_url(
            workshop, live_render.shared_variant(viewer), request.session[SESSION_INVITE_KEY]
        )
    if item is not None and item.kind in PLUGINS:
        context.update(
            live_render.item_content(item, viewer, screen="participant", request=request)
        )
    if item is not None and item.is_voting:
        placed = mine["dots"].get(item.pk, {})
        options = live_render.options_for(item)
        for option in options:
            option.my_dots = placed.get(option.pk, 0)
        context["options"] = options
        context["dots"] = {"left": item.dots_per_participant - sum(placed.values())}
    return context


def _shared_url(workshop: Workshop, variant: str, invite_id: int) -> str:
    token = live_render.shared_token(workshop.live_key, variant, invite_id)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return reverse(
        "workshops_live:shared", args=[workshop.live_key, variant, invite_id, token, language]
    )


@never_cache
@require_GET
@trajectory_view(PARTICIPANT)
def participant_live(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    live_render.presence_touch(workshop, viewer.participant)
    # The middleware just found the link usable: its shared address may answer from the store
    # at once, so the phone's first doorbell does not go past Django to check it again.
    doorbell.pass_grant(request.invite.pk, _seconds_until(request.invite.expires_at))
    if workshop.is_live and not request.htmx:
        services.attendance_record(workshop=workshop, participant=viewer.participant)
    context = _participant_context(request, viewer, workshop)
    if request.htmx:
        return render(request, "workshops/participant.html#live", context)
    return render(request, "workshops/participant.html", context)


def _wants_json(request: HtmxHttpRequest) -> bool:
    return request.headers.get("X-Live-Queue") == "1"


@require_POST
@trajectory_view(PARTICIPANT)
def contribution_add(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    form = ContributionForm(request.POST, auto_id=NOTE_IDS)
    error = None
    if form.is_valid():
        item = (
            workshop.items.filter(pk=form.cleaned_data["item"]).select_related("workshop").first()
        )
        try:
            if item is None:
                raise LiveError(_("This agenda item no longer exists."))
            note, _created = services.contribution_add(
                item=item,
                participant=viewer.participant,
                text=form.cleaned_data["text"],
                submission_key=form.submission_key,
            )
        except LiveError as exc:
            error = exc.message
            form.add_error("text", error + " " + _("Your text is kept below."))
        if error is None:
            if _wants_json(request):
                # The id lets the phone mark the note as its own once it shows up.
                return JsonResponse({"ok": True, "id": note.pk})
            messages.success(request, _("Your contribution has been added."))
            return redirect("workshops:participant", viewer.trajectory.pk, workshop.pk)
    if _wants_json(request):
        message = error or " ".join(str(e) for errors in form.errors.values() for e in errors)
        # The outbox (static/js/workshops.js) reads `ok` and `error`, whatever the status:
        # 409 when the meeting moved on from the note's item, 422 when the note itself is wrong.
        status = HTTPStatus.CONFLICT if error else form_status(form)
        return JsonResponse({"ok": False, "error": message}, status=status)
    workshop.refresh_from_db()
    context = _participant_context(request, viewer, workshop, form=form)
    return render(request, "workshops/participant.html", context, status=form_status(form))


@require_POST
@trajectory_view(PARTICIPANT)
def dot(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    """Place or take back a dot. workshops.js sends it and gets the phone's own part back (the rest
    follows with the doorbell); without JavaScript the form posts and the page comes back."""
    workshop = _workshop(viewer, workshop_pk)
    option_pk = request.POST.get("option", "")
    option = None
    if option_pk.isdigit():
        option = (
            VoteOption.objects.filter(pk=int(option_pk), item__workshop=workshop)
            .select_related("item__workshop")
            .first()
        )
    refusal = None
    try:
        if option is None:
            raise LiveError(_("This option no longer exists."))
        if request.POST.get("remove"):
            services.dot_remove(item=option.item, participant=viewer.participant, option=option)
        else:
            services.dot_place(item=option.item, participant=viewer.participant, option=option)
    except LiveError as exc:
        refusal = exc.message
    if not request.htmx:
        if refusal:
            messages.error(request, refusal)
        return redirect("workshops:participant", viewer.trajectory.pk, workshop.pk)
    workshop = _workshop(viewer, workshop_pk)
    context = _participant_context(request, viewer, workshop, own_only=True)
    return render(request, "workshops/participant.html#act", {**context, "refusal": refusal})


@require_POST
@trajectory_view(PARTICIPANT)
def heartbeat(request: HtmxHttpRequest, viewer: Viewer, workshop_pk: int) -> HttpResponse:
    workshop = _workshop(viewer, workshop_pk)
    live_render.presence_touch(workshop, viewer.participant)
    return HttpResponse(status=204)


# --- the version poll for WSGI deployments (joining by QR code: admission_views.py) ---------------


@never_cache
@require_GET
def version(request: HtmxHttpRequest, live_key: str) -> HttpResponse:
    # As workshops/asgi.version_endpoint, for a deployment that serves Django alone (WSGI).
    current = doorbell.known_version(live_key)
    if current is None:
        workshops = Workshop.objects.filter(live_key=live_key.removesuffix(doorbell.CONSOLE))
        current = workshops.values_list("version", flat=True).first()
        if current is None:
            return HttpResponse(status=404)
        doorbell.remember(live_key, current)
    seen = request.GET.get("v", "")
    if seen.isdigit() and int(seen) >= current:
        return HttpResponse(status=204)
    return HttpResponse(str(current), content_type="text/plain")


@never_cache
@require_GET
def shared(
    request: HtmxHttpRequest, live_key: str, variant: str, invite_id: int, token: str, language: str
) -> HttpResponse:
    """A phone's shared fragment by its capability address (workshops/asgi.py serves cached ones).

    The address is handed out only by the phone's page behind trajectories.access; the token
    binds it to the workshop, the partner and the invite link, so no other partner's view is
    reachable, and it works only while that link does (then the phone gets the refusal page).
    """
    if not constant_time_compare(token, live_render.shared_token(live_key, variant, invite_id)):
        return HttpResponse(status=404)
    workshop = (
        Workshop.objects.select_related(
            "trajectory", "current_item", "current_item__interest_round"
        )
        .filter(live_key=live_key)
        .first()
    )
    audience = live_render.audience_for(workshop, variant) if workshop else None
    if audience is None or not audience.is_participant or language not in dict(settings.LANGUAGES):
        return HttpResponse(status=404)
    invite = InviteLink.objects.filter(
        pk=invite_id, participant__partner_id=audience.partner_id
    ).first()
    if invite is None or not invite.is_usable:
        reason = "invalid" if invite is None else "revoked" if invite.is_revoked else "expired"
        response = render(
            request,
            "trajectories/invite_refused.html",
            {"reason": reason},
            status=404 if invite is None else 410,
        )
        response["X-Robots-Tag"] = "noindex"
        return response
    doorbell.pass_grant(invite.pk, _seconds_until(invite.expires_at))
    with translation.override(language):
        html = live_render.render_shared(workshop, audience, screen="participant")
    return HttpResponse(html)


def _seconds_until(moment) -> int:
    if moment is None:
        return doorbell.PASS_SECONDS
    return int((moment - timezone.now()).total_seconds())


@require_GET
def events(request: HtmxHttpRequest, live_key: str) -> HttpResponse:
    # Served by workshops/asgi.py in front of Django; reaching Django means no stream here.
    return HttpResponse(status=204)
