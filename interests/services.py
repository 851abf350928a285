"""Writes on rounds, interests, themes, links and facts. Keyword-only; callers check access first.

Errors a person can cause raise `InterestsError` (or a subclass) with a message in the user's
language; the caller shows it and keeps what was typed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

import audit
from audit.models import AuditEntry
from coconnect.once import create_once
from coconnect.stale import lock_current, save_new_version
from trajectories.models import Participant, Partner, Trajectory

from .models import (
    STATEMENT_MAX,
    TEXT_MAX,
    Fact,
    Interest,
    InterestLink,
    InterestMove,
    InterestMoveItem,
    InterestRound,
    Theme,
)


class InterestsError(Exception):
    """A refusal to show to the user; `str(error)` is the translated message."""


class RoundNotOpen(InterestsError):
    pass


class InterestValidation(InterestsError):
    def __init__(self, errors: dict):
        super().__init__(_("Please correct the marked fields."))
        self.errors = errors


# --- rounds -------------------------------------------------------------------------------------


def round_create(
    *,
    trajectory: Trajectory,
    title: str,
    by,
    phase: str | None = None,
    min_per_partner: int = 3,
    closes_on: datetime.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> InterestRound:
    """Create a round in preparation (status draft) for the trajectory's current phase.

    A repeated `submission_key` returns the round the first submit prepared.
    """
    round, _created = create_once(
        InterestRound,
        key=submission_key,
        scope={"trajectory": trajectory},
        title=title.strip(),
        phase=phase or trajectory.phase,
        min_per_partner=min_per_partner,
        closes_on=closes_on,
    )
    return round


def _audit(*, round: InterestRound, action: str, by, interest=None, from_value="", to_value=""):
    """Record in the trajectory's audit log; the round's page lists the entries of its round."""
    details = {"round": round.pk}
    if from_value:
        details["from"] = from_value
    if to_value:
        details["to"] = to_value
    audit.record(
        trajectory=round.trajectory_id,
        action=action,
        by=by,
        subject=interest or round,
        summary=Truncator(interest.statement).chars(120) if interest else round.title,
        **details,
    )


@transaction.atomic
def round_open(*, round: InterestRound, by) -> InterestRound:
    """Open the round for input (from draft or closed). Only one round per trajectory is open."""
    round = InterestRound.objects.select_for_update().get(pk=round.pk)
    if round.status not in (InterestRound.Status.DRAFT, InterestRound.Status.CLOSED):
        raise InterestsError(_("Only a round in preparation or a closed round can be opened."))
    if (
        InterestRound.objects.filter(
            trajectory_id=round.trajectory_id, status=InterestRound.Status.OPEN
        )
        .exclude(pk=round.pk)
        .exists()
    ):
        raise InterestsError(_("Another round is still open. Close it first."))
    round.status = InterestRound.Status.OPEN
    round.opened_at = round.opened_at or timezone.now()
    round.closed_at = None
    round.save(update_fields=["status", "opened_at", "closed_at"])
    _audit(round=round, action=AuditEntry.Action.ROUND_OPENED, by=by)
    return round


@transaction.atomic
def round_close(*, round: InterestRound, by) -> InterestRound:
    """Close the round: participants can no longer edit."""
    round = InterestRound.objects.select_for_update().get(pk=round.pk)
    if round.status != InterestRound.Status.OPEN:
        raise InterestsError(_("Only an open round can be closed."))
    round.status = InterestRound.Status.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    _audit(round=round, action=AuditEntry.Action.ROUND_CLOSED, by=by)
    return round


@transaction.atomic
def round_reveal(*, round: InterestRound, by) -> InterestRound:
    """Reveal an open or closed round (closing it too); partners then see each other per tier."""
    round = InterestRound.objects.select_for_update().get(pk=round.pk)
    if round.status == InterestRound.Status.REVEALED:
        return round  # a double click changes nothing
    if round.status == InterestRound.Status.DRAFT:
        raise InterestsError(_("A round in preparation has nothing to reveal yet."))
    now = timezone.now()
    round.status = InterestRound.Status.REVEALED
    round.closed_at = round.closed_at or now
    round.revealed_at = now
    round.revealed_by = by
    round.save(update_fields=["status", "closed_at", "revealed_at", "revealed_by"])
    _audit(round=round, action=AuditEntry.Action.INTERESTS_REVEALED, by=by)
    return round


# --- interests ----------------------------------------------------------------------------------

INTEREST_FIELDS = ("statement", "why", "success", "contribution", "weight", "tier")


def _clean_interest_data(data: dict) -> dict:
    cleaned = {name: (data.get(name) or "").strip() for name in INTEREST_FIELDS}
    errors = {}
    if not cleaned["statement"]:
        errors["statement"] = _("Describe the interest in a short sentence.")
    elif len(cleaned["statement"]) > STATEMENT_MAX:
        errors["statement"] = _("Keep the interest under %(max)d characters.") % {
            "max": STATEMENT_MAX
        }
    for name in ("why", "success", "contribution"):
        if len(cleaned[name]) > TEXT_MAX:
            errors[name] = _("Keep this under %(max)d characters.") % {"max": TEXT_MAX}
    if cleaned["weight"] not in Interest.Weight.values:
        errors["weight"] = _("Choose how important this is.")
    if cleaned["tier"] not in Interest.Tier.values:
        errors["tier"] = _("Choose who may see this interest.")
    if errors:
        raise InterestValidation(errors)
    return cleaned


@transaction.atomic
def interest_save(
    *,
    round: InterestRound,
    partner: Partner,
    by: Participant,
    data: dict,
    interest: Interest | None = None,
    version: int | None = None,
    submit: bool = False,
    submission_key: uuid.UUID | None = None,
) -> tuple[Interest, bool]:
    """Create or update an interest on behalf of `partner` (one voice per organisation).

    Returns (interest, created). Raises RoundNotOpen, StaleEdit or InterestValidation; the caller
    keeps the typed text. A repeated `submission_key` returns the interest the first submit made.
    """
    round = InterestRound.objects.select_for_update().get(pk=round.pk)
    if by.partner_id != partner.pk or partner.trajectory_id != round.trajectory_id:
        raise InterestsError(_("You can only write interests for your own organisation."))
    if not round.accepts_input:
        raise RoundNotOpen(
            _("This round is closed: changes can no longer be saved. Your text is kept below.")
        )
    cleaned = _clean_interest_data(data)
    now = timezone.now()
    if interest is None:
        status = Interest.Status.SUBMITTED if submit else Interest.Status.DRAFT
        return create_once(
            Interest,
            key=submission_key,
            scope={"partner": partner},
            round=round,
            author=by,
            last_edited_by=by,
            status=status,
            submitted_at=now if submit else None,
            updated_at=now,
            **cleaned,
        )

    if interest.partner_id != partner.pk or interest.round_id != round.pk:
        raise InterestsError(_("You can only write interests for your own organisation."))
    current = lock_current(Interest.objects.all(), seen_version=version, pk=interest.pk)
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.last_edited_by = by
    current.updated_at = now
    if submit and current.status != Interest.Status.SUBMITTED:
        current.status = Interest.Status.SUBMITTED
        current.submitted_at = now
    save_new_version(current)
    return current, False


@transaction.atomic
def interest_delete(*, interest: Interest, by: Participant) -> None:
    """A participant removes one of the own organisation's entries while the round is open."""
    round = InterestRound.objects.select_for_update().get(pk=interest.round_id)
    if interest.partner_id != by.partner_id:
        raise InterestsError(_("You can only write interests for your own organisation."))
    if not round.accepts_input:
        raise RoundNotOpen(_("This round is closed: nothing can be removed any more."))
    interest.delete()


