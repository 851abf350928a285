"""Writes that touch several models or ring the doorbell. Keyword-only, typed."""

from __future__ import annotations

import functools
import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coconnect.once import create_once
from coconnect.stale import lock_current, save_new_version
from interests.models import Theme
from interests.services import InterestsError, round_reveal, theme_classify
from trajectories.models import Participant, Partner

from . import doorbell, live_render
from .agenda_plugins import PLUGINS
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Attendance,
    Contribution,
    DotVote,
    VoteOption,
    Workshop,
)

logger = logging.getLogger(__name__)


def workshop_bump(*, workshop: Workshop, room: bool = True) -> int:
    """Raise the workshop's version after any change a live screen could show; the console
    follows every change, the room (projector and phones) only when `room`: a change only the
    console shows must not make every phone fetch again.

    Safe to call inside a transaction: the new version is announced once it is committed.
    Returns the new version (also set on `workshop.version`).
    """
    Workshop.objects.filter(pk=workshop.pk).update(version=F("version") + 1)
    version = Workshop.objects.filter(pk=workshop.pk).values_list("version", flat=True).get()
    workshop.version = version
    transaction.on_commit(functools.partial(_announce, workshop, version, room=room))
    return version


def _announce(workshop: Workshop, version: int, *, room: bool) -> None:
    if room:
        try:
            live_render.prerender(workshop.pk)
        except Exception:  # the ring matters more: screens that miss a fragment render it
            logger.exception("live workshop %s: rendering version %s failed", workshop.pk, version)
    doorbell.announce(workshop.live_key, version, room=room)


# --- agenda ---------------------------------------------------------------------------------------


class LiveError(Exception):
    """A live action that cannot be done now; `message` is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _renumber(workshop: Workshop) -> list[AgendaItem]:
    items = list(workshop.items.order_by("position", "pk"))
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])
    return items


@transaction.atomic
def agenda_item_add(*, workshop: Workshop, **fields) -> AgendaItem:
    last = workshop.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(workshop=workshop, position=last + 1, **fields)
    workshop_bump(workshop=workshop)
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, seen_version: int | None, interest_round, **fields
) -> AgendaItem:
    """Save the item form; refused with StaleEdit when someone saved the item meanwhile."""
    current = lock_current(AgendaItem.objects.all(), pk=item.pk, seen_version=seen_version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.interest_round = interest_round
    save_new_version(current, fields=[*fields, "interest_round"])
    workshop_bump(workshop=item.workshop)
    return current


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (offset -1) or down (+1) in its agenda."""
    items = _renumber(item.workshop)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    first, second = items[index], items[target]
    first.position, second.position = second.position, first.position
    first.save(update_fields=["position"])
    second.save(update_fields=["position"])
    workshop_bump(workshop=item.workshop)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    workshop = item.workshop
    item.delete()
    _renumber(workshop)
    workshop_bump(workshop=workshop)


@transaction.atomic
def agenda_copy(*, source: Workshop, target: Workshop) -> int:
    """Append the agenda of an earlier workshop (items and vote options, no contributions)."""
    last = target.items.aggregate(last=Max("position"))["last"] or 0
    count = 0
    for item in source.items.prefetch_related("options").order_by("position", "pk"):
        count += 1
        copy = AgendaItem.objects.create(
            workshop=target,
            position=last + count,
            kind=item.kind,
            title=item.title,
            timebox_minutes=item.timebox_minutes,
            notes=item.notes,
            dots_per_participant=item.dots_per_participant,
            anonymous_notes=item.anonymous_notes,
        )
        VoteOption.objects.bulk_create(
            VoteOption(
                item=copy,
                label=o.label,
                position=o.position,
                source_type=o.source_type,
                source_id=o.source_id,
            )
            for o in item.options.all()
        )
    workshop_bump(workshop=target)
    return count


@transaction.atomic
def option_add(
    *, item: AgendaItem, label: str, source_type: str = "", source_id: int | None = None
) -> VoteOption:
    last = item.options.aggregate(last=Max("position"))["last"] or 0
    option = VoteOption.objects.create(
        item=item, label=label, position=last + 1, source_type=source_type, source_id=source_id
    )
    workshop_bump(workshop=item.workshop)
    return option


