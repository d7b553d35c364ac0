from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peygir.notifications.models import TEMPLATE_VARIABLES, Notification, NotificationTemplate
from peygir.notifications.services import notification_retry
from peygir.notifications.sms import sms_parts


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "channel",
        "kind",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "delivery_status",
    ]
    list_filter = ["status", "channel", "kind", "delivery_status", "urgent"]
    search_fields = ["=to_phone", "=to_address", "=public_id", "=dedupe_key", "=provider_message_id"]
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


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "is_active", "parts", "updated_at"]
    list_filter = ["channel", "is_active"]
    search_fields = ["kind", "body"]
    ordering = ["kind", "channel"]
    readonly_fields = ["variables", "updated_at"]
    fields = ["kind", "channel", "body", "variables", "is_active", "updated_at"]

    @admin.display(description=_("متغیرهای مجاز"))
    def variables(self, obj: NotificationTemplate | None) -> str:
        return "، ".join(f"{{{name}}}: {label}" for name, label in TEMPLATE_VARIABLES.items())

    @admin.display(description=_("بخش‌های پیامک (بدون متغیرها)"))
    def parts(self, obj: NotificationTemplate) -> int | str:
        if obj.channel != Notification.Channel.SMS:
            return "—"
        return sms_parts(obj.body)
