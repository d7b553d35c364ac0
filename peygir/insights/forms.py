"""Forms of the insights app (Persian labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peygir.core.geo import valid_lat_lon
from peygir.core.text import normalize_text


class CheckForm(forms.Form):
    """What the register page sends for the pre-submit check (all of it still unsaved)."""

    description = forms.CharField(
        label=_("شرح"),
        max_length=5000,
        required=False,
        error_messages={"max_length": _("شرح پیام نباید بیشتر از ۵۰۰۰ نویسه باشد.")},
    )
    category = forms.SlugField(label=_("دسته"), max_length=32, required=False)
    lat = forms.FloatField(
        label=_("عرض جغرافیایی"), required=False, error_messages={"invalid": _("مختصات نامعتبر است.")}
    )
    lon = forms.FloatField(
        label=_("طول جغرافیایی"), required=False, error_messages={"invalid": _("مختصات نامعتبر است.")}
    )

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data.get("description"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) or (
            lat is not None and lon is not None and not valid_lat_lon(lat, lon)
        ):
            raise forms.ValidationError(_("مختصات نامعتبر است."), code="bad_location")
        return data