@transaction.atomic
def tier_raise(*, interest: Interest, tier: str, by, confirmed: bool) -> Interest:
    """Facilitator only: make an interest more open than chosen, after confirming on screen."""
    if not confirmed:
        raise InterestsError(
            _("Confirm that the organisation agreed to share this interest more openly.")
        )
    current = Interest.objects.select_for_update().select_related("round").get(pk=interest.pk)
    if tier not in Interest.Tier.values:
        raise InterestsError(_("Choose who may see this interest."))
    if Interest.TIER_OPENNESS[tier] <= Interest.TIER_OPENNESS[current.tier]:
        raise InterestsError(_("A tier can only be made more open, never more closed."))
    previous = current.tier
    current.tier = tier
    save_new_version(current, fields=["tier"])
    _audit(
        round=current.round,
        action=AuditEntry.Action.TIER_CHANGED,
        by=by,
        interest=current,
        from_value=previous,
        to_value=tier,
    )
    return current


# --- themes -------------------------------------------------------------------------------------


def _clean_theme_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InterestsError(_("Give the theme a name."))
    if len(name) > 120:
        raise InterestsError(_("Keep the theme name under 120 characters."))
    return name


def _name_taken(round: InterestRound, name: str, exclude_pk=None) -> bool:
    qs = Theme.objects.filter(round=round, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def theme_create(*, round: InterestRound, name: str, by=None) -> Theme:
    """Create a theme in a round; names are unique per round (case-insensitive)."""
    name = _clean_theme_name(name)
    if _name_taken(round, name):
        raise InterestsError(_("A theme with this name already exists in this round."))
    return Theme.objects.create(trajectory_id=round.trajectory_id, round=round, name=name)


def theme_rename(*, theme: Theme, name: str) -> Theme:
    name = _clean_theme_name(name)
    if _name_taken(theme.round, name, exclude_pk=theme.pk):
        raise InterestsError(_("A theme with this name already exists in this round."))
    theme.name = name
    theme.save(update_fields=["name"])
    return theme


@transaction.atomic
def theme_merge(*, source: Theme, into: Theme) -> Theme:
    """Move all of `source`'s interests and facts into `into`, then delete `source`."""
    if source.pk == into.pk or source.round_id != into.round_id:
        raise InterestsError(_("Choose another theme of the same round to merge with."))
    Interest.objects.filter(theme=source).update(theme=into)
    # The moves remember `source` as `into`: an undo puts interests where `source` went.
    InterestMoveItem.objects.filter(from_theme=source).update(from_theme=into)
    InterestMoveItem.objects.filter(to_theme=source).update(to_theme=into)
    Fact.objects.filter(theme=source).update(theme=into)
    if source.rationale and not into.rationale:
        into.rationale = source.rationale
        into.save(update_fields=["rationale"])
    source.delete()
    return into


def interest_move(*, interest: Interest, theme: Theme | None) -> Interest:
    """Put one interest in a theme of its own round, or take it out (theme=None)."""
    interests_move(round=interest.round, interest_ids=[interest.pk], theme=theme, by=None, key=None)
    interest.theme = theme
    return interest


class MovedSince(InterestsError):
    """An undo that would undo more than its own move: the interests moved again since."""


@transaction.atomic
def interests_move(
    *,
    round: InterestRound,
    interest_ids: Iterable[int],
    theme: Theme | None,
    by,
    key: uuid.UUID | None,
) -> InterestMove:
    """Put interests of this round into `theme` (None: out of every theme) and remember where
    each came from, so the move can be undone. Ids of another round match nothing. Interests
    already in `theme` stay out of the move (`count` says how many moved). A repeated `key`
    returns the move the first submit made, and moves nothing again."""
    if theme is not None and theme.round_id != round.pk:
        raise InterestsError(_("An interest can only be placed in a theme of its own round."))
    # Locked in id order: two moves of the same interests wait for each other, never deadlock.
    found = list(
        Interest.objects.select_for_update()
        .filter(round=round, pk__in=set(interest_ids))
        .order_by("pk")
        .values_list("pk", "theme_id")
    )
    if not found:
        raise InterestsError(_("Tick at least one interest to move."))
    to_id = theme.pk if theme is not None else None
    moving = [(pk, from_id) for pk, from_id in found if from_id != to_id]
    move, created = create_once(
        InterestMove, key=key, scope={"round": round}, theme=theme, count=len(moving), by=by
    )
    if not created:
        return move
    InterestMoveItem.objects.bulk_create(
        InterestMoveItem(move=move, interest_id=pk, from_theme_id=from_id, to_theme_id=to_id)
        for pk, from_id in moving
    )
    Interest.objects.filter(pk__in=[pk for pk, _from in moving]).update(theme=theme)
    return move


@transaction.atomic
def interests_move_undo(*, move: InterestMove, by, key: uuid.UUID | None) -> InterestMove:
    """Send the interests of `move` back to where each came from, as a move of its own.

    Refused (`MovedSince`) when any of them moved after `move` (by anyone, or by a merge), so an
    undo never takes back someone else's later work. A move is undone once; a repeated `key`
    returns the undo the first submit made."""
    # The move's row is the lock for its undo: a second undo waits and then finds the first.
    move = InterestMove.objects.select_for_update().get(pk=move.pk)
    earlier = InterestMove.objects.filter(undo_of=move).first()
    if earlier is not None:
        if key is not None and earlier.submission_key == key:
            return earlier
        raise MovedSince(_("This move has already been undone."))
    items = list(move.items.order_by("interest_id"))
    if len(items) != move.count:
        raise MovedSince(_("A theme of this move no longer exists, so it cannot be undone."))
    ids = [item.interest_id for item in items]
    now_in = dict(
        Interest.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "theme_id")
    )
    moved_since = InterestMoveItem.objects.filter(interest_id__in=ids, move_id__gt=move.pk)
    if any(now_in.get(item.interest_id, -1) != item.to_theme_id for item in items) or (
        moved_since.exists()
    ):
        raise MovedSince(
            _(
                "These interests were moved again after this move, so it was not undone. "
                "The board shows where they are now."
            )
        )
    undo, created = create_once(
        InterestMove,
        key=key,
        scope={"round_id": move.round_id},
        undo_of=move,
        count=len(items),
        by=by,
    )
    if not created:
        return undo
    InterestMoveItem.objects.bulk_create(
        InterestMoveItem(
            move=undo,
            interest_id=item.interest_id,
            from_theme_id=item.to_theme_id,
            to_theme_id=item.from_theme_id,
        )
        for item in items
    )
    if items:
        # One statement however many themes they came from.
        # Cast: when every one goes back to "not grouped", PostgreSQL reads the CASE of NULLs
        # as text, which a theme id column refuses.
        theme_id = Interest._meta.get_field("theme").target_field
        back = Cast(
            Case(*(When(pk=item.interest_id, then=Value(item.from_theme_id)) for item in items)),
            output_field=theme_id,
        )
        Interest.objects.filter(pk__in=ids).update(theme_id=back)
    return undo


