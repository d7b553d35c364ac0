from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from peygir.core.text import to_persian_digits
from peygir.org.admin import MembershipAdmin, UnitAdmin, UnitForm
from peygir.org.models import Membership, Unit


def _admin() -> UnitAdmin:
    return UnitAdmin(Unit, admin.site)


def test_org_admins_pass_the_django_admin_checks():
    assert _admin().check() == []
    assert MembershipAdmin(Membership, admin.site).check() == []


@pytest.mark.django_db
def test_admin_creates_a_unit_through_the_service_and_gives_it_a_path(center, admin_user_persona):
    form = UnitForm(
        data={"kind": "department", "name": "اداره کل ارتباطات", "code": "dept-admin", "parent": center.pk}
    )
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/")
    request.user = admin_user_persona

    unit = form.save(commit=False)
    _admin().save_model(request, unit, form, change=False)

    stored = Unit.objects.get(code="dept-admin")
    assert unit.pk == stored.pk
    assert stored.path == center.path + f"{stored.pk:06d}/"
    assert stored.is_active is False  # the checkbox was left unticked


@pytest.mark.django_db
def test_admin_moves_the_subtree_when_the_parent_changes(district6, district7, admin_user_persona):
    department = Unit.objects.create(kind="department", name="اداره", code="dept-x", parent=district6)
    Unit.objects.filter(pk=department.pk).update(path=district6.path + f"{department.pk:06d}/")
    department.refresh_from_db()
    data = {
        "kind": "department",
        "name": "اداره",
        "code": "dept-x",
        "parent": district7.pk,
        "is_active": "on",
    }
    form = UnitForm(data=data, instance=department)
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/")
    request.user = admin_user_persona

    _admin().save_model(request, form.save(commit=False), form, change=True)

    moved = Unit.objects.get(code="dept-x")
    assert (moved.parent, moved.path) == (district7, district7.path + f"{department.pk:06d}/")


@pytest.mark.django_db
def test_admin_form_refuses_a_parent_inside_the_units_own_subtree(district6):
    area = Unit.objects.get(code="district-6-area-1")
    data = {"kind": "district", "name": "منطقه ۶", "code": "district-6", "number": 6, "parent": area.pk}

    form = UnitForm(data=data, instance=district6)

    assert form.is_valid() is False
    assert form.errors["parent"] == ["واحد را نمی‌توان زیرمجموعه خودش کرد."]


@pytest.mark.django_db
def test_boundary_summary_counts_polygons_and_points(district6):
    points = sum(len(ring) for ring in district6.boundary["coordinates"])

    assert _admin().boundary_summary(district6) == f"Polygon، ۱ چندضلعی، {to_persian_digits(points)} نقطه"
    assert _admin().has_boundary(district6) is True
