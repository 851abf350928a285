from trajectories.models import Partner

from .models import Proposal
from .selectors import follow_up_groups, follow_up_totals, latest_packages


def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py): four queries."""
    trajectory = viewer.trajectory
    groups = follow_up_groups(trajectory, partners=Partner.objects.filter(trajectory=trajectory))
    return {
        "proposal_count": Proposal.objects.filter(trajectory=trajectory).count(),
        "packages": [p for p in latest_packages(trajectory) if p is not None],
        "groups": groups,
        "totals": follow_up_totals(groups),
        "viewer": viewer,
    }
