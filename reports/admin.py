from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Report
from .services import report_retry


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "trajectory",
        "kind",
        "workshop",
        "language",
        "audience",
        "status",
        "created_at",
    ]
    list_filter = ["kind", "status", "language", "audience"]
    search_fields = ["trajectory__name", "workshop__title", "requested_by__username"]
    list_select_related = ["trajectory", "workshop"]
    readonly_fields = [
        "status",
        "failure",
        "error",
        "file",
        "pages",
        "attempts",
        "snapshot",
        "submission_key",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    ]
    raw_id_fields = ["trajectory", "workshop", "requested_by"]
    actions = ["retry"]

    @admin.action(description=_("Prepare failed or stuck reports again"))
    def retry(self, request, queryset):
        count = sum(1 for report in queryset if report_retry(report=report))
        self.message_user(
            request, _("%(count)d reports queued again.") % {"count": count}, messages.SUCCESS
        )
