"""Demo data: one progress report for the managers, ready to download (`manage.py load_demo`)."""

from trajectories.models import Membership

from . import services
from .models import Report


def load(trajectory) -> None:
    if Report.objects.filter(trajectory=trajectory).exists():
        return
    manager = (
        Membership.objects.filter(trajectory=trajectory, role=Membership.Role.MANAGER)
        .select_related("user")
        .first()
    )
    report = Report.objects.create(
        trajectory=trajectory,
        kind=Report.Kind.PROGRESS,
        language=Report.Language.DUTCH,
        audience=Report.Audience.MANAGER,
        requested_by=manager.user if manager else None,
    )
    services.report_build(report_id=report.pk, notify=False)
