"""Demo routing: the city-wide owners of the city-wide categories and a few rules that show how the
most specific rule wins. Needs ``org.demo.seed_org`` and the categories (catalog's data migration)
first; categories that do not exist yet are skipped."""

from __future__ import annotations

from django.db import transaction

from peygir.catalog.models import Category
from peygir.org.models import Unit
from peygir.routing.services import routing_rule_set

# Category code → the unit code that answers it city-wide when no rule applies.
CATEGORY_DEFAULT_UNITS: dict[str, str] = {
    "traffic": "deputy-transport",
    "transit": "company-bus",
    "social": "deputy-social",
    "finance": "deputy-finance",
    "safety": "org-fire",
    "culture": "org-culture",
}

# (category, district code or None, area code or None, channel, target unit code, note)
DEMO_RULES: tuple[tuple[str, str | None, str | None, str, str, str], ...] = (
    # Shahr-e Rey's industrial belt: hazards go to crisis management rather than the fire service.
    ("safety", "district-20", None, "", "org-crisis", "کمربند صنعتی شهرری"),
    # Chitgar forest park and lake are run city-wide by the parks organization, not by district 22.
    ("green", "district-22", None, "", "org-parks", "پارک جنگلی چیتگر"),
    # The old city centre around the bazaar: social harms go straight to the welfare organization.
    ("social", "district-12", None, "", "org-welfare", "بافت مرکزی و بازار"),
)


@transaction.atomic
def seed_routing() -> None:
    """Set the categories' default units and the demo rules; safe to run again."""
    units = {unit.code: unit for unit in Unit.objects.all()}
    for code, unit_code in CATEGORY_DEFAULT_UNITS.items():
        Category.objects.filter(code=code).update(default_unit=units[unit_code])
    categories = {category.code: category for category in Category.objects.all()}
    for category_code, district_code, area_code, channel, unit_code, note in DEMO_RULES:
        category = categories.get(category_code)
        if category is None:
            continue
        routing_rule_set(
            category=category,
            unit=units[unit_code],
            district=units[district_code] if district_code else None,
            area=units[area_code] if area_code else None,
            channel=channel,
            note=note,
        )
