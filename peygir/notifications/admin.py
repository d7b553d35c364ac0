from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peygir.notifications.models import Notification
from peygir.notifications.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "channel", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=to_phone", "=to_address", "=public_id", "=dedupe_key"]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    raw_id_fields = ["to_user"]
    actions = ["retry"]
    show_full_result_count = False

    # Rows are written by notification_enqueue only (it also enqueues delivery); here they are read
    # and retried.
    def get_readonly_fields(self, request: HttpRequest, obj: Notification | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("ارسال دوباره"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = sum(notification_retry(notification=notification) for notification in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d اعلان دوباره در صف ارسال قرار گرفت.",
                "%(count)d اعلان دوباره در صف ارسال قرار گرفت.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
