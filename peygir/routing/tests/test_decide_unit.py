"""The routing table: category × point × channel × rules present → the unit that answers."""

from __future__ import annotations

from typing import Any

import pytest

from peygir.catalog.models import Category
from peygir.org.demo import TEHRAN_DISTRICTS
from peygir.org.models import Unit
from peygir.org.selectors import area_for_point
from peygir.routing.models import RoutingReason, RoutingRule
from peygir.routing.selectors import decide_unit

R = RoutingReason


def _inside(number: int) -> tuple[float, float]:
    return next(fact.inside for fact in TEHRAN_DISTRICTS if fact.number == number)


POINTS: dict[str, tuple[float, float] | None] = {
    "d6": _inside(6),
    "d7": _inside(7),
    "isfahan": (32.6539, 51.6660),
    "none": None,
}

CATEGORIES = {
    "waste": ("پسماند و نظافت شهری", Category.UnitKind.DISTRICT),
    "traffic": ("ترافیک، علائم و پارکینگ", Category.UnitKind.DEPUTY),
}


def category(code: str, default_unit: str | None = None) -> Category:
    name, unit_kind = CATEGORIES[code]
    found, _ = Category.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": code, "unit_kind": unit_kind, "sla_hours": 24}
    )
    found.default_unit = Unit.objects.get(code=default_unit) if default_unit else None
    found.save(update_fields=["default_unit"])
    return found


def scope_unit(scope: str) -> dict[str, Unit | None]:
    """ "area6" is the area holding district 6's inside point; "other-area6" another area of district 6."""
    here = area_for_point(lat=_inside(6)[0], lon=_inside(6)[1])
    assert here is not None
    if scope == "area6":
        return {"area": here}
    if scope == "other-area6":
        return {
            "area": Unit.objects.filter(parent=here.parent, kind=Unit.Kind.AREA).exclude(pk=here.pk).first()
        }
    if scope in ("district6", "district7"):
        return {"district": Unit.objects.get(code=f"district-{scope[-1]}")}
    return {}


# (scope, channel, target unit code[, active])
ALL_LEVELS = [
    ("area6", "sms", "org-waste"),
    ("area6", "", "org-parks"),
    ("district6", "sms", "org-fire"),
    ("district6", "", "org-taxi"),
    ("city", "sms", "org-culture"),
    ("city", "", "org-welfare"),
]
NO_AREA = ALL_LEVELS[2:]
CITY_ONLY = ALL_LEVELS[4:]

