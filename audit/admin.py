from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, also for administrators."""

    list_display = ["at", "trajectory", "action", "actor_label", "partner", "summary"]
    list_filter = ["action"]
    date_hierarchy = "at"
    raw_id_fields = ["trajectory", "actor", "participant", "partner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