def _options_append(item: AgendaItem, source_type: str, sources) -> int:
    """Append (pk, label) sources as vote options, skipping those the item already has."""
    existing = set(item.options.filter(source_type=source_type).values_list("source_id", flat=True))
    last = item.options.aggregate(last=Max("position"))["last"] or 0
    fresh = [(pk, label) for pk, label in sources if pk not in existing]
    VoteOption.objects.bulk_create(
        VoteOption(item=item, label=label, position=last + n, source_type=source_type, source_id=pk)
        for n, (pk, label) in enumerate(fresh, start=1)
    )
    workshop_bump(workshop=item.workshop)
    return len(fresh)


@transaction.atomic
def options_from_contributions(*, item: AgendaItem, source: AgendaItem) -> int:
    """Put the visible contributions of an earlier item to the vote (each once)."""
    notes = ((note.pk, note.text) for note in source.contributions.shown())
    return _options_append(item, "workshops.contribution", notes)


@transaction.atomic
def options_from_themes(*, item: AgendaItem) -> int:
    """Put the themes of the item's interest round to the vote (each once)."""
    themes = Theme.objects.filter(round_id=item.interest_round_id).order_by("name")
    return _options_append(item, "interests.theme", themes.values_list("pk", "name"))


@transaction.atomic
def option_delete(*, option: VoteOption) -> None:
    item = option.item
    option.delete()
    workshop_bump(workshop=item.workshop)


# --- running the workshop -------------------------------------------------------------------------


def _timer_reset(workshop: Workshop) -> None:
    item = workshop.current_item
    workshop.timer_started_at = None
    workshop.timer_seconds = (item.timebox_minutes * 60) if item else 0


@transaction.atomic
def workshop_start(*, workshop: Workshop) -> Workshop:
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.is_closed:
        raise LiveError(_("This workshop is closed and cannot start again."))
    if workshop.is_cancelled:
        raise LiveError(_("This workshop has been cancelled and cannot start."))
    workshop.status = Workshop.Status.LIVE
    workshop.started_at = workshop.started_at or timezone.now()
    if workshop.current_item_id is None:
        workshop.current_item = workshop.items.order_by("position", "pk").first()
        _timer_reset(workshop)
    workshop.save(
        update_fields=[
            "status",
            "started_at",
            "current_item",
            "timer_started_at",
            "timer_seconds",
            "updated_at",
        ]
    )
    workshop_bump(workshop=workshop)
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop) -> Workshop:
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.status = Workshop.Status.CLOSED
    workshop.closed_at = timezone.now()
    workshop.timer_seconds = workshop.timer_remaining()
    workshop.timer_started_at = None
    workshop.save(
        update_fields=["status", "closed_at", "timer_started_at", "timer_seconds", "updated_at"]
    )
    for _app, plugin in PLUGINS.values():
        # An agenda plugin may end what it ran in this workshop (health closes its pulse).
        if hasattr(plugin, "on_workshop_closed"):
            plugin.on_workshop_closed(workshop)
    workshop_bump(workshop=workshop)
    return workshop


