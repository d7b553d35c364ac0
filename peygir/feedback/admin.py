from django.contrib import admin

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings are what citizens said; nobody edits them."""

    list_display = ("case", "score", "fixed", "response_at", "created_at")
    list_filter = ("score", "fixed")
    search_fields = ("case__tracking_code",)
    readonly_fields = ("case", "citizen", "response_at", "score", "fixed", "comment", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
