from django.contrib import admin

from .models import KpiWeights, Report, SpikeAlert, UnitPopulation


@admin.register(UnitPopulation)
class UnitPopulationAdmin(admin.ModelAdmin):
    list_display = ("unit", "residents", "source")
    autocomplete_fields = ("unit",)


@admin.register(KpiWeights)
class KpiWeightsAdmin(admin.ModelAdmin):
    list_display = (
        "on_time_response",
        "on_time_resolution",
        "satisfaction",
        "objection",
        "fixed",
        "updated_at",
    )


@admin.register(SpikeAlert)
class SpikeAlertAdmin(admin.ModelAdmin):
    list_display = ("hour_start", "district", "category", "count", "mean", "std")
    list_filter = ("category",)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "format", "automatic", "created_at")
    list_filter = ("format", "automatic")