@transaction.atomic
def workshop_go(*, workshop: Workshop, offset: int = 0, item: AgendaItem | None = None) -> Workshop:
    """Move to the next (+1) or previous (-1) agenda item, or straight to `item`."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    items = list(workshop.items.order_by("position", "pk"))
    if not items:
        raise LiveError(_("The agenda is empty: add an item first."))
    if item is None:
        ids = [i.pk for i in items]
        index = ids.index(workshop.current_item_id) if workshop.current_item_id in ids else -1
        index = min(max(index + offset, 0), len(items) - 1)
        item = items[index]
    workshop.current_item = item
    _timer_reset(workshop)
    workshop.save(update_fields=["current_item", "timer_started_at", "timer_seconds", "updated_at"])
    workshop_bump(workshop=workshop)
    return workshop


@transaction.atomic
def timer_set(*, workshop: Workshop, running: bool, reset: bool = False) -> Workshop:
    workshop = (
        Workshop.objects.select_for_update(of=("self",))
        .select_related("current_item")
        .get(pk=workshop.pk)
    )
    if reset:
        _timer_reset(workshop)
    elif running and not workshop.timer_running:
        workshop.timer_started_at = timezone.now()
    elif not running and workshop.timer_running:
        workshop.timer_seconds = workshop.timer_remaining()
        workshop.timer_started_at = None
    workshop.save(update_fields=["timer_started_at", "timer_seconds", "updated_at"])
    workshop_bump(workshop=workshop)
    return workshop


@transaction.atomic
def item_reveal(*, item: AgendaItem, revealed: bool = True) -> AgendaItem:
    item.revealed_at = timezone.now() if revealed else None
    item.save(update_fields=["revealed_at"])
    workshop_bump(workshop=item.workshop)
    return item


def attendance_record(*, workshop: Workshop, participant: Participant) -> bool:
    """Note that the participant joined; True when this is news.

    Rings no screen: only the console's presence list shows it, and that list asks by itself.
    """
    _attendance, created = Attendance.objects.get_or_create(
        workshop=workshop, participant=participant
    )
    return created


@transaction.atomic
def attendance_set(*, workshop: Workshop, participant_ids: set[int]) -> None:
    """The facilitator's list of who was there."""
    current = set(workshop.attendances.values_list("participant_id", flat=True))
    workshop.attendances.exclude(participant_id__in=participant_ids).delete()
    Attendance.objects.bulk_create(
        Attendance(workshop=workshop, participant_id=pk) for pk in participant_ids - current
    )
    # Rings no screen: only the console's presence list shows it, and that list asks by itself.


# --- contributions and dots -----------------------------------------------------------------------


def _ensure_open(workshop: Workshop, item: AgendaItem) -> None:
    # Read afresh: the instance at hand may predate the facilitator's last move.
    status, current_item_id = (
        Workshop.objects.filter(pk=workshop.pk).values_list("status", "current_item_id").get()
    )
    if status != Workshop.Status.LIVE:
        raise LiveError(_("The workshop is not live at the moment."))
    if current_item_id != item.pk:
        raise LiveError(_("The agenda has moved on to another item."))


@transaction.atomic
def contribution_add(
    *,
    item: AgendaItem,
    participant: Participant,
    text: str,
    submission_key: uuid.UUID | None = None,
) -> tuple[Contribution, bool]:
    """Add a sticky note; returns (note, created).

    A repeated `submission_key` returns the earlier note instead of a duplicate.
    """
    workshop = item.workshop
    scope = {"item": item, "participant": participant}
    # A retry of a stored note is answered "stored" even after the agenda moved on, so the phone
    # does not hand the text back as if it were lost.
    if submission_key is not None:
        earlier = Contribution.objects.filter(**scope, submission_key=submission_key).first()
        if earlier is not None:
            return earlier, False
    _ensure_open(workshop, item)
    if not item.takes_contributions:
        raise LiveError(_("This agenda item does not take contributions."))
    contribution, created = create_once(
        Contribution,
        key=submission_key,
        scope=scope,
        partner_id=participant.partner_id,
        text=text,
    )
    if created:
        Attendance.objects.get_or_create(workshop=workshop, participant=participant)
        workshop_bump(workshop=workshop)
    return contribution, created


@transaction.atomic
def contribution_moderate(*, contribution: Contribution, status: str) -> Contribution:
    # The room sees the change only when the note was, or becomes, visible to it.
    shown = Contribution.Status.VISIBLE in (contribution.status, status)
    contribution.status = status
    contribution.save(update_fields=["status"])
    workshop_bump(workshop=contribution.item.workshop, room=shown)
    return contribution


@transaction.atomic
def dot_place(*, item: AgendaItem, participant: Participant, option: VoteOption) -> DotVote:
    """Place one dot. Never more than `dots_per_participant`, also under concurrent requests.

    The participant's attendance row is locked, so their own requests queue up; the unique
    (item, participant, slot) constraint is the final guard.
    """
    workshop = item.workshop
    _ensure_open(workshop, item)
    if not item.is_voting or option.item_id != item.pk:
        raise LiveError(_("This is not something you can vote on now."))
    attendance, _created = Attendance.objects.get_or_create(
        workshop=workshop, participant=participant
    )
    Attendance.objects.select_for_update().filter(pk=attendance.pk).get()
    used = set(
        DotVote.objects.filter(item=item, participant=participant).values_list("slot", flat=True)
    )
    free = [slot for slot in range(1, item.dots_per_participant + 1) if slot not in used]
    if not free:
        raise LiveError(_("You have placed all your dots. Take one back to move it."))
    try:
        with transaction.atomic():
            dot = DotVote.objects.create(
                item=item, participant=participant, option=option, slot=free[0]
            )
    except IntegrityError:
        raise LiveError(_("You have placed all your dots. Take one back to move it.")) from None
    # Before the reveal the room sees only how many people voted: a first dot changes that.
    workshop_bump(workshop=workshop, room=item.is_revealed or not used)
    return dot


