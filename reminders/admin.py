from django.contrib import admin

from .models import MailSent


@admin.register(MailSent)
class MailSentAdmin(admin.ModelAdmin):
    """Read only: the log answers "why did I (not) get a reminder?"; jobs alone write it."""

    list_display = ["sent_at", "kind", "period", "participant", "user", "trajectory"]
    list_filter = ["kind", "period"]
    raw_id_fields = ["participant", "user", "trajectory"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
