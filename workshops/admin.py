from django.contrib import admin

from .models import ActionItem, AgendaItem, Agreement, Contribution, Workshop


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "kind", "title", "timebox_minutes", "dots_per_participant"]
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]
    readonly_fields = ["version", "live_key"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["text", "item", "partner", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["text", "trajectory", "workshop", "created_at"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "trajectory",
        "owner_partner",
        "owner_participant",
        "due_date",
        "status",
    ]
    list_filter = ["status"]
