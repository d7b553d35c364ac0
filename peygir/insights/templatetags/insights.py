"""Template filters of the insights pages."""

from __future__ import annotations

from typing import Any

from django import template

from peygir.core.text import to_persian_digits

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.873 → "۸۷" (a probability as a whole percentage, Persian digits)."""
    try:
        return to_persian_digits(round(float(value) * 100))
    except (TypeError, ValueError):
        return ""
