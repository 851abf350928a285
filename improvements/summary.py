from trajectories.models import Partner

from . import followup
from .models import Proposal
from .support import latest_packages


def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py): four queries."""
    trajectory = viewer.trajectory
    groups = followup.follow_up(trajectory, partners=Partner.objects.filter(trajectory=trajectory))
    return {
        "proposal_count": Proposal.objects.filter(trajectory=trajectory).count(),
        "packages": [p for p in latest_packages(trajectory) if p is not None],
        "groups": groups,
        "totals": followup.totals(groups),
        "viewer": viewer,
    }
