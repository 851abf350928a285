"""Reads spanning several apps' models, with a fixed number of queries."""

from __future__ import annotations

from .models import Participant


def participant_data(participant: Participant) -> dict:
    """What Coconnect stores about one representative and what they entered themselves
    (the participant's own view, AVG right of access): six queries whatever the amounts."""
    from health.models import Response
    from improvements.models import PositionChange
    from interests.models import Interest
    from workshops.models import Contribution

    return {
        "invites": list(participant.invite_links.order_by("-created_at", "-pk")),
        "interests": list(
            Interest.objects.filter(author=participant)
            .select_related("round")
            .order_by("-created_at", "-pk")
        ),
        "contributions": list(
            Contribution.objects.filter(participant=participant)
            .select_related("item__workshop")
            .order_by("-created_at", "-pk")
        ),
        "positions": list(
            PositionChange.objects.filter(changed_by_participant=participant)
            .select_related("position__proposal")
            .order_by("-changed_at", "-pk")
        ),
        "pulse_answers": list(
            Response.objects.filter(participant=participant)
            .select_related("pulse")
            .order_by("-submitted_at", "-pk")
        ),
    }
