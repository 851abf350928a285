"""The portfolio of one organisation: every trajectory it takes part in, read for all of them at
once. `portfolio()` takes the same number of queries for one trajectory as for twenty.

What it shows is what the organisation's own participants may see, and the few things the issue
asks for on top, each limited to the organisation itself or to an aggregate:
- own representatives, interests (every status and tier: they are its own), positions and
  action items;
- the risks of a trajectory whose owner is this organisation's partner (shared with it by
  naming it the owner); the other partners' risks stay with the members of the trajectory;
- interim changes at this organisation's partner (not those at other partners);
- the pulse as one figure per pulse for everyone together, hidden below health's MIN_GROUP
  (health.selectors.Cell): no cut per partner or level, so nobody's answers can be worked out.
Nothing here reads another partner's interests, positions or names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from health.models import Answer, InterimChange, Pulse, Response, Risk
from health.selectors import MIN_GROUP, Cell
from health.statements import STATEMENTS, TOPICS
from improvements.models import ImprovementPackage, Mandate, Position, Stance
from interests.models import Interest
from trajectories.models import Participant, Partner
from workshops.models import ActionItem

from .coordination import Signal, signals_for


@dataclass
class PulsePoint:
    title: str
    respondents: int
    # The mean over every topic, None below the anonymity floor.
    mean: float | None


@dataclass
class TrajectoryPortfolio:
    partner: Partner
    representatives: list = field(default_factory=list)
    interests: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    # Positions on proposals in a package being composed: {proposal_id: [package titles]}.
    package_titles: dict = field(default_factory=dict)
    actions_open: list = field(default_factory=list)
    actions_overdue: list = field(default_factory=list)
    actions_done: list = field(default_factory=list)
    risks: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    pulse: list[PulsePoint] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def trajectory(self):
        return self.partner.trajectory

    @property
    def positions_waiting(self) -> list:
        """Positions still waiting for a mandate decision inside the organisation."""
        return [p for p in self.positions if p.mandate != Mandate.AGREED]

    @property
    def without_mandate(self) -> list:
        return [r for r in self.representatives if not r.mandate.strip()]

    @property
    def has_board_member(self) -> bool:
        return any(r.level == Participant.Level.BOARD for r in self.representatives)

    @property
    def pulse_trend(self) -> str:
        """'falling', 'rising', 'steady' or '' (fewer than two pulses above the floor)."""
        shown = [p.mean for p in self.pulse if p.mean is not None]
        if len(shown) < 2:
            return ""
        difference = shown[-1] - shown[-2]
        if difference <= -FALLING_PULSE_DROP:
            return "falling"
        if difference >= FALLING_PULSE_DROP:
            return "rising"
        return "steady"


# A drop of the pulse's mean (scores 1 to 5) of at least this much between the last two pulses
# counts as falling: a quarter point is more than the noise of a few changed answers.
FALLING_PULSE_DROP = 0.25
# Done action items shown per trajectory: the most recent ones; open ones are all shown.
DONE_ACTIONS_SHOWN = 5


def portfolio(partners: list[Partner], *, today: date | None = None) -> list[TrajectoryPortfolio]:
    """One TrajectoryPortfolio per partner (trajectory selected), each with its signals.

    Eleven queries whatever the number of trajectories, representatives, interests or pulses.
    """
    today = today or timezone.localdate()
    rows = {p.pk: TrajectoryPortfolio(partner=p) for p in partners}
    if not rows:
        return []
    partner_ids = list(rows)
    trajectory_ids = [p.trajectory_id for p in partners]
    by_trajectory = {p.trajectory_id: rows[p.pk] for p in partners}

    for person in Participant.objects.filter(partner_id__in=partner_ids, erased_at__isnull=True):
        rows[person.partner_id].representatives.append(person)
    interests = Interest.objects.filter(partner_id__in=partner_ids).select_related("round")
    for interest in interests.order_by("round__created_at", "round__pk", "created_at", "pk"):
        rows[interest.partner_id].interests.append(interest)
    positions = Position.objects.filter(partner_id__in=partner_ids).select_related("proposal")
    for position in positions.order_by("proposal__title", "pk"):
        rows[position.partner_id].positions.append(position)
    _package_titles(rows)
    _actions(rows, partner_ids, today)
    risks = Risk.objects.filter(owner_id__in=partner_ids).active().order_by("review_on", "pk")
    for risk in risks:
        rows[risk.owner_id].risks.append(risk)
    changes = InterimChange.objects.filter(partner_id__in=partner_ids).order_by(
        "-occurred_on", "-pk"
    )
    for change in changes:
        rows[change.partner_id].changes.append(change)
    for trajectory_id, points in pulse_trends(trajectory_ids).items():
        by_trajectory[trajectory_id].pulse = points
    result = [rows[p.pk] for p in partners]
    for row in result:
        row.signals = signals_for(row, today=today)
    return result


def _package_titles(rows: dict) -> None:
    """Which of the positions' proposals sit in a package being composed (one query)."""
    proposal_ids = {p.proposal_id for row in rows.values() for p in row.positions}
    if not proposal_ids:
        return
    links = (
        ImprovementPackage.proposals.through.objects.filter(
            proposal_id__in=proposal_ids,
            improvementpackage__status=ImprovementPackage.Status.DRAFT,
        )
        .values_list("proposal_id", "improvementpackage__title")
        .order_by("improvementpackage__title")
    )
    titles = defaultdict(list)
    for proposal_id, title in links:
        titles[proposal_id].append(title)
    for row in rows.values():
        row.package_titles = {
            p.proposal_id: titles[p.proposal_id] for p in row.positions if p.proposal_id in titles
        }


