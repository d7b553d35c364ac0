"""Forms of the evaluation pages: they parse input; the rules stay in services and selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .kpis import COMPONENTS
from .models import KpiWeights, Report
from .periods import Period, current_month, recent_periods


def period_choices() -> list[tuple[str, str]]:
    return [(period.key, period.label) for period in recent_periods()]


class PeriodForm(forms.Form):
    """The period picker (a recent month, season or year); a bad value falls back to this month."""

    period = forms.ChoiceField(required=False, label=_("دوره"))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]

    def chosen(self) -> Period:
        from .periods import period_parse

        if self.is_valid() and self.cleaned_data.get("period"):
            return period_parse(self.cleaned_data["period"])
        return current_month()


class WeightsForm(forms.Form):
    """The five weights of the composite score, 0–100 each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMPONENTS:
            self.fields[name] = forms.IntegerField(
                label=getattr(KpiWeights._meta.get_field(name), "verbose_name", name),
                min_value=0,
                max_value=100,
                error_messages={
                    "required": _("این وزن را وارد کنید."),
                    "invalid": _("وزن باید عدد صحیح باشد."),
                    "min_value": _("وزن نباید کمتر از ۰ باشد."),
                    "max_value": _("وزن نباید بیشتر از ۱۰۰ باشد."),
                },
            )


class ReportForm(forms.Form):
    """Which report to make: a unit (of those the person may see), a period and a format."""

    unit = forms.ChoiceField(
        label=_("واحد"), error_messages={"invalid_choice": _("این واحد را نمی‌توان انتخاب کرد.")}
    )
    period = forms.ChoiceField(
        label=_("دوره"), error_messages={"invalid_choice": _("این دوره را نمی‌توان انتخاب کرد.")}
    )
    format = forms.ChoiceField(
        label=_("قالب"),
        choices=Report.Format.choices,
        error_messages={"invalid_choice": _("قالب گزارش نامعتبر است.")},
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]
