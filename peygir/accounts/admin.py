from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, OneTimeCode, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "mobile", "is_staff", "is_active", "last_login")
    search_fields = ("username", "display_name", "mobile", "first_name", "last_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("شهروند"), {"fields": ("display_name", "mobile", "mobile_verified_at")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at")
    search_fields = ("prefix", "user__username", "user__mobile")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are issued by signing in, never typed in


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    list_display = ("mobile", "created_at", "expires_at", "used_at", "attempts", "ip")
    search_fields = ("mobile",)
    readonly_fields = ("mobile", "code_hash", "ip", "created_at", "expires_at", "used_at", "attempts")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
