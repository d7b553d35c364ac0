"""What a report holds, read once and shared by the Excel and PDF writers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from peygir.catalog.models import Category
from peygir.org.models import Unit

from ..format import fa_duration, fa_number, fa_percent, fa_signed
from ..kpis import Kpi, Ranked, area_ranking, district_ranking, kpi_by_group, kpi_for_unit, unit_filter
from ..periods import Period


@dataclass
class ReportData:
    unit: Unit
    period: Period
    kpi: Kpi
    previous: Kpi
    ranking: list[Ranked]
    ranking_title: str
    own_rank: int | None
    months: list[tuple[str, int]]  # (month label, cases registered) over the period's year
    categories: list[tuple[str, int]]  # (category name, cases registered), largest first

    def indicator_rows(self) -> list[tuple[str, str, str]]:
        """(indicator, this period, previous period) as text."""
        now, before = self.kpi, self.previous
        return [
            (_("حجم پیام‌ها"), fa_number(now.volume), fa_number(before.volume)),
            (_("در هر ۱۰٬۰۰۰ نفر"), fa_number(now.per_10k, 1), fa_number(before.per_10k, 1)),
            (_("پاسخ نخست به‌موقع"), fa_percent(now.on_time_response), fa_percent(before.on_time_response)),
            (_("رسیدگی به‌موقع"), fa_percent(now.on_time_resolution), fa_percent(before.on_time_resolution)),
            (_("میانه زمان رسیدگی"), fa_duration(now.median_minutes), fa_duration(before.median_minutes)),
            (_("صدک ۹۰ زمان رسیدگی"), fa_duration(now.p90_minutes), fa_duration(before.p90_minutes)),
            (_("رضایت (از ۵)"), fa_number(now.satisfaction, 2), fa_number(before.satisfaction, 2)),
            (_("نرخ اعتراض"), fa_percent(now.objection_rate), fa_percent(before.objection_rate)),
            (_("رفع تأییدشده"), fa_percent(now.fixed_rate), fa_percent(before.fixed_rate)),
            (_("امتیاز ترکیبی"), fa_number(now.score, 1), fa_number(before.score, 1)),
        ]

    def ranking_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(rank, unit, score, change, volume) as text."""
        return [
            (
                fa_number(row.rank) if row.rank else "—",
                row.unit.name,
                fa_number(row.kpi.score, 1),
                fa_signed(row.score_change),
                fa_number(row.kpi.volume),
            )
            for row in self.ranking
        ]


def report_data(*, unit: Unit, period: Period) -> ReportData:
    """Read everything a report of ``unit`` over ``period`` shows (a handful of queries)."""
    from peygir.core.jalali import MONTHS_FA

    kpi = kpi_for_unit(unit=unit, period=period)
    previous = kpi_for_unit(unit=unit, period=period.previous())
    ranking: list[Ranked] = []
    title = ""
    own_rank = None
    if unit.kind == Unit.Kind.DISTRICT:
        ranking = area_ranking(unit, period)
        title = _("رتبه‌بندی نواحی %(unit)s") % {"unit": unit.name}
        own_rank = next((r.rank for r in district_ranking(period) if r.unit.pk == unit.pk), None)
    elif unit.parent_id is None or unit.kind != Unit.Kind.AREA:
        ranking = district_ranking(period)
        title = _("رتبه‌بندی مناطق ۲۲گانه")
    year = Period("year", period.year, 0)
    by_month = kpi_by_group(period=year, group="month", within=unit_filter(unit))
    months = [
        (MONTHS_FA[m - 1], by_month[year.year * 100 + m].volume if year.year * 100 + m in by_month else 0)
        for m in range(1, 13)
    ]
    by_category = kpi_by_group(period=period, group="category_id", within=unit_filter(unit))
    names = dict(Category.objects.values_list("pk", "name"))
    categories = sorted(
        ((names.get(pk, _("بی‌دسته")), k.volume) for pk, k in by_category.items() if k.volume),
        key=lambda item: -item[1],
    )[:12]
    return ReportData(unit, period, kpi, previous, ranking, title, own_rank, months, categories)
