"""Writes of the health app. Keyword-only, typed."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from coconnect.stale import lock_current, save_new_version
from trajectories.models import Participant, Trajectory

from .models import Answer, DiagnosisDecision, InterimChange, Pulse, Response, Risk, Stakeholder
from .statements import STATEMENT_KEYS

TITLE_MAX = Pulse._meta.get_field("title").max_length


class PulseClosed(Exception):
    """The pulse is not (or no longer) open for answers."""


def pulse_create(
    *,
    trajectory: Trajectory,
    title: str,
    open_now: bool = False,
    agenda_item=None,
    closes_on: datetime.date | None = None,
) -> Pulse:
    pulse = Pulse.objects.create(
        trajectory=trajectory,
        title=title,
        agenda_item=agenda_item,
        phase=trajectory.phase,
        closes_on=closes_on,
    )
    if open_now:
        pulse_open(pulse=pulse)
    return pulse


def pulse_open(*, pulse: Pulse) -> Pulse:
    pulse.status = Pulse.Status.OPEN
    pulse.opened_at = pulse.opened_at or timezone.now()
    pulse.closed_at = None
    pulse.save(update_fields=["status", "opened_at", "closed_at"])
    return pulse


def pulse_close(*, pulse: Pulse) -> Pulse:
    pulse.status = Pulse.Status.CLOSED
    pulse.closed_at = timezone.now()
    pulse.save(update_fields=["status", "closed_at"])
    return pulse


def pulse_title_for_item(*, item) -> str:
    """The title of a workshop item's pulse: the item's title, or, when the trajectory has a pulse
    of that title already, one naming the workshop and its date (a counter only if still taken)."""
    workshop = item.workshop
    taken = {
        title.lower()
        for title in Pulse.objects.filter(trajectory_id=workshop.trajectory_id).values_list(
            "title", flat=True
        )
    }
    if item.title.lower() not in taken:
        return item.title[:TITLE_MAX]
    day = date_format(timezone.localdate(workshop.starts_at), "j F Y")
    named = f"{item.title} – {workshop.title} ({day})"
    title, counter = named[:TITLE_MAX], 2
    while title.lower() in taken:
        suffix = f" {counter}"
        title, counter = named[: TITLE_MAX - len(suffix)] + suffix, counter + 1
    return title


def pulse_for_item_open(*, item) -> Pulse:
    """Open the pulse of a workshop agenda item, creating it the first time."""
    pulse = Pulse.objects.filter(agenda_item=item).first()
    if pulse is not None:
        return pulse_open(pulse=pulse)
    try:
        with transaction.atomic():
            return pulse_create(
                trajectory=item.workshop.trajectory,
                title=pulse_title_for_item(item=item),
                open_now=True,
                agenda_item=item,
            )
    except IntegrityError:  # a double click created it already
        return Pulse.objects.get(agenda_item=item)


def pulses_of_workshop_close(*, workshop) -> None:
    """Close the pulses a workshop opened as agenda items: they end with the workshop."""
    for pulse in Pulse.objects.open().filter(agenda_item__workshop=workshop):
        pulse_close(pulse=pulse)


@transaction.atomic
def response_submit(
    *, pulse: Pulse, participant: Participant, answers: dict[str, tuple[int, str]]
) -> Response:
    """Store (or replace) a participant's answers: statement key -> (score, remark).

    Answering twice (a double submit, or a second phone) updates the one response.
    """
    locked = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if not locked.is_open:
        raise PulseClosed
    try:
        with transaction.atomic():
            response, _created = Response.objects.get_or_create(
                pulse=locked,
                participant=participant,
                defaults={"partner_id": participant.partner_id, "level": participant.level},
            )
    except IntegrityError:  # a simultaneous submit of the same participant won the race
        response = Response.objects.get(pulse=locked, participant=participant)
    response.partner_id = participant.partner_id
    response.level = participant.level
    response.save(update_fields=["partner", "level", "updated_at"])
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, statement=key, score=score, remark=remark)
        for key, (score, remark) in answers.items()
        if key in STATEMENT_KEYS
    )
    return response


def diagnosis_decide(*, pulse: Pulse, rule: str, status: str, note: str, by) -> DiagnosisDecision:
    decision, _created = DiagnosisDecision.objects.update_or_create(
        pulse=pulse,
        rule=rule,
        defaults={"status": status, "note": note, "decided_by": by, "decided_at": timezone.now()},
    )
    return decision


def diagnosis_reopen(*, pulse: Pulse, rule: str) -> None:
    DiagnosisDecision.objects.filter(pulse=pulse, rule=rule).delete()


RegisterEntry = InterimChange | Risk | Stakeholder


@transaction.atomic
def register_entry_save(
    *, entry: RegisterEntry, fields: list[str], seen_version: int | None
) -> RegisterEntry:
    """Record a new interim change, risk or stakeholder, or save an edit of one.

    An edit is refused with StaleEdit when someone saved the entry after `seen_version` was
    loaded; the lock makes a simultaneous second save wait and then see the first.
    """
    if entry.pk is None:
        entry.save()
        return entry
    lock_current(type(entry).objects.all(), pk=entry.pk, seen_version=seen_version)
    save_new_version(entry, fields=[*fields, "updated_at"])
    return entry


@transaction.atomic
def change_follow_up_set(*, change: InterimChange, status: str) -> InterimChange:
    """Move the follow-up of a change along; an open edit form of it becomes stale."""
    change = lock_current(InterimChange.objects.all(), pk=change.pk, seen_version=None)
    change.follow_up_status = status
    save_new_version(change, fields=["follow_up_status", "updated_at"])
    return change
