"""Admin for Open311 client applications: issuing (and re-issuing) their API keys."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .channels.open311.services import open311_key_issue
from .models import BotChat, InboundMessage, Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """A new client gets its key on save; the key is shown once in the message bar, never again."""

    list_display = ("name", "prefix", "is_active", "rate_limit_per_minute", "agent", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "created_at")
    fields = ("name", "is_active", "rate_limit_per_minute", "agent", "prefix", "created_at")
    raw_id_fields = ("agent",)
    actions = ["issue_new_key"]

    def _announce(self, request: HttpRequest, client: Open311Client, key: str) -> None:
        self.message_user(
            request,
            _("کلید API برنامه «%(name)s»: %(key)s — اکنون آن را بردارید؛ دوباره نمایش داده نمی‌شود.")
            % {"name": client.name, "key": key},
            level=messages.WARNING,
        )

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        self._announce(request, obj, open311_key_issue(client=obj, actor=request.user))

    @admin.action(description=gettext_lazy("صدور کلید تازه (کلید پیشین از کار می‌افتد)"))
    def issue_new_key(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        for client in queryset:
            self._announce(request, client, open311_key_issue(client=client, actor=request.user))


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Texts and bot messages as they arrived: read-only (they are the channel's record)."""

    list_display = ["received_at", "channel", "sender", "outcome", "case"]
    list_filter = ["channel", "outcome"]
    search_fields = ["external_id", "sender", "case__tracking_code"]
    raw_id_fields = ["case"]
    readonly_fields = [
        "channel",
        "external_id",
        "sender",
        "recipient",
        "text",
        "outcome",
        "case",
        "reply",
        "received_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BotChat)
class BotChatAdmin(admin.ModelAdmin):
    """Conversations with the messenger bot and where each one stands; read-only."""

    list_display = ["chat_id", "state", "updated_at"]
    list_filter = ["state"]
    search_fields = ["chat_id"]
    exclude = ["draft_photo"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in BotChat._meta.fields if field.name != "draft_photo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
