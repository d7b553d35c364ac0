"""Forms at the Jalali edge: holidays are typed and shown as Jalali dates, stored as Gregorian."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peygir.core.jalali import JalaliParseError, format_date, parse_date

from .models import Holiday


class JalaliDateField(forms.CharField):
    """A date typed as Jalali text (۱۴۰۵/۰۱/۰۱, 1405-1-1, …) that cleans to a Gregorian ``date``."""

    default_error_messages = {
        "invalid_jalali": _("تاریخ شمسی معتبر نیست؛ آن را به شکل ۱۴۰۵/۰۱/۰۱ بنویسید."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"size": 12, "dir": "ltr", "placeholder": "۱۴۰۵/۰۱/۰۱"})
        )
        kwargs.setdefault("help_text", _("به شکل ۱۴۰۵/۰۱/۰۱"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return format_date(value)
        return value

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except JalaliParseError as exc:
            raise forms.ValidationError(self.error_messages["invalid_jalali"], code="invalid_jalali") from exc

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (
                initial if isinstance(initial, dt.date) else self.to_python(initial)
            )
        except forms.ValidationError:
            return True


class HolidayForm(forms.ModelForm):
    """A holiday with its date entered as Jalali text."""

    date = JalaliDateField(label=_("تاریخ (شمسی)"))

    class Meta:
        model = Holiday
        fields = ["calendar", "date", "name", "kind"]
