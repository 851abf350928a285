"""The interests sections of the PDF reports (see reports/sections.py).

Both sections read through `Interest.objects.visible_to` with a viewer for the report's audience,
so a manager's report never shows facilitator-only interests nor names on anonymous ones.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from trajectories.access import FACILITATOR, MANAGER, Viewer

from .models import Fact, Interest, InterestRound, Theme, in_room_order, with_display_partner
from .selectors import interest_map


def audience_viewer(trajectory, audience: str) -> Viewer:
    return Viewer(trajectory=trajectory, role=FACILITATOR if audience == "facilitator" else MANAGER)


def progress_section(trajectory, *, audience: str) -> dict | None:
    """Rounds, the interest map of the latest revealed round with its themes, and the fact
    register."""
    viewer = audience_viewer(trajectory, audience)
    rounds = list(InterestRound.objects.filter(trajectory=trajectory))
    if not rounds:
        return None
    revealed = next((r for r in rounds if r.is_revealed), None)
    the_map = interest_map(viewer, revealed) if revealed else None
    themes = [c for c in the_map.columns if c is not None] if the_map else []
    facts = list(Fact.objects.filter(trajectory=trajectory).select_related("theme"))
    return {
        "audience": audience,
        "rounds": rounds,
        "round": revealed,
        "map": the_map,
        "themes": themes,
        "theme_blocks": theme_blocks(the_map) if the_map else [],
        "facts": facts,
    }


def theme_blocks(the_map) -> list[dict]:
    """The interest map turned on its side for A4: per theme, the partners with their interests.

    Only a regrouping of `interest_map`'s cells, so the viewer's filtering (tiers, names on
    anonymous interests, rows left out for managers) is exactly the map's.
    """
    blocks = []
    for index, theme in enumerate(the_map.columns):
        entries = [
            {"label": row.label, "partner": row.partner, "interests": row.cells[index].interests}
            for row in the_map.rows
            if row.cells[index].interests
        ]
        blocks.append({"theme": theme, "entries": entries})
    return blocks


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    day = timezone.localdate(moment)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def session_section(workshop, *, audience: str) -> dict | None:
    """Interests revealed in this workshop: revealed rounds of its trajectory that were revealed on
    the workshop's day or that are on its agenda.

    Grouped by theme (classification and rationale), with interests not yet grouped last.
    """
    start, end = _day_bounds(workshop.starts_at)
    rounds = list(
        InterestRound.objects.filter(
            trajectory_id=workshop.trajectory_id, status=InterestRound.Status.REVEALED
        )
        .filter(Q(revealed_at__gte=start, revealed_at__lt=end) | Q(agenda_items__workshop=workshop))
        .distinct()
    )
    if not rounds:
        return None
    viewer = audience_viewer(workshop.trajectory, audience)
    interests = with_display_partner(
        Interest.objects.visible_to(viewer)
        .filter(round__in=rounds, status=Interest.Status.SUBMITTED)
        .select_related("partner", "theme")
        .order_by("theme__name", "partner__name", "pk"),
        viewer,
    )
    themes = list(Theme.objects.filter(round__in=rounds).order_by("classification", "name"))
    by_theme = {t.pk: [] for t in themes}
    ungrouped = []
    for interest in interests:
        by_theme.get(interest.theme_id, ungrouped).append(interest)
    order = {"conflicting": 0, "compatible": 1, "common": 2, "unclassified": 3}
    groups = [
        {"theme": t, "interests": in_room_order(by_theme[t.pk])}
        for t in sorted(themes, key=lambda t: (order[t.classification], t.name.lower()))
    ]
    return {
        "audience": audience,
        "rounds": rounds,
        "groups": groups,
        "ungrouped": in_room_order(ungrouped),
        "total": len(interests),
    }
