from django.contrib import admin

from .models import DiagnosisDecision, InterimChange, Pulse, Risk, Stakeholder


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin):
    # Responses and answers are deliberately not registered: individual answers stay out of sight.
    list_display = ["title", "trajectory", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title", "trajectory__name"]


@admin.register(DiagnosisDecision)
class DiagnosisDecisionAdmin(admin.ModelAdmin):
    list_display = ["pulse", "rule", "status", "decided_at"]
    list_filter = ["status", "rule"]


@admin.register(InterimChange)
class InterimChangeAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "kind", "occurred_on", "follow_up_status"]
    list_filter = ["kind", "follow_up_status"]
    search_fields = ["title"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "trajectory",
        "category",
        "likelihood",
        "impact",
        "review_on",
        "status",
    ]
    list_filter = ["category", "status"]
    search_fields = ["title"]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "trajectory", "kind", "attitude", "power", "interest", "shared_concern"]
    list_filter = ["attitude", "kind", "shared_concern"]
    search_fields = ["name"]
