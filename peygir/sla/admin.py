"""Admin for SLA configuration: calendars with their holidays inline (Jalali entry), and policies.

Lunar holidays are entered here each year once they are officially announced.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from peygir.core.jalali import format_date

from .forms import HolidayForm
from .models import BusinessCalendar, Holiday, SlaPolicy


class HolidayInline(admin.TabularInline):
    model = Holiday
    form = HolidayForm
    fields = ["date", "name", "kind"]
    extra = 1
    ordering = ["-date"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [HolidayInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    form = HolidayForm
    list_display = ["jalali_date", "name", "kind", "calendar"]
    list_filter = ["calendar", "kind"]
    search_fields = ["name"]
    ordering = ["-date"]
    list_select_related = ["calendar"]

    @admin.display(description=_("تاریخ"), ordering="date")
    def jalali_date(self, obj: Holiday) -> str:
        return format_date(obj.date)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["category", "priority", "respond_hours", "resolve_hours", "around_the_clock", "calendar"]
    list_filter = ["category", "priority", "calendar"]
    list_select_related = ["category", "priority", "calendar"]
