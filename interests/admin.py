from django.contrib import admin

from .models import Fact, Interest, InterestLink, InterestRound, Theme


@admin.register(InterestRound)
class InterestRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "phase", "status", "opened_at", "revealed_at"]
    list_filter = ["status", "phase"]
    search_fields = ["title"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["statement", "partner", "round", "weight", "tier", "status", "theme"]
    list_filter = ["status", "weight", "tier"]
    search_fields = ["statement"]
    raw_id_fields = ["round", "partner", "author", "last_edited_by", "theme"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "classification"]
    list_filter = ["classification"]


@admin.register(InterestLink)
class InterestLinkAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "kind"]
    raw_id_fields = ["first", "second", "round"]


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["question", "trajectory", "status", "theme"]
    list_filter = ["status"]