def theme_classify(*, theme: Theme, classification: str, rationale: str, by) -> Theme:
    """Classify a theme as common, compatible or conflicting, with a short rationale."""
    if classification not in Theme.Classification.values:
        raise InterestsError(_("Choose a classification."))
    rationale = (rationale or "").strip()
    if len(rationale) > TEXT_MAX:
        raise InterestsError(_("Keep this under %(max)d characters.") % {"max": TEXT_MAX})
    theme.classification = classification
    theme.rationale = rationale
    theme.classified_at = timezone.now()
    theme.classified_by = by
    theme.save(update_fields=["classification", "rationale", "classified_at", "classified_by"])
    return theme


# --- links --------------------------------------------------------------------------------------


def link_create(*, first: Interest, second: Interest, kind: str, note: str, by) -> InterestLink:
    """Link two interests of the same round as compatible or conflicting (order does not matter)."""
    if first.pk == second.pk or first.round_id != second.round_id:
        raise InterestsError(_("Choose two different interests of the same round."))
    if kind not in InterestLink.Kind.values:
        raise InterestsError(_("Choose compatible or conflicting."))
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise InterestsError(_("Keep this under %(max)d characters.") % {"max": TEXT_MAX})
    a, b = sorted([first, second], key=lambda i: i.pk)
    link, created = InterestLink.objects.get_or_create(
        first=a,
        second=b,
        defaults={"round_id": a.round_id, "kind": kind, "note": note, "created_by": by},
    )
    if not created:
        link.kind, link.note = kind, note
        link.save(update_fields=["kind", "note"])
    return link


