"""Sections for the PDF reports (contract: reports/sections.py)."""

from trajectories.models import Partner

from . import followup
from .charts import gain_effort_svg
from .models import ImprovementPackage, Proposal
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


def session_section(workshop, *, audience: str) -> dict | None:
    """The proposals made in this workshop and the positions taken on them."""
    partners = list(Partner.objects.filter(trajectory_id=workshop.trajectory_id))
    proposals = Proposal.objects.filter(workshop=workshop).for_matrix()
    matrix = build_matrix(partners, proposals)
    if not matrix.rows:
        return None
    return {"matrix": matrix, "workshop": workshop, "audience": audience}
