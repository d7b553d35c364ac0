from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from peygir.org.demo import TEHRAN_DISTRICTS
from peygir.org.models import Membership, Unit
from peygir.org.selectors import (
    area_for_point,
    center_unit,
    unit_ancestors,
    unit_for_point,
    unit_managers,
    unit_subtree,
    units_for_user,
    user_has_role,
)
from peygir.org.services import membership_grant, membership_revoke, unit_create

DISTRICT6_INSIDE = next(fact.inside for fact in TEHRAN_DISTRICTS if fact.number == 6)


@pytest.mark.django_db
def test_center_unit_is_the_seeded_root(center):
    assert center_unit() == center
    assert center.parent is None
    assert center.kind == Unit.Kind.CENTER


@pytest.mark.django_db
def test_unit_subtree_is_the_unit_and_everything_under_it(district6):
    codes = set(unit_subtree(district6).values_list("code", flat=True))

    assert codes == {"district-6", *(f"district-6-area-{n}" for n in range(1, 7))}


@pytest.mark.django_db
def test_unit_subtree_of_district_1_does_not_catch_district_10_to_19(org_tree):
    # Paths are fixed-width segments with a separator, so a prefix never matches a longer number.
    district1 = Unit.objects.get(code="district-1")

    districts = set(unit_subtree(district1).filter(kind=Unit.Kind.DISTRICT).values_list("number", flat=True))

    assert districts == {1}


@pytest.mark.django_db
def test_unit_ancestors_run_from_the_center_down(center, district6):
    area = Unit.objects.get(code="district-6-area-3")

    assert list(unit_ancestors(area)) == [center, district6, area]


@pytest.mark.django_db
def test_officer_reaches_their_district_and_its_areas_only(officer6, district6):
    reached = units_for_user(officer6)

    assert set(reached) == set(unit_subtree(district6))
    assert not reached.filter(code="district-7").exists()


@pytest.mark.django_db
def test_supervisor_at_the_center_reaches_the_whole_city(supervisor):
    assert units_for_user(supervisor, roles=[Membership.Role.SUPERVISOR]).count() == Unit.objects.count()


@pytest.mark.django_db
def test_units_for_user_filters_by_role(manager6, officer6):
    assert units_for_user(manager6, roles=Membership.Role.OFFICER).count() == 0
    assert units_for_user(officer6, roles=[Membership.Role.OFFICER, Membership.Role.MANAGER]).count() == 7


@pytest.mark.django_db
def test_units_for_user_composes_into_another_query(officer7):
    areas = Unit.objects.filter(kind=Unit.Kind.AREA, pk__in=units_for_user(officer7))

    assert set(areas.values_list("code", flat=True)) == {f"district-7-area-{n}" for n in range(1, 6)}


@pytest.mark.django_db
def test_a_revoked_membership_reaches_nothing(officer6):
    membership_revoke(membership=Membership.objects.get(user=officer6))

    assert units_for_user(officer6).count() == 0
    assert user_has_role(officer6, Unit.objects.get(code="district-6"), [Membership.Role.OFFICER]) is False


@pytest.mark.django_db
def test_anonymous_inactive_and_unscoped_users_reach_nothing(officer6, integrity_handler, district6):
    officer6.is_active = False
    officer6.save(update_fields=["is_active"])

    assert units_for_user(AnonymousUser()).count() == 0
    assert units_for_user(officer6).count() == 0
    assert units_for_user(integrity_handler).count() == 0
    assert user_has_role(AnonymousUser(), district6, Membership.Role.OFFICER) is False


@pytest.mark.django_db
def test_user_has_role_on_the_unit_or_an_ancestor(officer6, supervisor, district6, district7):
    area = Unit.objects.get(code="district-6-area-2")

    assert user_has_role(officer6, district6, [Membership.Role.OFFICER]) is True
    assert user_has_role(officer6, area, [Membership.Role.OFFICER]) is True
    assert user_has_role(officer6, district7, [Membership.Role.OFFICER]) is False
    assert user_has_role(officer6, area, [Membership.Role.MANAGER]) is False
    assert user_has_role(supervisor, area, Membership.Role.SUPERVISOR) is True


