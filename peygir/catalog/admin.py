"""Admin for the catalog: the fixed taxonomy (codes read-only once created), services with their
Open311 attributes inline, priorities and response templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Category, MessageType, Priority, ResponseTemplate, Service, ServiceAttribute
from .services import TEMPLATE_VARIABLES, service_attribute_values_problems, template_variables_unknown


class _CodeReadOnlyOnChange:
    """Codes are used by reports, routing rules and the classifier: fixed once the row exists."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*fields, "code") if obj is not None else fields


@admin.register(MessageType)
class MessageTypeAdmin(_CodeReadOnlyOnChange, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]
    list_editable = ["order"]


@admin.register(Category)
class CategoryAdmin(_CodeReadOnlyOnChange, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "unit_kind",
        "sla_hours",
        "resolve_hours",
        "around_the_clock",
        "allows_anonymous",
        "is_active",
    ]
    list_filter = ["unit_kind", "around_the_clock", "allows_anonymous", "is_active"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["default_unit"]


class ServiceAttributeForm(forms.ModelForm):
    class Meta:
        model = ServiceAttribute
        fields = [
            "code",
            "datatype",
            "description",
            "datatype_description",
            "required",
            "variable",
            "values",
            "order",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        datatype = cleaned.get("datatype")
        if datatype:
            for problem in service_attribute_values_problems(datatype=datatype, values=cleaned.get("values")):
                self.add_error("values", problem)
        return cleaned


class ServiceAttributeInline(admin.TabularInline):
    model = ServiceAttribute
    form = ServiceAttributeForm
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["service_code", "name", "name_en", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["service_code", "name", "name_en", "keywords"]
    list_select_related = ["category"]
    inlines = [ServiceAttributeInline]


@admin.register(Priority)
class PriorityAdmin(_CodeReadOnlyOnChange, admin.ModelAdmin):
    list_display = ["code", "name", "weight", "sla_factor", "is_default"]


class ResponseTemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["code", "title", "body", "category", "resolution", "is_active"]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        unknown = template_variables_unknown(body)
        if unknown:
            raise forms.ValidationError(
                _("متغیرهای ناشناخته: %(unknown)s. متغیرهای مجاز: %(allowed)s.")
                % {
                    "unknown": "، ".join("{" + name + "}" for name in unknown),
                    "allowed": "، ".join("{" + name + "}" for name in sorted(TEMPLATE_VARIABLES)),
                }
            )
        return body


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    form = ResponseTemplateForm
    list_display = ["code", "title", "category", "resolution", "is_active"]
    list_filter = ["resolution", "is_active", "category"]
    search_fields = ["code", "title", "body"]
