"""Writes that touch several models: keyword-only, typed, `<noun>_<verb>()`."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from audit.models import AuditEntry
from coconnect.once import create_once
from coconnect.stale import StaleEdit, lock_current, save_new_version
from trajectories.models import Participant, Partner, Trajectory
from workshops.models import ActionItem

from .models import (
    DEFAULT_KINDS,
    ImprovementKind,
    ImprovementPackage,
    PackageAction,
    Position,
    PositionChange,
    Proposal,
    ProposalGain,
    Stance,
)
from .selectors import package_verdict


class PackageFrozen(Exception):
    """An adopted package cannot change; start a new version instead."""


class PackageNotCarried(Exception):
    """Only a package that every partner supports can be adopted."""


class KindNameTaken(ValueError):
    """Another kind of improvement of the trajectory has this name (in any capitalisation)."""

    message = gettext_lazy("This kind of improvement is already on the list.")


def kinds_lay_down(*, trajectory: Trajectory) -> None:
    """Give a new trajectory the default kinds of improvement, in its working language."""
    # The working language, whatever language the person creating the trajectory reads.
    with translation.override(settings.LANGUAGE_CODE):
        ImprovementKind.objects.bulk_create(
            [
                ImprovementKind(trajectory=trajectory, name=str(name), order=index)
                for index, name in enumerate(DEFAULT_KINDS, start=1)
            ],
            ignore_conflicts=True,
        )


def kind_add(*, trajectory: Trajectory, name: str) -> ImprovementKind:
    order = ImprovementKind.objects.filter(trajectory=trajectory).count() + 1
    try:
        # The database decides on duplicates (improvements_improvementkind_unique_name), also
        # when two facilitators add the same name at the same moment.
        with transaction.atomic():
            return ImprovementKind.objects.create(
                trajectory=trajectory, name=name.strip(), order=order
            )
    except IntegrityError:
        raise KindNameTaken(name) from None


def kind_rename(*, kind: ImprovementKind, name: str) -> ImprovementKind:
    kind.name = name.strip()
    try:
        with transaction.atomic():
            kind.save(update_fields=["name"])
    except IntegrityError:
        kind.refresh_from_db(fields=["name"])
        raise KindNameTaken(name) from None
    return kind


def _actor_name(*, user=None, participant: Participant | None = None) -> str:
    if participant is not None:
        return f"{participant.name} ({participant.partner.name})"
    if user is not None:
        return user.get_full_name() or user.get_username()
    return ""


@dataclass
class ProposalData:
    title: str
    description: str = ""
    kinds: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    interests: list = field(default_factory=list)
    proposer_partner: Partner | None = None
    proposer_level: str = ""
    effort: str = Proposal.Effort.MEDIUM
    cost: str = Proposal.Cost.MEDIUM
    cost_note: str = ""
    who_does_what: str = ""
    # partner id -> (gain level, note)
    gains: dict = field(default_factory=dict)
    # The partners whose gains this edit covers (None: every partner); others stay as they are.
    gain_partner_ids: set | None = None
    # On an edit: the interests the editor could see (and so could unlink).
    visible_interest_ids: set | None = None
    workshop: object = None
    agenda_item: object = None


def _save_gains(proposal: Proposal, gains: dict, partner_ids: set | None) -> None:
    existing = {
        g.partner_id: g
        for g in proposal.gains.all()
        if partner_ids is None or g.partner_id in partner_ids
    }
    new, changed = [], []
    for partner_id, (level, note) in gains.items():
        if partner_ids is not None and partner_id not in partner_ids:
            continue
        gain = existing.get(partner_id)
        if gain is None:
            new.append(
                ProposalGain(proposal=proposal, partner_id=partner_id, level=level, note=note)
            )
        elif (gain.level, gain.note) != (level, note):
            gain.level, gain.note = level, note
            changed.append(gain)
    gone = [g.pk for g in existing.values() if g.partner_id not in gains]
    if gone:
        ProposalGain.objects.filter(pk__in=gone).delete()
    ProposalGain.objects.bulk_create(new)
    ProposalGain.objects.bulk_update(changed, ["level", "note"])


def _save_relations(proposal: Proposal, data: ProposalData, keep_hidden_interests=False) -> None:
    proposal.kinds.set(data.kinds)
    proposal.themes.set(data.themes)
    interests = list(data.interests)
    if keep_hidden_interests and data.visible_interest_ids is not None:
        # Links to interests the editor cannot see stay as they were.
        interests += [i for i in proposal.interests.all() if i.pk not in data.visible_interest_ids]
    proposal.interests.set(interests)
    _save_gains(proposal, data.gains, data.gain_partner_ids)


@transaction.atomic
def proposal_create(
    *,
    trajectory: Trajectory,
    data: ProposalData,
    origin: str,
    user=None,
    participant: Participant | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[Proposal, bool]:
    """Create a proposal. Returns (proposal, created); a repeated submit returns the first one."""
    proposal, created = create_once(
        Proposal,
        key=submission_key,
        scope={"trajectory": trajectory},
        title=data.title,
        description=data.description,
        proposer_partner=data.proposer_partner,
        proposer_level=data.proposer_level,
        effort=data.effort,
        cost=data.cost,
        cost_note=data.cost_note,
        who_does_what=data.who_does_what,
        origin=origin,
        created_by_user=user,
        created_by_participant=participant,
        workshop=data.workshop,
        agenda_item=data.agenda_item,
    )
    if created:
        _save_relations(proposal, data)
    return proposal, created


@transaction.atomic
def proposal_update(*, proposal: Proposal, data: ProposalData) -> Proposal:
    for name in (
        "title",
        "description",
        "proposer_partner",
        "proposer_level",
        "effort",
        "cost",
        "cost_note",
        "who_does_what",
    ):
        setattr(proposal, name, getattr(data, name))
    proposal.save()
    _save_relations(proposal, data, keep_hidden_interests=True)
    return proposal


@transaction.atomic
def position_take(
    *,
    proposal: Proposal,
    partner: Partner,
    stance: str,
    text: str,
    mandate: str,
    user=None,
    participant: Participant | None = None,
    seen_version: int | None = None,
) -> Position:
    """Record a partner's position; every change is kept in its history.

    `seen_version` is the version the person saw (0: no position yet). If someone else saved
    the position since, StaleEdit is raised and nothing is written.
    """
    if participant is not None and participant.partner_id != partner.pk:
        raise PermissionError("a participant speaks only for their own organisation")
    if not Stance(stance).needs_text:
        text = ""
    now = timezone.now()
    name = _actor_name(user=user, participant=participant)
    try:
        position = lock_current(
            Position.objects.filter(proposal=proposal, partner=partner),
            seen_version=seen_version,
        )
    except Position.DoesNotExist:
        # Also when the form was based on a position that no longer exists: treat as fresh.
        position = None
    taken = position is None
    if position is None:
        try:
            with transaction.atomic():
                position = Position.objects.create(
                    proposal=proposal,
                    partner=partner,
                    stance=stance,
                    text=text,
                    mandate=mandate,
                    updated_at=now,
                    updated_by_name=name,
                )
        except IntegrityError:
            # Someone of the same organisation was a moment faster.
            raise StaleEdit(
                Position.objects.select_related("partner").get(proposal=proposal, partner=partner)
            ) from None
    else:
        if (position.stance, position.text, position.mandate) == (stance, text, mandate):
            return position
        position.stance, position.text, position.mandate = stance, text, mandate
        position.updated_at, position.updated_by_name = now, name
        save_new_version(
            position, fields=["stance", "text", "mandate", "updated_at", "updated_by_name"]
        )
    PositionChange.objects.create(
        position=position,
        stance=stance,
        text=text,
        mandate=mandate,
        changed_at=now,
        changed_by_name=name,
        changed_by_user=user,
        changed_by_participant=participant,
    )
    audit.record(
        trajectory=proposal.trajectory_id,
        action=AuditEntry.Action.POSITION_TAKEN if taken else AuditEntry.Action.POSITION_CHANGED,
        by=participant or user,
        partner=partner,
        subject=position,
        summary=proposal.title,
        proposal=proposal.pk,
        stance=stance,
    )
    _bump_live_workshop(proposal)
    return position


def _bump_live_workshop(proposal: Proposal) -> None:
    """A proposal made in a live workshop shows its support there: every screen follows."""
    if not proposal.workshop_id:
        return
    # workshops.services reaches this module again through its agenda plugins
    # (coconnect/composition.py), so it is imported when first needed.
    from workshops.services import workshop_bump

    workshop = proposal.workshop
    if workshop.is_live:
        workshop_bump(workshop=workshop)


# --- packages ---------------------------------------------------------------------------------


def _ensure_draft(package: ImprovementPackage) -> None:
    if package.is_adopted:
        raise PackageFrozen(package)


@transaction.atomic
def package_create(
    *, trajectory: Trajectory, title: str, note: str = "", proposals=()
) -> ImprovementPackage:
    package = ImprovementPackage.objects.create(trajectory=trajectory, title=title, note=note)
    package.proposals.set(proposals)
    return package


@transaction.atomic
def package_compose(
    *, package: ImprovementPackage, title: str, note: str, proposals
) -> ImprovementPackage:
    package = ImprovementPackage.objects.select_for_update().get(pk=package.pk)
    _ensure_draft(package)
    package.title, package.note = title, note
    package.save(update_fields=["title", "note", "updated_at"])
    package.proposals.set(proposals)
    return package


def _snapshot(package: ImprovementPackage, verdict) -> dict:
    """What was adopted, as it stood that day. Choices are stored as their codes, so every
    reader later sees them in their own language (selectors.frozen_for_display)."""
    partners = verdict.partners
    return {
        "partners": [{"id": p.pk, "name": p.name} for p in partners],
        "proposals": [
            {
                "id": proposal.pk,
                "title": proposal.title,
                "description": proposal.description,
                "kinds": [k.name for k in proposal.kinds.all()],
                "effort": proposal.effort,
                "cost": proposal.cost,
                "cost_note": proposal.cost_note,
                "who_does_what": proposal.who_does_what,
                "positions": [
                    {
                        "partner": partner.name,
                        "stance": position.stance if position else "",
                        "text": position.text if position else "",
                        "mandate": position.mandate if position else "",
                        "gain": gain.level if gain else "",
                    }
                    for partner in partners
                    for position, gain in [
                        (proposal.position_for(partner.pk), proposal.gain_for(partner.pk))
                    ]
                ],
            }
            for proposal in verdict.proposals
        ],
        "conditions": [
            {"proposal": c.proposal.title, "partner": c.partner.name, "text": c.text}
            for c in verdict.conditions
        ],
        "decisions": [
            {
                "proposal": d.proposal.title,
                "partner": d.partner.name,
                "mandate": d.proposal.position_for(d.partner.pk).mandate,
            }
            for d in verdict.decisions
        ],
    }


@transaction.atomic
def package_adopt(*, package: ImprovementPackage, on: datetime.date, user) -> ImprovementPackage:
    """Adopt a carried package on a date; from then on its content is frozen."""
    package = ImprovementPackage.objects.select_for_update().get(pk=package.pk)
    _ensure_draft(package)
    verdict = package_verdict(package)
    if not verdict.carried:
        raise PackageNotCarried(package)
    package.frozen_content = _snapshot(package, verdict)
    package.status = ImprovementPackage.Status.ADOPTED
    package.adopted_on = on
    package.adopted_by = user
    package.save(
        update_fields=["frozen_content", "status", "adopted_on", "adopted_by", "updated_at"]
    )
    audit.record(
        trajectory=package.trajectory_id,
        action=AuditEntry.Action.PACKAGE_ADOPTED,
        by=user,
        subject=package,
        summary=package.title,
        adopted_on=on,
    )
    return package


@transaction.atomic
def package_new_version(*, package: ImprovementPackage) -> ImprovementPackage:
    """A draft that starts from an adopted package; the adopted one stays as it was."""
    package = ImprovementPackage.objects.select_for_update().get(pk=package.pk)
    existing = ImprovementPackage.objects.filter(previous=package).first()
    if existing is not None:
        return existing
    if not package.is_adopted:
        raise ValueError(_("Only an adopted package gets a new version."))
    successor = ImprovementPackage.objects.create(
        trajectory=package.trajectory,
        title=package.title,
        note=package.note,
        version=package.version + 1,
        previous=package,
    )
    successor.proposals.set(package.proposals.all())
    return successor


# --- follow-up ------------------------------------------------------------------------------


@transaction.atomic
def package_action_add(
    *,
    package: ImprovementPackage,
    title: str,
    owner_partner: Partner | None = None,
    due_date: datetime.date | None = None,
):
    """An action item that follows from an adopted package (listed with the workshop actions)."""
    if not package.is_adopted:
        raise ValueError("actions follow from an adopted package")
    action = ActionItem.objects.create(
        trajectory_id=package.trajectory_id,
        title=title,
        owner_partner=owner_partner,
        due_date=due_date,
    )
    PackageAction.objects.create(package=package, action_item=action)
    return action


def action_status_set(*, action, status: str):
    """Set the status of an action item; a live workshop it came from follows along."""
    # Imported here for the same cycle as in _bump_live_workshop.
    from workshops.services import action_item_set_status, workshop_bump

    if action.status == status:
        return action
    action = action_item_set_status(action=action, status=status)
    if action.workshop_id and action.workshop.is_live:
        workshop_bump(workshop=action.workshop)
    return action
