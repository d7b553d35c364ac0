"""Admin for the organization tree and memberships; writes go through org.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peygir.core.text import to_persian_digits
from peygir.org.models import Membership, Unit
from peygir.org.services import unit_create, unit_move


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["kind", "name", "name_en", "code", "number", "parent", "is_active"]

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk and parent.path.startswith(unit.path):
            raise forms.ValidationError(_("واحد را نمی‌توان زیرمجموعه خودش کرد."))
        return parent


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "is_active", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["name", "code", "kind", "number", "parent", "is_active", "has_boundary", "updated_at"]
    list_filter = ["kind", "is_active", "boundary_source"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "boundary_summary", "boundary_source", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "name_en", "code", "number", "parent", "is_active"]}),
        (_("ساختار و مرز"), {"fields": ["path", "boundary_summary", "boundary_source", "updated_at"]}),
    ]
    inlines = [MembershipInline]

    @admin.display(boolean=True, description=_("مرز دارد"))
    def has_boundary(self, unit: Unit) -> bool:
        return unit.boundary is not None

    @admin.display(description=_("مرز"))
    def boundary_summary(self, unit: Unit) -> str:
        if not unit.boundary:
            return _("ندارد؛ با فرمان import_boundaries بارگذاری کنید.")  # type: ignore[return-value]
        kind = unit.boundary["type"]
        polygons = unit.boundary["coordinates"] if kind == "MultiPolygon" else [unit.boundary["coordinates"]]
        vertices = sum(len(ring) for polygon in polygons for ring in polygon)
        return _("%(kind)s، %(polygons)s چندضلعی، %(vertices)s نقطه") % {
            "kind": kind,
            "polygons": to_persian_digits(len(polygons)),
            "vertices": to_persian_digits(vertices),
        }

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if not change:
            created = unit_create(
                kind=obj.kind,
                name=obj.name,
                code=obj.code,
                parent=obj.parent,
                number=obj.number,
                name_en=obj.name_en,
            )
            if not obj.is_active:
                created.is_active = False
                created.save(update_fields=["is_active", "updated_at"])
            obj.pk, obj.path, obj.updated_at = created.pk, created.path, created.updated_at
            obj._state.adding = False
            return
        new_parent = obj.parent
        if "parent" in form.changed_data:
            obj.parent = Unit.objects.get(pk=obj.pk).parent
        super().save_model(request, obj, form, change)
        if "parent" in form.changed_data:
            moved = unit_move(unit=obj, parent=new_parent)
            obj.parent, obj.path = moved.parent, moved.path


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["user__username", "user__display_name", "user__mobile", "unit__name", "unit__code"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["created_at"]