@transaction.atomic
def dot_remove(*, item: AgendaItem, participant: Participant, option: VoteOption) -> bool:
    _ensure_open(item.workshop, item)
    dot = (
        DotVote.objects.filter(item=item, participant=participant, option=option)
        .order_by("-slot")
        .first()
    )
    if dot is None:
        return False
    dot.delete()
    voted = DotVote.objects.filter(item=item, participant=participant).exists()
    workshop_bump(workshop=item.workshop, room=item.is_revealed or not voted)
    return True


# --- outcomes -------------------------------------------------------------------------------------


def _room_shows_outcomes(workshop: Workshop) -> bool:
    """Whether the projector and the phones show the outcomes now (live_render.item_content and
    end_content): on an agreements item, and on the end screen."""
    item = workshop.current_item
    return workshop.is_closed or (item is not None and item.kind == AgendaItem.Kind.AGREEMENTS)


@transaction.atomic
def agreement_record(
    *, workshop: Workshop, text: str, submission_key: uuid.UUID | None = None
) -> Agreement:
    """Record an agreement; the same submit sent twice records it once."""
    agreement, created = create_once(
        Agreement,
        key=submission_key,
        scope={"workshop": workshop},
        trajectory_id=workshop.trajectory_id,
        text=text,
    )
    if created:
        workshop_bump(workshop=workshop, room=_room_shows_outcomes(workshop))
    return agreement


@transaction.atomic
def action_item_record(
    *,
    workshop: Workshop,
    title: str,
    owner_partner: Partner | None = None,
    owner_participant: Participant | None = None,
    due_date=None,
    agreement: Agreement | None = None,
    submission_key: uuid.UUID | None = None,
) -> ActionItem:
    """Record an action item; the same submit sent twice records it once."""
    if owner_participant is not None and owner_partner is None:
        owner_partner = owner_participant.partner
    action, created = create_once(
        ActionItem,
        key=submission_key,
        scope={"workshop": workshop},
        trajectory_id=workshop.trajectory_id,
        agreement=agreement,
        title=title,
        owner_partner=owner_partner,
        owner_participant=owner_participant,
        due_date=due_date,
    )
    if created:
        workshop_bump(workshop=workshop, room=_room_shows_outcomes(workshop))
    return action


def action_item_set_status(*, action: ActionItem, status: str) -> ActionItem:
    action.status = status
    action.done_at = timezone.now() if status == ActionItem.Status.DONE else None
    action.save(update_fields=["status", "done_at", "updated_at"])
    return action


# --- interests items: the interests app's services, followed by every screen ----------------------


@transaction.atomic
def interests_reveal(*, item: AgendaItem, by) -> None:
    """Reveal the item's interest round (interests.services.round_reveal) on every screen."""
    if item.interest_round is None:
        raise LiveError(_("No interest round is linked to this agenda item."))
    try:
        round_reveal(round=item.interest_round, by=by)
    except InterestsError as error:
        raise LiveError(str(error)) from None
    # Saving the round rings the screens (workshops/signals.py), once.


@transaction.atomic
def theme_classify_live(*, item: AgendaItem, theme_pk: int, classification: str, by) -> None:
    """Classify one theme of the item's round (interests.services.theme_classify)."""
    theme = Theme.objects.filter(pk=theme_pk, round_id=item.interest_round_id).first()
    if theme is None:
        raise LiveError(_("This theme no longer exists."))
    try:
        theme_classify(theme=theme, classification=classification, rationale=theme.rationale, by=by)
    except InterestsError as error:
        raise LiveError(str(error)) from None
    # Saving the theme rings the screens (workshops/signals.py), once.
