"""Only roles are configured in the admin; reports and keys never appear there."""

from django.contrib import admin

from .models import IntegrityRole


@admin.register(IntegrityRole)
class IntegrityRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "receives_new", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("user",)
