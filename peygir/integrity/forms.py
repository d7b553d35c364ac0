"""Forms of the integrity channel (Persian labels; what people write is normalised by the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, Report

TEXTAREA = {"rows": 4}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


class ReportForm(forms.Form):
    """The questionnaire: what, who, where, when, how the reporter knows; identity is optional."""

    what = forms.CharField(
        label=_("چه اتفاقی افتاده است؟"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    who = forms.CharField(
        label=_("چه کسانی درگیر بوده‌اند؟ (سمت یا واحد)"),
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        max_length=10000,
    )
    where = forms.CharField(label=_("کجا؟"), required=False, max_length=2000)
    when = forms.CharField(label=_("چه زمانی؟"), required=False, max_length=500)
    how_known = forms.CharField(
        label=_("از کجا از آن آگاه شده‌اید؟"),
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        max_length=10000,
    )
    identify = forms.BooleanField(
        label=_("می‌خواهم هویتم را به‌صورت محرمانه بگویم (اختیاری)"),
        required=False,
        help_text=_(
            "هویت جدا از گزارش و رمزنگاری‌شده نگه داشته می‌شود و فقط با تأیید امین به رسیدگی‌کننده نشان داده می‌شود."
        ),
    )
    name = forms.CharField(label=_("نام"), required=False, max_length=200)
    contact = forms.CharField(label=_("راه تماس"), required=False, max_length=200)
    evidence = MultipleFileField(label=_("پرونده‌های شاهد (اختیاری، حداکثر ۵ پرونده)"))

    def identity(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("identify"):
            return None
        return {"name": data.get("name", ""), "contact": data.get("contact", "")}

    def answers(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name, "") for name in ("what", "who", "where", "when", "how_known")
        }


class PhoneReportForm(ReportForm):
    """Filed by an agent for a caller: phone reports are confidential, so a name is required."""

    identify = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput())
    name = forms.CharField(label=_("نام تماس‌گیرنده"), max_length=200)
    contact = forms.CharField(label=_("راه تماس (اختیاری)"), required=False, max_length=200)
    note = forms.CharField(label=_("توضیح درباره تماس‌گیرنده (اختیاری)"), required=False, max_length=1000)

    def identity(self) -> dict[str, str] | None:
        data = self.cleaned_data
        return {"name": data["name"], "contact": data.get("contact", ""), "note": data.get("note", "")}


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("کد رسید"),
        max_length=80,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "inputmode": "numeric"}),
    )


class ReceiptChangeForm(forms.Form):
    receipt = forms.CharField(max_length=80, widget=forms.HiddenInput())
    new_receipt = forms.CharField(max_length=80, widget=forms.HiddenInput())
    confirm = forms.CharField(
        label=_("برای تأیید، پنج رقم آخر کد تازه را بنویسید"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "inputmode": "numeric"}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(label=_("پیام"), widget=forms.Textarea(attrs=TEXTAREA), max_length=10000)


class HandlerMessageForm(MessageForm):
    is_feedback = forms.BooleanField(label=_("این پیام بازخورد اقدام‌ها به گزارش‌دهنده است"), required=False)


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label=_("پرونده‌های شاهد"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("وضعیت تازه"), choices=Report.Status.choices)
    outcome = forms.ChoiceField(label=_("نتیجه (برای بستن)"), choices=Report.Outcome.choices, required=False)


class GrantForm(forms.Form):
    username = forms.CharField(label=_("نام کاربری رسیدگی‌کننده"), max_length=150)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("نوع تصمیم"), choices=Decision.Kind.choices)
    authority = forms.CharField(label=_("مرجع صالح (برای ارجاع)"), required=False, max_length=300)
    text = forms.CharField(label=_("متن تصمیم"), widget=forms.Textarea(attrs=TEXTAREA), max_length=10000)


class IdentityRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل نیاز به هویت گزارش‌دهنده"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("گذرواژه حساب"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RecoverForm(PasswordForm):
    recovery_key = forms.CharField(
        label=_("کلید بازیابی"),
        max_length=80,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
