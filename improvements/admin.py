from django.contrib import admin

from .models import (
    ImprovementKind,
    ImprovementPackage,
    PackageAction,
    Position,
    PositionChange,
    Proposal,
    ProposalGain,
)


class ProposalGainInline(admin.TabularInline):
    model = ProposalGain
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    readonly_fields = ["version", "updated_at", "updated_by_name"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "proposer_partner", "effort", "cost", "created_at"]
    list_filter = ["effort", "cost", "origin"]
    search_fields = ["title", "description"]
    list_select_related = ["trajectory", "proposer_partner"]
    raw_id_fields = ["trajectory", "proposer_partner", "workshop", "agenda_item"]
    filter_horizontal = ["kinds"]
    inlines = [ProposalGainInline, PositionInline]


@admin.register(PositionChange)
class PositionChangeAdmin(admin.ModelAdmin):
    """The history is evidence: it can be read here, never edited."""

    list_display = ["position", "stance", "mandate", "changed_by_name", "changed_at"]
    list_select_related = ["position__partner", "position__proposal"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImprovementPackage)
class ImprovementPackageAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "version", "status", "adopted_on"]
    list_filter = ["status"]
    raw_id_fields = ["trajectory", "previous", "adopted_by"]
    filter_horizontal = ["proposals"]
    readonly_fields = ["frozen_content"]


@admin.register(ImprovementKind)
class ImprovementKindAdmin(admin.ModelAdmin):
    list_display = ["name", "trajectory", "order", "archived"]
    list_filter = ["archived"]


admin.site.register(PackageAction)
