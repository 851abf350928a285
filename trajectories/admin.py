from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect.forms import ModelForm

from .models import (
    AccountPreferences,
    InviteLink,
    MailOptOut,
    Membership,
    Participant,
    Partner,
    SignInToken,
    Trajectory,
)
from .services import invite_links_revoked

# The admin takes text through the project's form base too: no control characters, and names
# stay on one line (a line break in a trajectory's name once broke the invite mail).


class MembershipInline(admin.TabularInline):
    model = Membership
    form = ModelForm
    extra = 0
    autocomplete_fields = ["user"]


class PartnerInline(admin.TabularInline):
    model = Partner
    form = ModelForm
    extra = 0


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["name", "occasion", "phase", "status", "created_at"]
    list_filter = ["occasion", "phase", "status"]
    search_fields = ["name", "task"]
    inlines = [MembershipInline, PartnerInline]
    # The retention period is the facilitator's to set (the trajectory's settings page).
    readonly_fields = ["retention_months", "closed_at", "anonymised_at"]

    def save_model(self, request, obj, form, change):
        # Completing or reopening here starts or stops the retention clock as the settings
        # page does (services.trajectory_update).
        if "status" in form.changed_data:
            closed = obj.status == Trajectory.Status.CLOSED
            obj.closed_at = timezone.now() if closed else None
            obj.retention_warned_at = None
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["trajectory", "user", "role"]
    list_filter = ["role"]
    list_select_related = ["trajectory", "user"]
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["name", "kind", "trajectory"]
    list_select_related = ["trajectory"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["name", "partner", "level", "email"]
    list_select_related = ["partner"]
    list_filter = ["level"]
    search_fields = ["name", "email", "partner__name"]


@admin.register(InviteLink)
class InviteLinkAdmin(admin.ModelAdmin):
    form = ModelForm
    # The clear token is never stored, so the admin can only show and revoke links.
    list_display = ["participant", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["participant__partner"]
    search_fields = ["participant__name", "participant__partner__name"]
    readonly_fields = ["participant", "token_hash", "created_at", "last_used_at", "created_by"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a link is made in the app, where its token can be shown once

    @admin.action(description=_("Revoke the selected invite links"))
    def revoke(self, request, queryset):
        count = queryset.revoke()
        for participant in Participant.objects.filter(invite_links__in=queryset).distinct():
            invite_links_revoked.send(sender=Participant, participant=participant)
        self.message_user(request, _("%(count)d invite links revoked.") % {"count": count})


@admin.register(AccountPreferences)
class AccountPreferencesAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["user", "language"]
    list_select_related = ["user"]
    list_filter = ["language"]
    autocomplete_fields = ["user"]


@admin.register(MailOptOut)
class MailOptOutAdmin(admin.ModelAdmin):
    """Read and delete only: a person switches mails off themselves (unsubscribe, settings)."""

    form = ModelForm
    list_display = ["kind", "participant", "user", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["participant__partner", "user"]
    readonly_fields = ["participant", "user", "kind", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SignInToken)
class SignInTokenAdmin(admin.ModelAdmin):
    """Sign-in links from mails: only a fingerprint is stored, so the admin shows when they were
    made and used, nothing to open."""

    form = ModelForm
    list_display = ["participant", "created_at", "expires_at", "used_at"]
    list_select_related = ["participant__partner"]
    readonly_fields = ["participant", "token_hash", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):
        return False
