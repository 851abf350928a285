from datetime import timedelta

from django.utils import timezone

from reminders.rules import OVERDUE_DAYS
from trajectories.models import Partner

from .models import Proposal
from .selectors import follow_up_groups, follow_up_totals, latest_packages

POSITIONS_LISTED = 5


def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py): four queries; for a
    participant one more, and another while a package is being composed."""
    trajectory = viewer.trajectory
    groups = follow_up_groups(trajectory, partners=Partner.objects.filter(trajectory=trajectory))
    adopted, draft = latest_packages(trajectory)
    summary = {
        "proposal_count": Proposal.objects.filter(trajectory=trajectory).count(),
        "packages": [p for p in (adopted, draft) if p is not None],
        "groups": groups,
        "totals": follow_up_totals(groups),
        "viewer": viewer,
    }
    if viewer.is_participant:
        # Proposals asking this organisation's position by a date of their own (reminders/),
        # besides those of the package being composed; a request long past asks no more (1 query).
        asked = Proposal.objects.filter(
            trajectory=trajectory,
            positions_due_on__gte=timezone.localdate() - timedelta(days=OVERDUE_DAYS),
        ).exclude(positions__partner_id=viewer.partner_id)
        if draft is not None:
            asked = asked.exclude(packages=draft)
        summary["positions_due"] = list(asked.order_by("positions_due_on", "pk")[:POSITIONS_LISTED])
    if viewer.is_participant and draft is not None:
        # The package being composed asks every partner's position on each of its proposals;
        # the welcome page names those this participant's organisation has not given (1 query).
        summary["package_asking"] = draft
        summary["positions_wanted"] = list(
            draft.proposals.exclude(positions__partner_id=viewer.partner_id).order_by(
                "created_at", "pk"
            )[:POSITIONS_LISTED]
        )
    return summary
