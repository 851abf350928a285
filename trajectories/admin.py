from django.contrib import admin

from .models import InviteLink, Membership, Participant, Partner, Trajectory


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["name", "occasion", "phase", "status", "created_at"]
    list_filter = ["occasion", "phase", "status"]
    search_fields = ["name", "task"]
    inlines = [MembershipInline, PartnerInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "user", "role"]
    list_filter = ["role"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "trajectory"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "level", "email"]
    list_filter = ["level"]
    search_fields = ["name", "email", "partner__name"]


@admin.register(InviteLink)
class InviteLinkAdmin(admin.ModelAdmin):
    # The clear token is never stored, so the admin can only show and revoke links.
    list_display = ["participant", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_hash", "created_at", "last_used_at"]
