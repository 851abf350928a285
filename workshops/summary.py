from django.utils import timezone

from .models import ActionItem, Workshop


def trajectory_summary(viewer):
    """Next and last workshop and the number of open action items (3 queries)."""
    workshops = Workshop.objects.filter(trajectory=viewer.trajectory)
    upcoming = workshops.upcoming().first()
    last = workshops.past().first()
    open_actions = ActionItem.objects.filter(trajectory=viewer.trajectory).open()
    overdue = (
        open_actions.filter(due_date__lt=timezone.localdate()).count() if viewer.can_edit else 0
    )
    return {
        "viewer": viewer,
        "next": upcoming,
        "last": last,
        "open_actions": open_actions.count(),
        "overdue_actions": overdue,
    }
