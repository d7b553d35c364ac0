"""How KPI values are written for people: Persian digits, percentages, hours and days."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peygir.core.text import to_persian_digits


def fa_number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "٬").replace(".", "٫")
    return to_persian_digits(text)


def fa_percent(value: float | None) -> str:
    return "—" if value is None else f"{fa_number(value * 100, 1)}٪"


def fa_duration(minutes: float | None) -> str:
    """Minutes as "۴۵ دقیقه", "۶٫۵ ساعت" or "۳٫۲ روز"."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return _("%(n)s دقیقه") % {"n": fa_number(minutes)}
    if minutes < 48 * 60:
        return _("%(n)s ساعت") % {"n": fa_number(minutes / 60, 1)}
    return _("%(n)s روز") % {"n": fa_number(minutes / 1440, 1)}


def fa_signed(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fa_number(abs(value), digits)}"
