"""Writes to the routing configuration."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from peygir.catalog.models import Category
from peygir.core.errors import ValidationError
from peygir.org.models import Unit
from peygir.routing.models import RoutingRule


@transaction.atomic
def routing_rule_set(
    *,
    category: Category,
    unit: Unit,
    district: Unit | None = None,
    area: Unit | None = None,
    channel: str = "",
    note: str = "",
) -> RoutingRule:
    """Make ``unit`` the target for (category, district or area, channel), replacing the active rule
    for that key if there is one (the same row is updated, so it is idempotent).

    Raises ValidationError when both district and area are given, when they are not a district and
    an area, or for an unknown channel.
    """
    if district is not None and area is not None:
        raise ValidationError(_("قاعده یا برای منطقه است یا برای ناحیه، نه هر دو."), code="district_and_area")
    if district is not None and district.kind != Unit.Kind.DISTRICT:
        raise ValidationError(_("واحد انتخاب‌شده منطقه نیست."), code="not_a_district")
    if area is not None and area.kind != Unit.Kind.AREA:
        raise ValidationError(_("واحد انتخاب‌شده ناحیه نیست."), code="not_an_area")
    if channel and channel not in RoutingRule.Channel.values:
        raise ValidationError(_("کانال ناشناخته است."), code="unknown_channel")
    rule = (
        RoutingRule.objects.select_for_update()
        .filter(category=category, district=district, area=area, channel=channel, is_active=True)
        .order_by("pk")
        .first()
    )
    if rule is None:
        return RoutingRule.objects.create(
            category=category, district=district, area=area, channel=channel, unit=unit, note=note
        )
    if rule.unit_id != unit.pk or rule.note != note:
        rule.unit = unit
        rule.note = note
        rule.save(update_fields=["unit", "note"])
    return rule


def routing_rule_deactivate(*, rule: RoutingRule) -> RoutingRule:
    """Switch a rule off (kept for history); routing falls back to the next most specific rule."""
    if rule.is_active:
        rule.is_active = False
        rule.save(update_fields=["is_active"])
    return rule
