"""Template filters of the staff pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from peygir.core.text import to_persian_digits

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """An amount in rials grouped by thousands: ۱۲٬۵۰۰٬۰۰۰ in Persian, 12,500,000 in English."""
    if value is None:
        return ""
    text = f"{int(value):,}"
    if (get_language() or "fa").startswith("fa"):
        return to_persian_digits(text.replace(",", "٬"))
    return text
