from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from peygir.core.errors import ValidationError
from peygir.org.models import Membership, Unit
from peygir.org.selectors import unit_for_point
from peygir.org.services import (
    boundary_validate,
    membership_grant,
    membership_revoke,
    unit_create,
    unit_move,
    unit_set_boundary,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10.0, 10.0], [10.2, 10.0], [10.2, 10.2], [10.0, 10.2], [10.0, 10.0]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[10.0, 10.0], [10.2, 10.2], [10.2, 10.0], [10.0, 10.2], [10.0, 10.0]]],
}


def _pad(unit: Unit) -> str:
    return f"{unit.pk:06d}/"


@pytest.mark.django_db
def test_unit_create_builds_the_path_from_the_parent_path(center):
    department = unit_create(
        kind=Unit.Kind.DEPARTMENT, name="اداره کل آزمایشی", code="dept-test", parent=center
    )
    office = unit_create(
        kind=Unit.Kind.DEPARTMENT, name="دفتر آزمایشی", code="office-test", parent=department
    )

    assert center.path == _pad(center)
    assert department.path == _pad(center) + _pad(department)
    assert Unit.objects.get(code="office-test").path == _pad(center) + _pad(department) + _pad(office)
    assert office.ancestor_ids == [center.pk, department.pk, office.pk]


@pytest.mark.django_db
def test_unit_create_normalises_the_name(center):
    unit = unit_create(
        kind=Unit.Kind.DEPARTMENT, name="اداره  كل   ارتباطات", code="dept-arabic", parent=center
    )

    assert unit.name == "اداره کل ارتباطات"


@pytest.mark.django_db
def test_unit_create_rejects_a_taken_code_and_a_second_center(center):
    with pytest.raises(ValidationError) as taken:
        unit_create(kind=Unit.Kind.DEPARTMENT, name="تکراری", code="district-6", parent=center)
    with pytest.raises(ValidationError) as second:
        unit_create(kind=Unit.Kind.CENTER, name="مرکز دوم", code="center-2")

    assert taken.value.code == "duplicate_code"
    assert second.value.code == "duplicate_center"
    assert not Unit.objects.filter(code__in=["center-2"]).exists()


@pytest.mark.django_db
def test_unit_create_stores_a_validated_boundary(center):
    unit = unit_create(
        kind=Unit.Kind.AREA,
        name="ناحیه آزمایشی",
        code="area-test",
        parent=center,
        boundary={"type": "Feature", "properties": {}, "geometry": SQUARE},
        boundary_source="test",
    )

    assert unit.boundary == SQUARE
    assert unit.boundary_source == "test"


@pytest.mark.parametrize(
    ("geojson", "code"),
    [
        ({"type": "Point", "coordinates": [51.4, 35.7]}, "invalid"),
        ({"type": "Polygon", "coordinates": []}, "invalid"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "invalid"),
        ("{not json", "invalid"),
        ({"type": "Polygon", "coordinates": [[[500, 10], [501, 10], [501, 11], [500, 10]]]}, "invalid"),
        (BOWTIE, "invalid_boundary"),
    ],
)
def test_boundary_validate_rejects_what_is_not_a_valid_polygon(geojson, code):
    with pytest.raises(ValidationError) as error:
        boundary_validate(geojson)

    assert error.value.code == code
    assert error.value.status == 422


def test_boundary_validate_explains_an_invalid_polygon_in_persian():
    with pytest.raises(ValidationError) as error:
        boundary_validate(BOWTIE)

    assert str(error.value.detail).startswith("مرز نامعتبر است: Self-intersection")


def test_boundary_validate_accepts_a_json_string_and_a_multipolygon():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}

    assert boundary_validate('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}') == {
        "type": "Polygon",
        "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
    }
    assert boundary_validate(multi) == multi


@pytest.mark.django_db
def test_unit_set_boundary_is_seen_by_the_next_point_lookup(center):
    unit = unit_create(
        kind=Unit.Kind.DISTRICT, name="منطقه آزمایشی", code="district-test", parent=center, number=99
    )
    assert unit_for_point(lat=10.1, lon=10.1) is None

    unit_set_boundary(unit=unit, geojson=SQUARE, source="سنجش")

    assert unit_for_point(lat=10.1, lon=10.1) == unit
    unit.refresh_from_db()
    assert unit.boundary_source == "سنجش"


@pytest.mark.django_db
def test_unit_set_boundary_rejects_an_invalid_polygon_and_keeps_the_old_one(district6):
    before = district6.boundary

    with pytest.raises(ValidationError):
        unit_set_boundary(unit=district6, geojson=BOWTIE, source="bad")

    assert Unit.objects.get(pk=district6.pk).boundary == before


@pytest.mark.django_db
def test_unit_move_rewrites_the_paths_of_the_whole_subtree(center, district6, district7):
    department = unit_create(kind=Unit.Kind.DEPARTMENT, name="اداره", code="dept-move", parent=district6)
    office = unit_create(kind=Unit.Kind.DEPARTMENT, name="دفتر", code="office-move", parent=department)

    unit_move(unit=department, parent=district7)

    department.refresh_from_db()
    office.refresh_from_db()
    assert department.parent == district7
    assert department.path == district7.path + _pad(department)
    assert office.path == district7.path + _pad(department) + _pad(office)


@pytest.mark.django_db
def test_unit_move_refuses_to_put_a_unit_under_its_own_descendant(district6):
    area = Unit.objects.get(code="district-6-area-1")

    with pytest.raises(ValidationError) as error:
        unit_move(unit=district6, parent=area)

    assert error.value.code == "cycle"
    assert Unit.objects.get(pk=district6.pk).path == district6.path


@pytest.mark.django_db
def test_membership_grant_is_idempotent_and_reactivates_a_revoked_role(district7):
    user = get_user_model().objects.create(username="newcomer")
    first = membership_grant(user=user, unit=district7, role=Membership.Role.OFFICER)
    membership_revoke(membership=first)

    again = membership_grant(user=user, unit=district7, role=Membership.Role.OFFICER)

    assert again.pk == first.pk
    assert Membership.objects.get(user=user).is_active is True


@pytest.mark.django_db
def test_membership_grant_rejects_an_unknown_role(district7):
    user = get_user_model().objects.create(username="newcomer")

    with pytest.raises(ValidationError):
        membership_grant(user=user, unit=district7, role="mayor")

    assert not Membership.objects.filter(user=user).exists()