TABLE: list[tuple[Any, ...]] = [
    # category, default unit, point, channel, rules, expected unit, expected reason
    ("waste", None, "d6", "sms", ALL_LEVELS, "org-waste", R.AREA_CHANNEL_RULE),
    ("waste", None, "d6", "web", ALL_LEVELS, "org-parks", R.AREA_RULE),
    ("waste", None, "d6", "sms", NO_AREA, "org-fire", R.DISTRICT_CHANNEL_RULE),
    ("waste", None, "d6", "web", NO_AREA, "org-taxi", R.DISTRICT_RULE),
    ("waste", None, "d6", "sms", CITY_ONLY, "org-culture", R.CHANNEL_RULE),
    ("waste", None, "d6", "web", CITY_ONLY, "org-welfare", R.CITY_RULE),
    ("waste", None, "d7", "sms", ALL_LEVELS, "org-culture", R.CHANNEL_RULE),
    ("waste", None, "d7", "web", ALL_LEVELS, "org-welfare", R.CITY_RULE),
    ("waste", None, "none", "sms", ALL_LEVELS, "org-culture", R.CHANNEL_RULE),
    ("waste", None, "isfahan", "web", ALL_LEVELS, "org-welfare", R.CITY_RULE),
    ("waste", None, "d6", "web", [("other-area6", "", "org-parks")], "district-6", R.DISTRICT_OF_POINT),
    ("waste", None, "d6", "web", [("district7", "", "org-parks")], "district-6", R.DISTRICT_OF_POINT),
    ("waste", None, "d6", "web", [("district6", "", "org-parks", False)], "district-6", R.DISTRICT_OF_POINT),
    ("waste", None, "d6", "web", [], "district-6", R.DISTRICT_OF_POINT),
    ("waste", None, "d7", "phone", [], "district-7", R.DISTRICT_OF_POINT),
    ("waste", "deputy-urban-services", "d6", "web", [], "district-6", R.DISTRICT_OF_POINT),
    ("waste", "deputy-urban-services", "none", "web", [], "deputy-urban-services", R.CATEGORY_DEFAULT),
    ("waste", None, "none", "web", [], "center", R.CENTER),
    ("waste", None, "isfahan", "web", [], "center", R.CENTER),
    ("traffic", "deputy-transport", "d6", "web", [], "deputy-transport", R.CATEGORY_DEFAULT),
    ("traffic", "deputy-transport", "none", "bot", [], "deputy-transport", R.CATEGORY_DEFAULT),
    (
        "traffic",
        "deputy-transport",
        "d6",
        "web",
        [("district6", "", "org-taxi")],
        "org-taxi",
        R.DISTRICT_RULE,
    ),
    ("traffic", None, "d6", "web", [], "center", R.CENTER),
    ("traffic", None, "isfahan", "web", [], "center", R.CENTER),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category_code", "default_unit", "point", "channel", "rules", "expected_unit", "expected_reason"),
    TABLE,
    ids=[f"{row[0]}-{row[2]}-{row[3]}-{len(row[4])}rules-{row[6].value}-{i}" for i, row in enumerate(TABLE)],
)
def test_decide_unit_routing_table(
    org_tree, category_code, default_unit, point, channel, rules, expected_unit, expected_reason
):
    subject = category(category_code, default_unit)
    created = {}
    for scope, rule_channel, target, *active in rules:
        created[(scope, rule_channel)] = RoutingRule.objects.create(
            category=subject,
            channel=rule_channel,
            unit=Unit.objects.get(code=target),
            is_active=active[0] if active else True,
            **scope_unit(scope),
        )
    location = POINTS[point]
    lat, lon = location if location is not None else (None, None)

    decision = decide_unit(category=subject, lat=lat, lon=lon, channel=channel)

    assert (decision.unit.code, decision.reason) == (expected_unit, expected_reason)
    if expected_reason in (R.DISTRICT_OF_POINT, R.CATEGORY_DEFAULT, R.CENTER):
        assert decision.rule is None
    else:
        assert decision.rule is not None
        assert decision.rule.unit.code == expected_unit


@pytest.mark.django_db
def test_decision_carries_the_district_and_area_of_the_point(district6):
    lat, lon = _inside(6)

    decision = decide_unit(category=category("waste"), lat=lat, lon=lon, channel="web")

    assert decision.district == district6
    assert decision.area == area_for_point(lat=lat, lon=lon)
    assert decision.area is not None
    assert decision.area.parent_id == district6.pk


@pytest.mark.django_db
def test_decision_without_a_point_has_no_district_or_area(org_tree):
    decision = decide_unit(category=category("waste"), lat=None, lon=None, channel="web")

    assert (decision.district, decision.area, decision.unit) == (None, None, org_tree)


@pytest.mark.django_db
def test_a_rule_pointing_at_an_inactive_unit_is_skipped(org_tree):
    subject = category("waste")
    taxi = Unit.objects.get(code="org-taxi")
    RoutingRule.objects.create(category=subject, district=Unit.objects.get(code="district-6"), unit=taxi)
    RoutingRule.objects.create(category=subject, unit=Unit.objects.get(code="org-welfare"))
    taxi.is_active = False
    taxi.save(update_fields=["is_active", "updated_at"])
    lat, lon = _inside(6)

    decision = decide_unit(category=subject, lat=lat, lon=lon, channel="web")

    assert (decision.unit.code, decision.reason) == ("org-welfare", R.CITY_RULE)


@pytest.mark.django_db
def test_an_inactive_default_unit_falls_back_to_the_center(org_tree):
    subject = category("traffic", "deputy-transport")
    Unit.objects.filter(code="deputy-transport").update(is_active=False)
    subject.refresh_from_db()

    decision = decide_unit(category=subject, lat=None, lon=None, channel="web")

    assert (decision.unit, decision.reason) == (org_tree, R.CENTER)