@transaction.atomic
def link_delete(*, link: InterestLink, by) -> None:
    """Remove a link between two interests; the audit trail keeps who removed which one."""
    _audit(
        round=link.round,
        action=AuditEntry.Action.LINK_REMOVED,
        by=by,
        interest=link.first,
        from_value=link.kind,
    )
    link.delete()


# --- facts --------------------------------------------------------------------------------------

FACT_FIELDS = ("question", "known", "sources", "status")


def fact_save(
    *,
    trajectory: Trajectory,
    data: dict,
    theme: Theme | None = None,
    fact: Fact | None = None,
    version: int | None = None,
    submission_key: uuid.UUID | None = None,
) -> Fact:
    """Create or update a fact-finding question. Raises InterestValidation or StaleEdit.

    A repeated `submission_key` returns the question the first submit created.
    """
    cleaned = {name: (data.get(name) or "").strip() for name in FACT_FIELDS}
    errors = {}
    if not cleaned["question"]:
        errors["question"] = _("Write down the question the partners want answered.")
    elif len(cleaned["question"]) > STATEMENT_MAX:
        errors["question"] = _("Keep the question under %(max)d characters.") % {
            "max": STATEMENT_MAX
        }
    if len(cleaned["known"]) > TEXT_MAX * 2:
        errors["known"] = _("Keep this under %(max)d characters.") % {"max": TEXT_MAX * 2}
    if len(cleaned["sources"]) > TEXT_MAX:
        errors["sources"] = _("Keep this under %(max)d characters.") % {"max": TEXT_MAX}
    if cleaned["status"] not in Fact.Status.values:
        errors["status"] = _("Choose a status.")
    if theme is not None and theme.trajectory_id != trajectory.pk:
        errors["theme"] = _("Choose a theme of this trajectory.")
    if errors:
        raise InterestValidation(errors)
    now = timezone.now()
    if fact is None:
        fact, _created = create_once(
            Fact,
            key=submission_key,
            scope={"trajectory": trajectory},
            theme=theme,
            updated_at=now,
            **cleaned,
        )
        return fact
    with transaction.atomic():
        current = lock_current(
            Fact.objects.filter(trajectory=trajectory), seen_version=version, pk=fact.pk
        )
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.theme = theme
        current.updated_at = now
        save_new_version(current)
    return current
