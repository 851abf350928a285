"""Sections for the PDF reports (contract in reports/sections.py).

A fixed number of queries each.
"""

from collections import OrderedDict

from django.db.models import Count, Prefetch

from .models import ActionItem, AgendaItem, Agreement, Contribution, VoteOption, Workshop


def session_section(workshop: Workshop, *, audience: str) -> dict:
    """One workshop: date, place, attendance per partner, agenda, contributions, votes, outcomes."""
    attendance = OrderedDict()
    for a in workshop.attendances.select_related("participant__partner").order_by(
        "participant__partner__name", "participant__name"
    ):
        attendance.setdefault(a.participant.partner.name, []).append(a.participant.name)
    items = list(
        workshop.items.order_by("position", "pk").prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.filter(
                    status=Contribution.Status.VISIBLE
                ).select_related("partner"),
            ),
            Prefetch("options", queryset=_options()),
        )
    )
    for item in items:
        # A vote counts in a manager's report only once it was shown to the room.
        item.show_results = item.kind == AgendaItem.Kind.DOT_VOTING and (
            audience == "facilitator" or item.is_revealed
        )
        if item.anonymous_notes and audience != "facilitator":
            # As on the projector: the room saw these notes without a name, so does a manager.
            for note in item.contributions.all():
                note.partner = None
        item.ranked = sorted(item.options.all(), key=lambda o: (-o.dot_count, o.position))
    return {
        "workshop": workshop,
        "attendance": list(attendance.items()),
        "attendance_count": sum(len(v) for v in attendance.values()),
        "items": items,
        "agreements": list(workshop.agreements.all()),
        "actions": list(
            workshop.action_items.select_related("owner_partner", "owner_participant").order_by(
                "due_date", "pk"
            )
        ),
        "audience": audience,
    }


def _options():
    return VoteOption.objects.annotate(dot_count=Count("dots")).order_by("position", "pk")


def progress_section(trajectory, *, audience: str) -> dict | None:
    """The timeline of workshops with their agreements, and the state of the action items."""
    workshops = list(
        Workshop.objects.filter(trajectory=trajectory)
        .annotate(attendance_count=Count("attendances", distinct=True))
        .prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.order_by("created_at", "pk"))
        )
        .order_by("starts_at", "pk")
    )
    loose = list(
        Agreement.objects.filter(trajectory=trajectory, workshop__isnull=True).order_by(
            "created_at"
        )
    )
    counts = dict(
        ActionItem.objects.filter(trajectory=trajectory)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if not workshops and not loose and not counts:
        return None
    return {
        "workshops": workshops,
        "loose_agreements": loose,
        "action_counts": [
            (status.label, counts.get(status.value, 0)) for status in ActionItem.Status
        ],
        "audience": audience,
    }
