"""Forms of the citizen portal: they parse and clean fields; every rule lives in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from peygir.cases.attachments import MAX_PHOTOS, photo_clean
from peygir.catalog.models import Category, MessageType
from peygir.core.errors import ValidationError as DomainValidationError
from peygir.core.templatetags.peygir import tname
from peygir.core.text import normalize_mobile
from peygir.feedback.forms import SurveyForm

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; cleans to a list (empty when none were sent)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in items]


class RegisterForm(forms.Form):
    """A new message from the web: what, where, photos, and how to reach the citizen."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("موضوع پیام"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("موضوع پیام را انتخاب کنید."),
            "invalid_choice": _("این موضوع در فهرست نیست."),
        },
    )
    message_type = forms.ChoiceField(
        label=_("نوع پیام"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("نوع پیام را انتخاب کنید."),
            "invalid_choice": _("این نوع پیام در فهرست نیست."),
        },
    )
    description = forms.CharField(
        label=_("شرح پیام"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("هرچه دقیق‌تر بنویسید، رسیدگی سریع‌تر است: چه چیزی، از کی، و دقیقاً کجا."),
        error_messages={
            "required": _("شرح پیام را بنویسید."),
            "max_length": _("شرح پیام نباید بیشتر از ۵۰۰۰ نویسه باشد."),
        },
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = forms.CharField(
        label=_("نشانی"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("مثلاً: خیابان انقلاب، نرسیده به چهارراه ولیعصر، روبه‌روی پلاک ۱۲"),
        error_messages={"max_length": _("نشانی نباید بیشتر از ۵۰۰ نویسه باشد.")},
    )
    photos = MultipleFileField(
        label=_("عکس (اختیاری، حداکثر سه عکس)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_(
            "قالب JPEG، PNG یا WebP، هر عکس کمتر از ۵ مگابایت. اطلاعات مکان و دوربین از عکس پاک می‌شود."
        ),
    )
    contact_name = forms.CharField(
        label=_("نام و نام خانوادگی"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("نام نباید بیشتر از ۱۵۰ نویسه باشد.")},
    )
    contact_phone = forms.CharField(
        label=_("تلفن همراه"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "dir": "ltr",
                "placeholder": "09121234567",
            }
        ),
        help_text=_("کد رهگیری و پاسخ پیام به این شماره پیامک می‌شود."),
    )
    anonymous = forms.BooleanField(label=_("بی‌نام بفرست (نام و شماره‌ام ثبت نشود)"), required=False)

    def __init__(
        self, *args: Any, categories: list[Category], message_types: list[MessageType], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.categories = categories
        cat_field = self.fields["category"]
        assert isinstance(cat_field, forms.ChoiceField)
        cat_field.choices = [(c.code, tname(c)) for c in categories]
        type_field = self.fields["message_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [(t.code, tname(t)) for t in message_types]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
            if message_types:
                self.initial.setdefault("message_type", message_types[0].code)

    def clean_contact_phone(self) -> str:
        value = (self.cleaned_data.get("contact_phone") or "").strip()
        if value and normalize_mobile(value) is None:
            raise forms.ValidationError(_("شماره تلفن همراه نامعتبر است؛ مانند ۰۹۱۲۱۲۳۴۵۶۷."))
        return normalize_mobile(value) or ""

    def clean_photos(self) -> list[bytes]:
        files: list[UploadedFile] = self.cleaned_data.get("photos") or []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("حداکثر سه عکس برای هر پیام پذیرفته می‌شود."))
        photos: list[bytes] = []
        for upload in files:
            data = upload.read()
            try:
                # Checked here so that a bad photo stops the registration before anything is stored.
                photo_clean(data)
            except DomainValidationError as exc:
                raise forms.ValidationError(
                    _("«%(name)s»: %(error)s") % {"name": upload.name, "error": exc.detail}
                ) from exc
            photos.append(data)
        return photos

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            raise forms.ValidationError(_("مکان روی نقشه ناقص است؛ دوباره روی نقشه بزنید."))
        return cleaned

    def category_rows(self) -> list[tuple[Category, bool]]:
        """The categories with whether each is the chosen one, for the card grid."""
        chosen = self["category"].value()
        return [(c, c.code == chosen) for c in self.categories]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("کد رهگیری"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", "placeholder": "۱۲۳۴۵۶۷۸۹"}
        ),
        error_messages={"required": _("کد رهگیری را وارد کنید.")},
    )


class PhoneForm(forms.Form):
    mobile = forms.CharField(
        label=_("شماره تلفن همراه"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "dir": "ltr",
                "placeholder": "09121234567",
            }
        ),
        error_messages={"required": _("شماره تلفن همراه را وارد کنید.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("کد شش‌رقمی"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "placeholder": "۱۲۳۴۵۶",
            }
        ),
        error_messages={"required": _("کد پیامک‌شده را وارد کنید.")},
    )


class RatingForm(SurveyForm):
    """The signed-in citizen's rating on their case page: the survey's fields and rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fixed"].label = _("مشکل رفع شد؟")


class NoteForm(forms.Form):
    """A required text for objections and replies to the officer's question."""

    note = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        error_messages={
            "required": _("این بخش را بنویسید."),
            "max_length": _("متن نباید بیشتر از ۴۰۰۰ نویسه باشد."),
        },
    )

    def __init__(self, *args: Any, label: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
