"""Forms of the call-center pages: Persian labels and messages; services do the real checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peygir.catalog.models import Category
from peygir.core.jalali import JalaliParseError, parse_date
from peygir.core.text import normalize_text, to_latin_digits

from .models import AgentState, Call, Expert

REQUIRED = {"required": _("این قسمت را پر کنید.")}


class StateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("وضعیت"),
        choices=[
            (s.value, s.label)
            for s in (AgentState.State.AVAILABLE, AgentState.State.BREAK, AgentState.State.OFFLINE)
        ],
        error_messages={**REQUIRED, "invalid_choice": _("این وضعیت را نمی‌توان انتخاب کرد.")},
    )


class RegisterCaseForm(forms.Form):
    category = forms.ChoiceField(
        label=_("دسته موضوعی"),
        error_messages={**REQUIRED, "invalid_choice": _("دسته را از فهرست انتخاب کنید.")},
    )
    message_type = forms.ChoiceField(label=_("نوع پیام"), error_messages=REQUIRED)
    place = forms.ChoiceField(
        label=_("منطقه / ناحیه"),
        required=False,
        error_messages={"invalid_choice": _("منطقه را از فهرست انتخاب کنید.")},
    )
    address = forms.CharField(label=_("نشانی"), required=False, max_length=500)
    description = forms.CharField(
        label=_("شرح پیام"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages=REQUIRED,
    )
    contact_name = forms.CharField(label=_("نام تماس‌گیرنده"), required=False, max_length=150)
    contact_phone = forms.CharField(label=_("تلفن همراه برای پیامک"), required=False, max_length=20)

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[str, str]],
        types: list[tuple[str, str]],
        places: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("— انتخاب دسته —")), *categories]  # type: ignore[attr-defined]
        self.fields["message_type"].choices = types  # type: ignore[attr-defined]
        self.fields["place"].choices = [("", _("— بدون منطقه —")), *places]  # type: ignore[attr-defined]


class LookupForm(forms.Form):
    q = forms.CharField(label=_("کد رهگیری یا شماره تلفن"), max_length=30, error_messages=REQUIRED)


class FollowUpForm(forms.Form):
    case = forms.UUIDField(error_messages={**REQUIRED, "invalid": _("پرونده نامعتبر است.")})
    note = forms.CharField(
        label=_("یادداشت پیگیری"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=REQUIRED,
    )


class TransferForm(forms.Form):
    target = forms.CharField(label=_("داخلی مقصد"), max_length=20, error_messages=REQUIRED)


class CloseForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("نتیجه تماس"),
        choices=Call.Disposition.choices,
        error_messages={**REQUIRED, "invalid_choice": _("نتیجه تماس را انتخاب کنید.")},
    )
    note = forms.CharField(
        label=_("یادداشت"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("عنوان"), max_length=200, error_messages=REQUIRED)
    body = forms.CharField(label=_("متن"), widget=forms.Textarea(attrs={"rows": 10}), error_messages=REQUIRED)
    categories = forms.ModelMultipleChoiceField(
        label=_("دسته‌ها"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_published = forms.BooleanField(label=_("منتشر شود"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _jalali_datetime(day: str, time: str) -> Any:
    import datetime as dt

    from django.utils import timezone

    try:
        date = parse_date(day)
    except JalaliParseError as exc:
        raise forms.ValidationError(_("تاریخ را شمسی بنویسید، مانند ۱۴۰۵/۰۹/۰۱.")) from exc
    try:
        hour, minute = (int(part) for part in to_latin_digits(time).split(":"))
        moment = dt.datetime.combine(date, dt.time(hour, minute))
    except ValueError as exc:
        raise forms.ValidationError(_("ساعت را مانند ۱۰:۳۰ بنویسید.")) from exc
    return timezone.make_aware(moment)


class SlotPublishForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("کارشناس"), queryset=Expert.objects.filter(is_active=True), error_messages=REQUIRED
    )
    day = forms.CharField(label=_("تاریخ (شمسی)"), max_length=20, error_messages=REQUIRED)
    time = forms.CharField(label=_("ساعت شروع"), max_length=5, error_messages=REQUIRED)
    count = forms.IntegerField(label=_("تعداد نوبت"), min_value=1, max_value=40, initial=4)
    minutes = forms.IntegerField(label=_("مدت هر نوبت (دقیقه)"), min_value=5, max_value=120, initial=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("time"):
            data["first"] = _jalali_datetime(data["day"], data["time"])
        return data


class ExpertForm(forms.Form):
    username = forms.CharField(label=_("نام کاربری کارمند"), max_length=150, error_messages=REQUIRED)
    topic = forms.ChoiceField(label=_("موضوع"), choices=Expert.Topic.choices, error_messages=REQUIRED)
    title = forms.CharField(label=_("عنوان نمایشی"), max_length=150, error_messages=REQUIRED)


class BookingForm(forms.Form):
    subject = forms.CharField(
        label=_("موضوع مشاوره"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )

    def clean_subject(self) -> str:
        return normalize_text(self.cleaned_data["subject"])


class AgentBookingForm(BookingForm):
    phone = forms.CharField(label=_("تلفن همراه شهروند"), max_length=20, error_messages=REQUIRED)
    name = forms.CharField(label=_("نام شهروند"), max_length=150, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("نتیجه مشاوره"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    no_show = forms.BooleanField(label=_("شهروند پاسخ نداد"), required=False)
    case_category = forms.ChoiceField(label=_("ثبت پرونده در دسته"), required=False)
    case_description = forms.CharField(
        label=_("شرح پرونده"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_category"].choices = [("", _("— پرونده‌ای ثبت نشود —")), *categories]  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = forms.CharField(label=_("از تاریخ"), max_length=20, required=False)
    end = forms.CharField(label=_("تا تاریخ"), max_length=20, required=False)
    by = forms.ChoiceField(
        label=_("به تفکیک"),
        required=False,
        choices=[
            ("queue", _("صف")),
            ("agent", _("کارشناس")),
            ("hour", _("ساعت")),
            ("day", _("روز")),
            ("month", _("ماه")),
        ],
        error_messages={"invalid_choice": _("تفکیک نامعتبر است.")},
    )

    def clean_start(self) -> Any:
        return self._date("start")

    def clean_end(self) -> Any:
        return self._date("end")

    def _date(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if not value:
            return None
        try:
            return parse_date(value)
        except JalaliParseError as exc:
            raise forms.ValidationError(_("تاریخ را شمسی بنویسید، مانند ۱۴۰۵/۰۹/۰۱.")) from exc
