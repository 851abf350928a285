"""The facilitators' weekly digest of a trajectory: what changed, who is behind, what is overdue.

Read for many trajectories at once in a fixed number of queries (the weekly job sends one mail per
facilitator and trajectory).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from health.models import Pulse, Response
from interests.models import Interest
from trajectories.models import Participant, Partner
from workshops.models import ActionItem

from .rules import DueItem, partner_work

WEEK = datetime.timedelta(days=7)


@dataclass
class PartnerBehind:
    name: str
    items: list[DueItem]


@dataclass
class PulseProgress:
    title: str
    path: str
    closes_on: datetime.date | None
    answered: int
    asked: int


@dataclass
class TrajectoryDigest:
    trajectory_id: int
    name: str
    path: str
    today: datetime.date
    # (label, number) of what happened in the past seven days, most frequent first.
    changes: list[tuple[str, int]] = field(default_factory=list)
    behind: list[PartnerBehind] = field(default_factory=list)
    pulses: list[PulseProgress] = field(default_factory=list)
    overdue: list[ActionItem] = field(default_factory=list)

    @property
    def is_quiet(self) -> bool:
        return not (self.changes or self.behind or self.pulses or self.overdue)


def trajectory_digests(trajectories, *, today: datetime.date) -> dict[int, TrajectoryDigest]:
    """{trajectory pk: its digest for the week ending `today`}; eleven queries in all."""
    trajectories = list(trajectories)
    ids = [t.pk for t in trajectories]
    since = timezone.make_aware(datetime.datetime.combine(today - WEEK, datetime.time.min))
    digests = {
        t.pk: TrajectoryDigest(t.pk, t.name, reverse("trajectories:detail", args=[t.pk]), today)
        for t in trajectories
    }
    if not ids:
        return digests

    changes: dict[int, Counter] = defaultdict(Counter)
    labels = dict(AuditEntry.Action.choices)
    for trajectory_id, action, n in (
        AuditEntry.objects.filter(trajectory_id__in=ids, at__gte=since)
        .values_list("trajectory_id", "action")
        .annotate(n=Count("pk"))
    ):
        # Lazy labels: the mail renders them in the recipient's language, not the job's.
        changes[trajectory_id][labels.get(action, action)] += n
    for trajectory_id, n in (
        Interest.objects.filter(round__trajectory_id__in=ids, submitted_at__gte=since)
        .values_list("round__trajectory_id")
        .annotate(n=Count("pk"))
    ):
        changes[trajectory_id][_("Interests submitted")] += n
    for trajectory_id, n in (
        Response.objects.filter(pulse__trajectory_id__in=ids, submitted_at__gte=since)
        .values_list("pulse__trajectory_id")
        .annotate(n=Count("pk"))
    ):
        changes[trajectory_id][_("Pulse answers")] += n
    for trajectory_id, n in (
        ActionItem.objects.filter(trajectory_id__in=ids, done_at__gte=since)
        .values_list("trajectory_id")
        .annotate(n=Count("pk"))
    ):
        changes[trajectory_id][_("Action items done")] += n
    for trajectory_id, counter in changes.items():
        digests[trajectory_id].changes = counter.most_common()

    partners = list(Partner.objects.filter(trajectory_id__in=ids).order_by("name", "pk"))
    partners_by_trajectory = defaultdict(set)
    for partner in partners:
        partners_by_trajectory[partner.trajectory_id].add(partner.pk)
    work = partner_work(partners_by_trajectory, today=today, everything=True)
    for partner in partners:
        if work.get(partner.pk):
            digests[partner.trajectory_id].behind.append(
                PartnerBehind(partner.name, sorted(work[partner.pk], key=DueItem.sort_key))
            )

    pulses = list(Pulse.objects.filter(trajectory_id__in=ids, status=Pulse.Status.OPEN))
    answered = dict(
        Response.objects.filter(pulse__in=pulses).values_list("pulse_id").annotate(n=Count("pk"))
    )
    asked = dict(
        Participant.objects.filter(partner__trajectory_id__in=ids, erased_at__isnull=True)
        .values_list("partner__trajectory_id")
        .annotate(n=Count("pk"))
    )
    for pulse in pulses:
        digests[pulse.trajectory_id].pulses.append(
            PulseProgress(
                pulse.title,
                pulse.get_absolute_url(),
                pulse.closes_on,
                answered.get(pulse.pk, 0),
                asked.get(pulse.trajectory_id, 0),
            )
        )

    for action in (
        ActionItem.objects.open()
        .filter(trajectory_id__in=ids, due_date__lt=today)
        .select_related("owner_partner", "owner_participant")
        .order_by("due_date", "pk")
    ):
        digests[action.trajectory_id].overdue.append(action)
    return digests
