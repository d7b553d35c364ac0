from django.contrib import admin

from .models import Rating, ResponseReview


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings are what citizens said; nobody edits them."""

    list_display = ("case", "score", "fixed", "source", "objected", "flagged", "response_at", "created_at")
    list_filter = ("score", "fixed", "source", "objected", "flagged")
    search_fields = ("case__tracking_code",)
    readonly_fields = (
        "case",
        "citizen",
        "response_at",
        "score",
        "fixed",
        "comment",
        "source",
        "objected",
        "flagged",
        "created_at",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ResponseReview)
class ResponseReviewAdmin(admin.ModelAdmin):
    """Read-only: supervisors' verdicts are written on the staff pages, audited."""

    list_display = ("case", "verdict", "unit", "reviewer", "response_at", "created_at")
    list_filter = ("verdict",)
    search_fields = ("case__tracking_code",)
    readonly_fields = ("case", "response_at", "unit", "reviewer", "verdict", "note", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
