"""Who has to act, and on what: the reminder rules, read in bulk.

A participant is reminded when their organisation still has to act:
- an open interest round closes within `SOON_DAYS` days (or has passed its date while still
  open) and the partner submitted fewer interests than the round asks;
- positions are asked by a date (on a proposal, or on a package being composed for each of its
  proposals) and the partner has not given one;
- a pulse is open and this participant has not answered it (with a closing date: on the same
  days as above; without one: the day after it opened, then weekly);
- an open action item they own is due today or tomorrow, or overdue. An item owned by the
  partner (no person named) reminds every representative of that partner.

On which days: from `SOON_DAYS` before the date up to the date itself, then once the day after it
passed and weekly after that (day 1, 8, 15, 22 and 29 overdue), so a forgotten deadline is
raised again without mailing every day; after `OVERDUE_DAYS` the facilitator's weekly digest
still lists it, the participant is left alone. Once something calls for a mail, the mail lists
everything else that is due or overdue (within `OVERDUE_DAYS`) too: one mail says it all. A
digest (participants who chose one) lists everything still open, whatever the day.

Who: participants with an address, not erased, not asking to be removed, in an active trajectory
(not paused, not completed, not anonymised). Whether they want this kind of mail is `mail.wants`,
asked by the job.

Every function here takes a fixed number of queries, whatever the number of trajectories,
partners and participants (bench/bench_reminders.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from health.models import Pulse, Response
from improvements.models import ImprovementPackage, Position, Proposal
from interests.models import Interest, InterestRound
from trajectories.models import Participant, Trajectory
from workshops.models import ActionItem

from .deadlines import SOON_DAYS, DueState, due_state

ACTION_SOON_DAYS = 1
OVERDUE_DAYS = 29
OVERDUE_EVERY = 7


@dataclass
class DueItem:
    """One thing a partner (or person) still has to do, as a mail lists it."""

    kind: str  # "interests" | "positions" | "pulse" | "action"
    key: str  # kind and id, unique per item: the sent-log stores these
    title: str
    path: str
    due_on: datetime.date | None
    today: datetime.date
    missing: int = 0  # interests still asked, or proposals without the partner's position
    proposals: list[str] = field(default_factory=list)
    # Whether this item alone calls for a mail today (remind_today); the others in the window are
    # listed along with it, so one mail says everything that is due.
    reminds: bool = True

    @property
    def state(self) -> DueState | None:
        return due_state(self.due_on, today=self.today)

    def sort_key(self):
        return (self.due_on or datetime.date.max, self.kind, self.title)


def remind_today(due_on: datetime.date, today: datetime.date, *, soon: int = SOON_DAYS) -> bool:
    """The days a deadline reminds: `soon` days before up to the day, then day 1, 8, 15 … after."""
    days = (due_on - today).days
    if 0 <= days <= soon:
        return True
    overdue = -days
    return 1 <= overdue <= OVERDUE_DAYS and overdue % OVERDUE_EVERY == 1


def active_trajectories():
    return Trajectory.objects.filter(status=Trajectory.Status.ACTIVE, anonymised_at__isnull=True)


def reachable_participants():
    """Participants a reminder may reach (before their own opt-outs): one queryset."""
    return Participant.objects.filter(
        partner__trajectory__in=active_trajectories(),
        erased_at__isnull=True,
        removal_requested_at__isnull=True,
    ).exclude(email="")


def _window(field_name: str, today: datetime.date, soon: int) -> Q:
    return Q(
        **{
            f"{field_name}__lte": today + datetime.timedelta(days=soon),
            f"{field_name}__gte": today - datetime.timedelta(days=OVERDUE_DAYS),
        }
    )


def due_items(
    participants: list[Participant], *, today: datetime.date, everything: bool = False
) -> dict[int, list[DueItem]]:
    """{participant pk: what they are reminded of today}, most urgent first; nine queries.

    `everything`: a digest's list: all open work of their organisation, whatever its date.
    """
    trajectory_ids = {p.partner.trajectory_id for p in participants}
    partner_ids = {p.partner_id for p in participants}
    by_person: dict[int, list[DueItem]] = defaultdict(list)
    if not participants:
        return {}

    partners_by_trajectory = defaultdict(set)
    for p in participants:
        partners_by_trajectory[p.partner.trajectory_id].add(p.partner_id)
    by_partner = partner_work(partners_by_trajectory, today=today, everything=everything)

    # Pulses: per person (2 queries).
    pulses = Pulse.objects.filter(trajectory_id__in=trajectory_ids, status=Pulse.Status.OPEN)
    if not everything:
        pulses = pulses.filter(Q(closes_on__isnull=True) | _window("closes_on", today, SOON_DAYS))
    pulses = list(pulses)
    answered = set(
        Response.objects.filter(
            pulse__in=[pulse.pk for pulse in pulses],
            participant__in=[p.pk for p in participants],
        ).values_list("pulse_id", "participant_id")
    )

    # Action items (1 query).
    actions = ActionItem.objects.open().filter(
        trajectory_id__in=trajectory_ids, due_date__isnull=False
    )
    actions = actions.filter(
        Q(owner_participant__in=[p.pk for p in participants])
        | Q(owner_participant__isnull=True, owner_partner_id__in=partner_ids)
    )
    if not everything:
        actions = actions.filter(_window("due_date", today, ACTION_SOON_DAYS))
    followup_paths = {}
    for action in actions:
        path = followup_paths.setdefault(
            action.trajectory_id, reverse("improvements:followup", args=[action.trajectory_id])
        )
        item = DueItem(
            "action",
            f"action:{action.pk}",
            action.title,
            path,
            action.due_date,
            today,
            reminds=everything or remind_today(action.due_date, today, soon=ACTION_SOON_DAYS),
        )
        if action.owner_participant_id:
            by_person[action.owner_participant_id].append(item)
        else:
            by_partner[action.owner_partner_id].append(item)

    result = {}
    for participant in participants:
        items = list(by_partner.get(participant.partner_id, ()))
        items += by_person.get(participant.pk, ())
        for pulse in pulses:
            if (
                pulse.trajectory_id == participant.partner.trajectory_id
                and (pulse.pk, participant.pk) not in answered
            ):
                items.append(
                    DueItem(
                        "pulse",
                        f"pulse:{pulse.pk}",
                        pulse.title,
                        reverse("health:pulse_answer", args=[pulse.trajectory_id, pulse.pk]),
                        pulse.closes_on,
                        today,
                        reminds=everything or _pulse_reminds(pulse, today),
                    )
                )
        if any(item.reminds for item in items):
            result[participant.pk] = sorted(items, key=DueItem.sort_key)
    return result


def partner_work(
    partners_by_trajectory: dict[int, set[int]],
    *,
    today: datetime.date,
    everything: bool = False,
) -> dict[int, list[DueItem]]:
    """{partner pk: rounds and positions it is behind on}; five queries."""
    trajectory_ids = set(partners_by_trajectory)
    partner_ids = set().union(*partners_by_trajectory.values()) if partners_by_trajectory else set()
    by_partner: dict[int, list[DueItem]] = defaultdict(list)

    # Interest rounds (2 queries).
    rounds = InterestRound.objects.filter(
        trajectory_id__in=trajectory_ids, status=InterestRound.Status.OPEN
    )
    if not everything:
        rounds = rounds.filter(_window("closes_on", today, SOON_DAYS))
    submitted = dict(
        ((round_id, partner_id), n)
        for round_id, partner_id, n in Interest.objects.filter(
            round__in=[r.pk for r in rounds],
            partner_id__in=partner_ids,
            status=Interest.Status.SUBMITTED,
        )
        .values_list("round_id", "partner_id")
        .annotate(n=Count("pk"))
    )
    for round in rounds:
        path = reverse("interests:index", args=[round.trajectory_id])
        for partner_id in partners_by_trajectory[round.trajectory_id]:
            missing = round.min_per_partner - submitted.get((round.pk, partner_id), 0)
            if missing > 0:
                by_partner[partner_id].append(
                    DueItem(
                        "interests",
                        f"round:{round.pk}",
                        round.title,
                        path,
                        round.closes_on,
                        today,
                        missing=missing,
                        reminds=everything or remind_today(round.closes_on, today),
                    )
                )

    # Positions asked on packages and on single proposals (4 queries).
    packages = ImprovementPackage.objects.filter(
        trajectory_id__in=trajectory_ids,
        status=ImprovementPackage.Status.DRAFT,
        positions_due_on__isnull=False,
    ).prefetch_related("proposals")
    proposals = Proposal.objects.filter(
        trajectory_id__in=trajectory_ids, positions_due_on__isnull=False
    )
    # A request for positions whose date passed more than OVERDUE_DAYS ago asks no more: the
    # digests would otherwise list a forgotten request forever.
    window = _window("positions_due_on", today, 366 if everything else SOON_DAYS)
    packages = packages.filter(window)
    proposals = proposals.filter(window)
    asked_ids = {p.pk for p in proposals} | {
        proposal.pk for package in packages for proposal in package.proposals.all()
    }
    given = set(
        Position.objects.filter(proposal_id__in=asked_ids, partner_id__in=partner_ids).values_list(
            "proposal_id", "partner_id"
        )
    )
    for trajectory_id, trajectory_partners in partners_by_trajectory.items():
        for partner_id in trajectory_partners:
            covered = set()
            for package in packages:
                if package.trajectory_id != trajectory_id:
                    continue
                open_ = [
                    proposal
                    for proposal in package.proposals.all()
                    if (proposal.pk, partner_id) not in given
                ]
                covered |= {proposal.pk for proposal in package.proposals.all()}
                if open_:
                    by_partner[partner_id].append(
                        DueItem(
                            "positions",
                            f"package:{package.pk}",
                            package.title,
                            reverse("improvements:package", args=[trajectory_id, package.pk]),
                            package.positions_due_on,
                            today,
                            missing=len(open_),
                            proposals=[proposal.title for proposal in open_],
                            reminds=everything or remind_today(package.positions_due_on, today),
                        )
                    )
            for proposal in proposals:
                if (
                    proposal.trajectory_id == trajectory_id
                    and proposal.pk not in covered
                    and (proposal.pk, partner_id) not in given
                ):
                    by_partner[partner_id].append(
                        DueItem(
                            "positions",
                            f"proposal:{proposal.pk}",
                            proposal.title,
                            reverse("improvements:proposal", args=[trajectory_id, proposal.pk]),
                            proposal.positions_due_on,
                            today,
                            missing=1,
                            reminds=everything or remind_today(proposal.positions_due_on, today),
                        )
                    )
    return by_partner


def _pulse_reminds(pulse: Pulse, today: datetime.date) -> bool:
    if pulse.closes_on is not None:
        return remind_today(pulse.closes_on, today)
    if pulse.opened_at is None:
        return False
    from django.utils import timezone

    days_open = (today - timezone.localdate(pulse.opened_at)).days
    return 1 <= days_open <= OVERDUE_DAYS and days_open % OVERDUE_EVERY == 1
