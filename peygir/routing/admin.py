"""Admin for routing rules."""

from __future__ import annotations

from django.contrib import admin

from peygir.routing.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "district", "area", "channel", "unit", "is_active", "created_at"]
    list_filter = ["is_active", "category", "channel", "unit__kind"]
    search_fields = ["note", "unit__name", "unit__code", "district__name", "area__name", "category__name"]
    list_select_related = ["category", "district", "area", "unit"]
    autocomplete_fields = ["district", "area", "unit"]
    readonly_fields = ["created_at"]
    fields = ["category", "district", "area", "channel", "unit", "is_active", "note", "created_at"]
