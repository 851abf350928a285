"""Summary for the trajectory overview (see trajectories/summaries.py): three queries."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import Pulse, Response, Risk, Stakeholder


def trajectory_summary(viewer):
    if viewer.is_participant:
        # Whether this person answered each already: the welcome page asks only for the others.
        answered = Response.objects.filter(pulse=OuterRef("pk"), participant=viewer.participant)
        open_pulses = list(
            Pulse.objects.filter(trajectory=viewer.trajectory)
            .open()
            .annotate(answered=Exists(answered))[:3]
        )
        return {"open_pulses": open_pulses} if open_pulses else None
    today = timezone.localdate()
    risks = Risk.objects.filter(trajectory=viewer.trajectory).aggregate(
        open=Count("pk", filter=Q(status=Risk.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Risk.Status.OPEN, review_on__lt=today)),
    )
    overdue = list(
        Risk.objects.filter(trajectory=viewer.trajectory)
        .overdue(today)
        .select_related("owner")
        .order_by("review_on", "pk")[:5]
    )
    concerns = Stakeholder.objects.filter(trajectory=viewer.trajectory, shared_concern=True).count()
    open_pulses = Pulse.objects.filter(trajectory=viewer.trajectory).open().count()
    return {
        "open_risks": risks["open"],
        "overdue_count": risks["overdue"],
        "overdue": overdue,
        "shared_concerns": concerns,
        "open_pulses": open_pulses,
    }
