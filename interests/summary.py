"""The interests block on the trajectory overview (see trajectories/summaries.py)."""

from django.db.models import Count

from trajectories.models import Partner

from .models import Interest, Theme
from .selectors import current_round, round_progress, rounds_for


def trajectory_summary(viewer) -> dict | None:
    """Current round, its status and what is still missing per partner. Five queries at most."""
    rounds = rounds_for(viewer.trajectory)
    round = current_round(rounds)
    summary = {"round": round, "viewer": viewer}
    if round is None:
        return summary
    if viewer.is_participant:
        submitted = Interest.objects.filter(
            round=round, partner_id=viewer.partner_id, status=Interest.Status.SUBMITTED
        ).count()
        summary["own_missing"] = max(0, round.min_per_partner - submitted)
        return summary
    progress = round_progress(viewer, round, Partner.objects.filter(trajectory=viewer.trajectory))
    summary["incomplete"] = [row for row in progress.rows if row.missing]
    summary["shared"] = progress.shared
    counts = dict(
        Theme.objects.filter(round=round)
        .values("classification")
        .annotate(n=Count("pk"))
        .values_list("classification", "n")
    )
    summary["theme_counts"] = [
        (value, label, counts.get(value, 0)) for value, label in Theme.Classification.choices
    ]
    return summary
