"""Forms of the feedback pages: the survey (citizens), the quality review and the special-case flag
(137-center supervisors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_COMMENT, MAX_REVIEW_NOTE, ResponseReview


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("امتیاز شما به پاسخ"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("امتیازی از ۱ تا ۵ ستاره انتخاب کنید."),
            "invalid_choice": _("امتیاز باید عددی از ۱ تا ۵ باشد."),
        },
    )
    fixed = forms.TypedChoiceField(
        label=_("مشکل رفع شد یا پاسخ شما داده شد؟"),
        choices=[("yes", _("بله")), ("no", _("نه"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("بگویید مشکل رفع شد یا نه.")},
    )
    comment = forms.CharField(
        label=_("توضیح (اختیاری)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={"max_length": _("توضیح نباید بیشتر از ۱۰۰۰ نویسه باشد.")},
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("نتیجه بازبینی"),
        choices=ResponseReview.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("نتیجه بازبینی را انتخاب کنید."),
            "invalid_choice": _("نتیجه بازبینی را انتخاب کنید."),
        },
    )
    note = forms.CharField(
        label=_("توضیح (اختیاری)"),
        required=False,
        max_length=MAX_REVIEW_NOTE,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_REVIEW_NOTE}),
        error_messages={"max_length": _("توضیح نباید بیشتر از ۲۰۰۰ نویسه باشد.")},
    )
    response_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class SpecialForm(forms.Form):
    """Flag or unflag a special case; amounts are checked by ``case_set_special`` (whole rials)."""

    is_special = forms.TypedChoiceField(
        label=_("پرونده ویژه"),
        choices=[("yes", _("ویژه است")), ("no", _("ویژه نیست"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("بگویید پرونده ویژه است یا نه.")},
    )
    estimated = forms.CharField(
        label=_("ارزش مالی برآوردی (ریال)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
    realised = forms.CharField(
        label=_("ارزش مالی تحقق‌یافته (ریال)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("توضیح (اختیاری)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )
