from django.db.models import QuerySet

from .models import AuditEntry


def log_entries(trajectory, **lookups) -> QuerySet[AuditEntry]:
    """The trajectory's log, newest first, with what the log page shows (one query per page)."""
    return (
        AuditEntry.objects.filter(trajectory=trajectory, **lookups)
        .select_related("partner")
        .only(
            "at",
            "action",
            "actor_label",
            "summary",
            "subject_type",
            "partner__name",
        )
        .order_by("-at", "-pk")
    )