@pytest.mark.django_db
def test_a_role_on_an_area_does_not_reach_up_to_the_district(district6):
    user = get_user_model().objects.create(username="area-officer")
    area = Unit.objects.get(code="district-6-area-1")
    membership_grant(user=user, unit=area, role=Membership.Role.OFFICER)

    assert user_has_role(user, area, Membership.Role.OFFICER) is True
    assert user_has_role(user, district6, Membership.Role.OFFICER) is False
    assert list(units_for_user(user)) == [area]


@pytest.mark.django_db
def test_unit_managers_come_from_the_nearest_ancestor_with_a_manager(manager6, center, district7):
    area6 = Unit.objects.get(code="district-6-area-4")
    area7 = Unit.objects.get(code="district-7-area-1")
    city_manager = get_user_model().objects.create(username="city-manager")

    assert list(unit_managers(area6)) == [manager6]
    assert list(unit_managers(area7)) == []

    membership_grant(user=city_manager, unit=center, role=Membership.Role.MANAGER)

    assert list(unit_managers(area7)) == [city_manager]
    assert list(unit_managers(area6)) == [manager6]


@pytest.mark.django_db
def test_an_area_manager_takes_precedence_over_the_district_manager(manager6):
    area = Unit.objects.get(code="district-6-area-5")
    area_manager = get_user_model().objects.create(username="area-manager")
    membership_grant(user=area_manager, unit=area, role=Membership.Role.MANAGER)

    assert list(unit_managers(area)) == [area_manager]
    assert list(unit_managers(Unit.objects.get(code="district-6"))) == [manager6]


@pytest.mark.django_db
def test_unit_for_point_finds_the_district_and_area_of_a_point(district6):
    lat, lon = DISTRICT6_INSIDE

    area = area_for_point(lat=lat, lon=lon)

    assert unit_for_point(lat=lat, lon=lon) == district6
    assert area is not None
    assert area.parent_id == district6.pk
    assert area.kind == Unit.Kind.AREA


@pytest.mark.django_db
def test_unit_for_point_is_none_outside_every_boundary_and_for_nonsense(org_tree):
    assert unit_for_point(lat=32.6539, lon=51.6660) is None  # Isfahan
    assert unit_for_point(lat=95.0, lon=51.4) is None


@pytest.mark.django_db
def test_unit_for_point_asks_the_database_once(district6, django_assert_num_queries):
    lat, lon = DISTRICT6_INSIDE
    unit_for_point(lat=lat, lon=lon)  # builds the index

    with django_assert_num_queries(1):
        found = unit_for_point(lat=lat, lon=lon)

    assert found == district6


@pytest.mark.django_db
def test_unit_for_point_returns_a_copy_the_caller_may_change(district6):
    lat, lon = DISTRICT6_INSIDE
    first = unit_for_point(lat=lat, lon=lon)
    assert first is not None
    first.name = "changed in memory"

    second = unit_for_point(lat=lat, lon=lon)

    assert second is not None
    assert second.name == "منطقه ۶"


@pytest.mark.django_db
def test_unit_for_point_forgets_a_deactivated_unit(district6):
    lat, lon = DISTRICT6_INSIDE
    assert unit_for_point(lat=lat, lon=lon) == district6

    district6.is_active = False
    district6.save(update_fields=["is_active", "updated_at"])

    assert unit_for_point(lat=lat, lon=lon) is None


@pytest.mark.django_db
def test_the_smaller_overlapping_boundary_wins(center, district6):
    lat, lon = DISTRICT6_INSIDE
    d = 0.002
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    enclave = unit_create(
        kind=Unit.Kind.DISTRICT,
        name="منطقه آزمایشی",
        code="district-enclave",
        parent=center,
        number=99,
        boundary={"type": "Polygon", "coordinates": [ring]},
    )

    assert unit_for_point(lat=lat, lon=lon) == enclave
    assert unit_for_point(lat=lat + 2 * d, lon=lon) == district6
