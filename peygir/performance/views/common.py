"""Shared pieces of the evaluation pages: drill-down links and KPI rows as table cells."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from peygir.org.models import Unit

from ..format import fa_duration, fa_number, fa_percent, fa_signed
from ..kpis import Kpi, Ranked
from ..periods import Period


@dataclass
class Cell:
    text: str
    url: str = ""
    css: str = ""


def drill_url(unit: Unit, period: Period, metric: str) -> str:
    """The list of cases behind one number."""
    query = urlencode({"unit": unit.code, "period": period.key, "metric": metric})
    return f"{reverse('performance:cases')}?{query}"


def kpi_headers() -> list[str]:
    return [
        _("حجم"),
        _("در ۱۰٬۰۰۰ نفر"),
        _("پاسخ نخست به‌موقع"),
        _("رسیدگی به‌موقع"),
        _("میانه زمان رسیدگی"),
        _("صدک ۹۰"),
        _("رضایت"),
        _("نرخ اعتراض"),
        _("رفع تأییدشده"),
        _("امتیاز"),
    ]


def kpi_cells(kpi: Kpi, unit: Unit, period: Period) -> list[Cell]:
    """The KPI columns of one unit, each linked to the cases behind it."""

    def link(metric: str) -> str:
        return drill_url(unit, period, metric)

    return [
        Cell(fa_number(kpi.volume), link("registered")),
        Cell(fa_number(kpi.per_10k, 1)),
        Cell(fa_percent(kpi.on_time_response), link("responded_late"), "kpi-late-link"),
        Cell(fa_percent(kpi.on_time_resolution), link("resolved_late"), "kpi-late-link"),
        Cell(fa_duration(kpi.median_minutes), link("resolved")),
        Cell(fa_duration(kpi.p90_minutes), link("resolved")),
        Cell(fa_number(kpi.satisfaction, 2), link("rated")),
        Cell(fa_percent(kpi.objection_rate), link("objection")),
        Cell(fa_percent(kpi.fixed_rate), link("fixed")),
        Cell(fa_number(kpi.score, 1), css="kpi-score"),
    ]


def ranking_rows(rows: list[Ranked], period: Period, *, scorecard: bool = True) -> list[dict[str, object]]:
    return [
        {
            "rank": fa_number(row.rank) if row.rank else "—",
            "unit": row.unit,
            "url": reverse("performance:scorecard", args=[row.unit.code]) if scorecard else "",
            "cells": kpi_cells(row.kpi, row.unit, period),
            "change": fa_signed(row.score_change),
            "change_css": "up"
            if (row.score_change or 0) > 0
            else ("down" if (row.score_change or 0) < 0 else ""),
            "volume_change": fa_signed(row.volume_change, 0),
        }
        for row in rows
    ]
