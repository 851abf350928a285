"""Sections for the PDF reports (contract: reports/sections.py)."""

from datetime import timedelta

from django.utils import timezone

from trajectories.models import Partner

from . import followup
from .charts import gain_effort_svg
from .models import ImprovementPackage, PositionChange, Proposal
from .support import build_matrix, package_verdict


def progress_section(trajectory, *, audience: str) -> dict | None:
    """Package, support matrix with the chart, and the follow-up per partner: fixed queries."""
    partners = list(Partner.objects.filter(trajectory=trajectory))
    matrix = build_matrix(partners, Proposal.objects.filter(trajectory=trajectory).for_matrix())
    groups = followup.follow_up(trajectory, partners=partners)
    totals = followup.totals(groups)
    package = ImprovementPackage.objects.filter(trajectory=trajectory).first()
    if not matrix.rows and package is None and not any(totals.values()):
        return None
    verdict = package_verdict(package) if package and not package.is_adopted else None
    return {
        "matrix": matrix,
        "chart": gain_effort_svg(matrix.chart_points(), chart_id="report-gain-effort"),
        "package": package,
        "frozen": package.frozen_content if package and package.is_adopted else None,
        "verdict": verdict,
        "groups": groups,
        "totals": totals,
        "audience": audience,
    }


def _session_window(workshop):
    """From the start of the session to its close; without those, the whole day it was planned."""
    day = timezone.localtime(workshop.starts_at)
    start = workshop.started_at or day.replace(hour=0, minute=0, second=0, microsecond=0)
    end = workshop.closed_at or (day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))
    return start, end


def session_section(workshop, *, audience: str) -> dict | None:
    """The proposals made in this workshop, their support, and the positions taken during it."""
    partners = list(Partner.objects.filter(trajectory_id=workshop.trajectory_id))
    proposals = Proposal.objects.filter(workshop=workshop).for_matrix()
    matrix = build_matrix(partners, proposals)
    start, end = _session_window(workshop)
    changes = list(
        PositionChange.objects.filter(
            position__proposal__trajectory_id=workshop.trajectory_id,
            changed_at__gte=start,
            changed_at__lt=end,
        )
        .select_related("position__partner", "position__proposal")
        .order_by("changed_at", "pk")
    )
    if not matrix.rows and not changes:
        return None
    return {"matrix": matrix, "changes": changes, "workshop": workshop, "audience": audience}
