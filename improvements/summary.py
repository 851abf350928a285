from trajectories.models import Partner

from . import followup
from .models import ImprovementPackage, Proposal


def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py): four queries."""
    trajectory = viewer.trajectory
    groups = followup.follow_up(trajectory, partners=Partner.objects.filter(trajectory=trajectory))
    return {
        "proposal_count": Proposal.objects.filter(trajectory=trajectory).count(),
        "package": ImprovementPackage.objects.filter(trajectory=trajectory).first(),
        "groups": groups,
        "totals": followup.totals(groups),
        "viewer": viewer,
    }
