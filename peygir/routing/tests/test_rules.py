from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from peygir.catalog.models import Category
from peygir.core.errors import ValidationError
from peygir.org.demo import TEHRAN_DISTRICTS
from peygir.org.models import Unit
from peygir.routing.demo import CATEGORY_DEFAULT_UNITS, seed_routing
from peygir.routing.models import RoutingRule
from peygir.routing.selectors import decide_unit
from peygir.routing.services import routing_rule_deactivate, routing_rule_set

TAXONOMY = {
    "waste": "district",
    "green": "district",
    "traffic": "deputy",
    "transit": "organization",
    "social": "deputy",
    "finance": "deputy",
    "safety": "organization",
    "culture": "organization",
}


@pytest.fixture
def categories(db) -> dict[str, Category]:
    return {
        code: Category.objects.get_or_create(
            code=code, defaults={"name": code, "name_en": code, "unit_kind": kind, "sla_hours": 24}
        )[0]
        for code, kind in TAXONOMY.items()
    }


@pytest.mark.django_db
def test_a_rule_cannot_name_both_a_district_and_an_area(categories, district6):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            category=categories["waste"],
            district=district6,
            area=Unit.objects.get(code="district-6-area-1"),
            unit=Unit.objects.get(code="org-waste"),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["city", "district", "area"])
def test_two_active_rules_for_the_same_key_are_refused_even_city_wide(categories, scope):
    where = {
        "city": {},
        "district": {"district": Unit.objects.get(code="district-6")},
        "area": {"area": Unit.objects.get(code="district-6-area-1")},
    }[scope]
    RoutingRule.objects.create(category=categories["waste"], unit=Unit.objects.get(code="org-waste"), **where)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            category=categories["waste"], unit=Unit.objects.get(code="org-parks"), **where
        )

    assert RoutingRule.objects.filter(category=categories["waste"]).count() == 1


@pytest.mark.django_db
def test_an_inactive_rule_leaves_room_for_a_new_one(categories):
    old = RoutingRule.objects.create(category=categories["waste"], unit=Unit.objects.get(code="org-waste"))
    routing_rule_deactivate(rule=old)

    new = RoutingRule.objects.create(category=categories["waste"], unit=Unit.objects.get(code="org-parks"))

    assert RoutingRule.objects.get(is_active=True, category=categories["waste"]) == new


@pytest.mark.django_db
def test_routing_rule_set_updates_the_active_rule_in_place(categories, district6):
    first = routing_rule_set(
        category=categories["green"], district=district6, unit=Unit.objects.get(code="org-parks")
    )

    again = routing_rule_set(
        category=categories["green"],
        district=district6,
        unit=Unit.objects.get(code="org-waste"),
        note="تغییر",
    )

    assert again.pk == first.pk
    rule = RoutingRule.objects.get(category=categories["green"])
    assert (rule.unit.code, rule.note) == ("org-waste", "تغییر")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"district": "district-6", "area": "district-6-area-1"}, "district_and_area"),
        ({"district": "district-6-area-1"}, "not_a_district"),
        ({"area": "district-6"}, "not_an_area"),
        ({"channel": "fax"}, "unknown_channel"),
    ],
)
def test_routing_rule_set_rejects_a_malformed_rule(categories, kwargs, code):
    resolved: dict[str, Any] = {
        key: Unit.objects.get(code=value) if key != "channel" else value for key, value in kwargs.items()
    }

    with pytest.raises(ValidationError) as error:
        routing_rule_set(category=categories["waste"], unit=Unit.objects.get(code="org-waste"), **resolved)

    assert error.value.code == code
    assert not RoutingRule.objects.exists()


@pytest.mark.django_db
def test_seed_routing_sets_default_units_and_example_rules_idempotently(categories):
    seed_routing()
    seed_routing()

    defaults = {
        category.code: category.default_unit.code if category.default_unit else None
        for category in Category.objects.filter(code__in=CATEGORY_DEFAULT_UNITS).select_related(
            "default_unit"
        )
    }
    assert defaults == CATEGORY_DEFAULT_UNITS
    rules = {
        (rule.category.code, rule.district.code if rule.district else None, rule.unit.code)
        for rule in RoutingRule.objects.all()
    }
    assert rules == {
        ("safety", "district-20", "org-crisis"),
        ("green", "district-22", "org-parks"),
        ("social", "district-12", "org-welfare"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category_code", "district", "expected"),
    [
        ("safety", 20, "org-crisis"),
        ("safety", 6, "org-fire"),
        ("green", 22, "org-parks"),
        ("green", 21, "district-21"),
        ("social", 12, "org-welfare"),
        ("social", 6, "deputy-social"),
        ("transit", 6, "company-bus"),
    ],
)
def test_demo_routing_shows_the_specific_rule_beating_the_default(
    categories, category_code, district, expected
):
    seed_routing()
    lat, lon = next(fact.inside for fact in TEHRAN_DISTRICTS if fact.number == district)

    decision = decide_unit(category=Category.objects.get(code=category_code), lat=lat, lon=lon, channel="web")

    assert decision.unit.code == expected
