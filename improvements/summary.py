from trajectories.models import Partner

from . import followup
from .models import ImprovementPackage, Proposal


def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py): four queries."""
    trajectory = viewer.trajectory
    groups = followup.follow_up(trajectory, partners=Partner.objects.filter(trajectory=trajectory))
    return {
        "proposal_count": Proposal.objects.filter(trajectory=trajectory).count(),
        "packages": _latest_packages(trajectory),
        "groups": groups,
        "totals": followup.totals(groups),
        "viewer": viewer,
    }


def _latest_packages(trajectory) -> list:
    """The newest adopted package and the newest one being composed (one query)."""
    newest = list(
        ImprovementPackage.objects.filter(trajectory=trajectory).order_by("-created_at", "-pk")[:10]
    )
    adopted = next((p for p in newest if p.is_adopted), None)
    draft = next((p for p in newest if not p.is_adopted), None)
    return [p for p in (adopted, draft) if p is not None]