def _actions(rows: dict, partner_ids: list[int], today: date) -> None:
    """Action items the organisation owns: named as owner, or through one of its people."""
    actions = (
        ActionItem.objects.filter(
            Q(owner_partner_id__in=partner_ids) | Q(owner_participant__partner_id__in=partner_ids)
        )
        .exclude(status=ActionItem.Status.CANCELLED)
        .select_related("owner_participant")
        .order_by("due_date", "pk")
    )
    done = defaultdict(list)
    for action in actions:
        owner = action.owner_partner_id
        if owner not in rows:
            owner = action.owner_participant.partner_id
        row = rows[owner]
        if action.status == ActionItem.Status.DONE:
            done[owner].append(action)
        elif action.due_date is not None and action.due_date < today:
            row.actions_overdue.append(action)
        else:
            row.actions_open.append(action)
    for owner, items in done.items():
        items.sort(key=lambda a: a.done_at or a.updated_at, reverse=True)
        rows[owner].actions_done = items[:DONE_ACTIONS_SHOWN]


def pulse_trends(trajectory_ids: list[int]) -> dict[int, list[PulsePoint]]:
    """Per trajectory, one point per pulse: everyone's mean over every topic, None below the
    anonymity floor. Three queries for any number of trajectories."""
    pulses = list(
        Pulse.objects.filter(trajectory_id__in=trajectory_ids).order_by("created_at", "pk")
    )
    cells: dict[int, Cell] = defaultdict(Cell)
    respondents = (
        Response.objects.filter(pulse__trajectory_id__in=trajectory_ids)
        .values("pulse_id")
        .annotate(n=Count("id"))
    )
    for row in respondents:
        cells[row["pulse_id"]].respondents = row["n"]
    sums = {}
    for topic in TOPICS:
        keys = [s.key for s in STATEMENTS if s.topic == topic]
        sums[f"{topic}__total"] = Sum("score", filter=Q(statement__in=keys))
        sums[f"{topic}__n"] = Count("id", filter=Q(statement__in=keys))
    grouped = (
        Answer.objects.filter(response__pulse__trajectory_id__in=trajectory_ids)
        .values("response__pulse_id")
        .annotate(**sums)
    )
    for row in grouped:
        totals = cells[row["response__pulse_id"]].totals
        for topic in TOPICS:
            if row[f"{topic}__n"]:
                totals[topic][0] += row[f"{topic}__total"]
                totals[topic][1] += row[f"{topic}__n"]
    trends = defaultdict(list)
    for pulse in pulses:
        cell = cells[pulse.pk]
        means = [m for m in cell.means.values() if m is not None]
        trends[pulse.trajectory_id].append(
            PulsePoint(
                title=pulse.title,
                respondents=cell.respondents,
                mean=round(sum(means) / len(means), 2) if means and not cell.hidden else None,
            )
        )
    return trends


def summary(rows: list[TrajectoryPortfolio]) -> dict:
    """The figures above the portfolio (and the report's summary table)."""
    return {
        "trajectories": len(rows),
        "active": sum(1 for r in rows if r.trajectory.status == r.trajectory.Status.ACTIVE),
        "representatives": sum(len(r.representatives) for r in rows),
        "signals": sum(len(r.signals) for r in rows),
        "overdue": sum(len(r.actions_overdue) for r in rows),
        "waiting": sum(len(r.positions_waiting) for r in rows),
        "min_group": MIN_GROUP,
    }


__all__ = ["portfolio", "summary", "pulse_trends", "TrajectoryPortfolio", "Stance"]
