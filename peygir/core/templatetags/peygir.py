"""Template filters for Persian pages: Jalali dates and Persian digits, only where a person reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from peygir.core import jalali
from peygir.core.text import to_persian_digits

register = template.Library()


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


@register.filter
def digits(value: Any) -> str:
    """Persian digits in the Persian interface, Latin in English."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if _persian() else text


@register.filter
def jdate(value: dt.date | dt.datetime | None, style: str = "") -> str:
    """A Jalali date (1405/09/08, or "8 آذر 1405" with "long"); Gregorian ISO in English."""
    if value is None:
        return ""
    if not _persian():
        local = timezone.localtime(value) if isinstance(value, dt.datetime) else value
        return local.strftime("%Y-%m-%d")
    return jalali.format_date(value, long=style == "long")


@register.filter
def jdatetime(value: dt.datetime | None, style: str = "") -> str:
    if value is None:
        return ""
    if not _persian():
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return jalali.format_datetime(value, long=style == "long")


@register.filter
def remaining(deadline: dt.datetime | None) -> str:
    """Time left until a deadline ("۲ روز و ۳ ساعت" / "2 d 3 h"), negative past it."""
    if deadline is None:
        return ""
    seconds = int((deadline - timezone.now()).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if _persian():
        parts = []
        if days:
            parts.append(f"{days} روز")
        if hours:
            parts.append(f"{hours} ساعت")
        if not days and minutes:
            parts.append(f"{minutes} دقیقه")
        text = " و ".join(parts) or "کمتر از یک دقیقه"
        text = to_persian_digits(text)
        return f"{text} تأخیر" if late else f"{text} مانده"
    parts_en = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if not days and minutes else "",
    ]
    text_en = " ".join(p for p in parts_en if p) or "< 1 min"
    return f"{text_en} late" if late else f"{text_en} left"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for paging and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def tname(obj: Any) -> str:
    """A unit's, category's or type's name in the page's language (``name_en`` in English, when set)."""
    if obj is None:
        return ""
    if not _persian():
        english = getattr(obj, "name_en", "")
        if english:
            return str(english)
    return str(getattr(obj, "name", obj))
