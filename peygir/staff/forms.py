"""Forms of the staff pages: they parse what people type; the rules stay in services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peygir.cases.models import Case
from peygir.cases.selectors import KARTABLE_PAGE_TABS
from peygir.core.jalali import JalaliParseError, parse_date

SPECIAL_CHOICES = [("", _("همه")), ("yes", _("فقط ویژه")), ("no", _("غیرویژه"))]
ORDER_CHOICES = [
    ("deadline", _("نزدیک‌ترین مهلت")),
    ("-created", _("جدیدترین")),
    ("created", _("قدیمی‌ترین")),
]


class JalaliDateField(forms.Field):
    """A Jalali date typed as ۱۴۰۵/۰۹/۰۱ (Persian, Arabic or Latin digits) → a Gregorian date."""

    def to_python(self, value: Any) -> dt.date | None:
        text = str(value or "").strip()[:20]
        if not text:
            return None
        try:
            return parse_date(text)
        except JalaliParseError as exc:
            raise forms.ValidationError(
                _("تاریخ «%(value)s» درست نیست؛ آن را مانند ۱۴۰۵/۰۹/۰۱ بنویسید."),
                code="bad_date",
                params={"value": text},
            ) from exc


class KartableFilterForm(forms.Form):
    """The kartable's tab, filters, search and sort. A bad field is reported and then ignored."""

    tab = forms.ChoiceField(required=False, choices=[(tab, tab) for tab in KARTABLE_PAGE_TABS])
    q = forms.CharField(required=False, max_length=200, label=_("جست‌وجو"))
    type = forms.ChoiceField(required=False, label=_("نوع پیام"))
    category = forms.ChoiceField(required=False, label=_("دسته"))
    channel = forms.ChoiceField(
        required=False, label=_("کانال"), choices=[("", _("همه")), *Case.Channel.choices]
    )
    priority = forms.ChoiceField(required=False, label=_("اولویت"))
    unit = forms.ChoiceField(required=False, label=_("منطقه / ناحیه / واحد"))
    special = forms.ChoiceField(required=False, label=_("پرونده ویژه"), choices=SPECIAL_CHOICES)
    created_from = JalaliDateField(required=False, label=_("از تاریخ"))
    created_to = JalaliDateField(required=False, label=_("تا تاریخ"))
    sort = forms.ChoiceField(required=False, label=_("ترتیب"), choices=ORDER_CHOICES)

    def __init__(
        self,
        data: Any,
        *,
        types: list[tuple[str, str]],
        categories: list[tuple[str, str]],
        priorities: list[tuple[str, str]],
        units: list[tuple[str, str]],
    ):
        super().__init__(data)
        everything = [("", _("همه"))]
        self.fields["type"].choices = everything + types  # type: ignore[attr-defined]
        self.fields["category"].choices = everything + categories  # type: ignore[attr-defined]
        self.fields["priority"].choices = everything + priorities  # type: ignore[attr-defined]
        self.fields["unit"].choices = everything + units  # type: ignore[attr-defined]

    def clean_created_to(self) -> dt.date | None:
        start, end = self.cleaned_data.get("created_from"), self.cleaned_data.get("created_to")
        if start and end and end < start:
            raise forms.ValidationError(_("«تا تاریخ» نباید پیش از «از تاریخ» باشد."), code="bad_range")
        return end

    def valid_data(self) -> dict[str, Any]:
        """The fields that parsed (the bad ones left out), after ``is_valid()``."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(self) -> dict[str, Any]:
        """The selector keyword arguments (case_list_for_unit, kartable_tab_counts)."""
        data = self.valid_data()
        special = {"yes": True, "no": False}.get(data.get("special") or "")
        return {
            "category": data.get("category") or None,
            "message_type": data.get("type") or None,
            "channel": data.get("channel") or None,
            "priority": data.get("priority") or None,
            "unit": data.get("unit") or None,
            "special": special,
            "created_from": data.get("created_from"),
            "created_to": data.get("created_to"),
            "query": (data.get("q") or "").strip() or None,
        }

    def current_tab(self) -> str:
        return self.valid_data().get("tab") or "open"

    def current_order(self) -> str:
        return self.valid_data().get("sort") or "deadline"


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("نام کاربری"))
    password = forms.CharField(max_length=200, label=_("گذرواژه"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(max_length=12, label=_("کد شش‌رقمی"))
