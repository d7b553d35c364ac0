"""Configuration of the call center in the admin: queues, agents' extensions, clinic experts."""

from __future__ import annotations

from django.contrib import admin

from .models import AgentExtension, Expert, Queue


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "is_active")
    search_fields = ("name", "title")


@admin.register(AgentExtension)
class AgentExtensionAdmin(admin.ModelAdmin):
    list_display = ("extension", "user", "is_active")
    search_fields = ("extension", "user__username", "user__display_name")
    autocomplete_fields = ("user",)


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "user", "is_active")
    list_filter = ("topic", "is_active")
    autocomplete_fields = ("user",)
