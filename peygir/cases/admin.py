from django.contrib import admin

from .models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "kind",
        "actor",
        "is_public",
        "from_phase",
        "to_phase",
        "public_note",
        "internal_note",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the workflow (API and staff pages), never by editing rows."""

    list_display = (
        "tracking_code",
        "category",
        "message_type",
        "unit",
        "phase",
        "channel",
        "created_at",
        "respond_by",
    )
    list_filter = ("phase", "channel", "category", "is_special")
    search_fields = ("tracking_code", "contact_phone", "search_text")
    list_select_related = ("category", "message_type", "unit")
    inlines = [CaseEventInline]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
