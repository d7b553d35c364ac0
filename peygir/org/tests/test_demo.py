from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max
from shapely.geometry import shape

from peygir.org.demo import APPROXIMATE_SOURCE, DEMO_PASSWORD, TEHRAN_DISTRICTS, seed_org
from peygir.org.models import Membership, Unit
from peygir.org.selectors import area_for_point, unit_for_point

EXPECTED_DEPUTIES = {
    "deputy-urban-services",
    "deputy-technical",
    "deputy-transport",
    "deputy-urban-planning",
    "deputy-social",
    "deputy-finance",
    "deputy-planning",
    "deputy-district-affairs",
    "deputy-human-resources",
}
EXPECTED_CITY_WIDE = {
    "org-waste": Unit.Kind.ORGANIZATION,
    "org-parks": Unit.Kind.ORGANIZATION,
    "org-fire": Unit.Kind.ORGANIZATION,
    "company-bus": Unit.Kind.COMPANY,
    "company-metro": Unit.Kind.COMPANY,
    "org-taxi": Unit.Kind.ORGANIZATION,
    "org-culture": Unit.Kind.ORGANIZATION,
    "org-welfare": Unit.Kind.ORGANIZATION,
    "org-crisis": Unit.Kind.ORGANIZATION,
}


@pytest.mark.django_db
def test_seed_org_builds_the_tehran_tree(center):
    children = Unit.objects.filter(parent=center)

    assert set(children.filter(kind=Unit.Kind.DEPUTY).values_list("code", flat=True)) == EXPECTED_DEPUTIES
    assert {
        unit.code: unit.kind for unit in children.filter(kind__in=[Unit.Kind.ORGANIZATION, Unit.Kind.COMPANY])
    } == EXPECTED_CITY_WIDE
    assert list(
        children.filter(kind=Unit.Kind.DISTRICT).order_by("number").values_list("number", flat=True)
    ) == list(range(1, 23))
    assert Unit.objects.get(code="district-12").name == "منطقه ۱۲"
    assert Unit.objects.get(code="district-12-area-3").name == "منطقه ۱۲، ناحیه ۳"


@pytest.mark.django_db
def test_every_district_has_three_to_six_areas_about_120_in_all(org_tree):
    areas = Unit.objects.filter(kind=Unit.Kind.AREA)

    assert areas.count() == 121
    for fact in TEHRAN_DISTRICTS:
        district = Unit.objects.get(code=f"district-{fact.number}")
        numbers = list(areas.filter(parent=district).order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, fact.areas + 1))
        assert 3 <= fact.areas <= 6


@pytest.mark.django_db
def test_demo_boundaries_are_valid_and_marked_approximate(org_tree):
    for unit in Unit.objects.filter(kind__in=[Unit.Kind.DISTRICT, Unit.Kind.AREA]):
        geometry = shape(unit.boundary)
        assert geometry.is_valid, unit.code
        assert not geometry.is_empty, unit.code
        assert unit.boundary_source.startswith("approximate:"), unit.code
    assert Unit.objects.get(code="district-6").boundary_source == APPROXIMATE_SOURCE


@pytest.mark.django_db
def test_areas_split_their_district_without_overlap(org_tree):
    district = shape(Unit.objects.get(code="district-9").boundary)
    areas = [
        shape(unit.boundary) for unit in Unit.objects.filter(kind=Unit.Kind.AREA, parent__code="district-9")
    ]

    assert sum(area.area for area in areas) == pytest.approx(district.area, rel=1e-4)
    assert all(area.within(district.buffer(1e-5)) for area in areas)


@pytest.mark.django_db
@pytest.mark.parametrize("fact", TEHRAN_DISTRICTS, ids=lambda fact: f"district-{fact.number}")
def test_every_published_inside_point_lies_in_its_own_approximate_district(org_tree, fact):
    lat, lon = fact.inside

    district = unit_for_point(lat=lat, lon=lon)
    area = area_for_point(lat=lat, lon=lon)

    assert district is not None
    assert district.code == f"district-{fact.number}"
    assert area is not None
    assert area.parent_id == district.pk


@pytest.mark.django_db
def test_seed_org_twice_changes_nothing(org_tree):
    before = (Unit.objects.count(), Unit.objects.aggregate(changed=Max("updated_at"))["changed"])
    memberships = Membership.objects.count()
    users = get_user_model().objects.count()

    seed_org()

    assert (Unit.objects.count(), Unit.objects.aggregate(changed=Max("updated_at"))["changed"]) == before
    assert Membership.objects.count() == memberships
    assert get_user_model().objects.count() == users


@pytest.mark.django_db
def test_seed_org_repairs_a_renamed_and_moved_unit(org_tree, district7):
    district6 = Unit.objects.get(code="district-6")
    district6.name = "نام اشتباه"
    district6.save(update_fields=["name"])
    org_parks = Unit.objects.get(code="org-parks")
    Unit.objects.filter(pk=org_parks.pk).update(
        parent=district7, path=district7.path + f"{org_parks.pk:06d}/"
    )

    seed_org()

    assert Unit.objects.get(code="district-6").name == "منطقه ۶"
    repaired = Unit.objects.get(code="org-parks")
    assert repaired.parent == org_tree
    assert repaired.path == org_tree.path + f"{org_parks.pk:06d}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "unit_code", "role"),
    [
        ("supervisor", "center", Membership.Role.SUPERVISOR),
        ("officer6", "district-6", Membership.Role.OFFICER),
        ("officer7", "district-7", Membership.Role.OFFICER),
        ("manager6", "district-6", Membership.Role.MANAGER),
        ("agent", "center", Membership.Role.AGENT),
        ("admin", "center", Membership.Role.ADMIN),
    ],
)
def test_staff_personas_hold_their_one_membership(org_tree, username, unit_code, role):
    membership = Membership.objects.get(user__username=username)

    assert (membership.unit.code, membership.role, membership.is_active) == (unit_code, role, True)


@pytest.mark.django_db
def test_personas_sign_in_with_the_demo_password_and_only_admin_reaches_django_admin(org_tree):
    users = get_user_model().objects.filter(
        username__in=["supervisor", "officer6", "officer7", "manager6", "agent", "admin", "integrity"]
    )

    assert users.count() == 7
    # Hashing is slow on purpose: the personas share one hash, so checking one checks them all.
    assert len({user.password for user in users}) == 1
    assert users.get(username="officer6").check_password(DEMO_PASSWORD)
    assert {user.username for user in users if user.is_staff or user.is_superuser} == {"admin"}
    assert not Membership.objects.filter(user__username="integrity").exists()


@pytest.mark.django_db
def test_citizen_personas_have_verified_mobiles_and_no_password(citizen, citizen_b):
    assert (citizen.mobile, citizen_b.mobile) == ("09120000001", "09120000002")
    assert citizen.mobile_verified_at is not None
    assert citizen.has_usable_password() is False
    assert not Membership.objects.filter(user__in=[citizen, citizen_b]).exists()
