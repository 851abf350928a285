from .models import Report

LATEST = 3


def trajectory_summary(viewer):
    """The latest reports this member may see, for the trajectory overview."""
    if viewer.is_participant:
        return None
    reports = list(Report.objects.visible_to(viewer).select_related("workshop")[:LATEST])
    return {"viewer": viewer, "reports": reports}
