"""Reads of special cases (پرونده ویژه) by Jalali period: the board's filter and totals, the per-period
report and its Excel file.

A special case belongs to the period in which it was registered (``Case.created_at``, Tehran time).
Visibility is the caller's: every read takes the queryset it starts from (the board's scope).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import jdatetime
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.cases.models import Case
from peygir.core.errors import ValidationError
from peygir.core.jalali import MONTHS_FA, SEASONS_FA, format_date
from peygir.core.text import to_latin_digits, to_persian_digits

TEHRAN = ZoneInfo("Asia/Tehran")
PERIOD_KINDS = ("month", "season", "year")


@dataclass(frozen=True)
class Period:
    """A Jalali month (number 1–12), season (1–4) or year (number 0), with its bounds in UTC-aware
    datetimes: ``start`` inclusive, ``end`` exclusive."""

    kind: str
    year: int
    number: int

    def _first_month(self) -> int:
        return {"month": self.number, "season": 3 * self.number - 2, "year": 1}[self.kind]

    @property
    def start(self) -> dt.datetime:
        day = jdatetime.date(self.year, self._first_month(), 1).togregorian()
        return dt.datetime.combine(day, dt.time.min, tzinfo=TEHRAN)

    @property
    def end(self) -> dt.datetime:
        months = {"month": 1, "season": 3, "year": 12}[self.kind]
        index = self._first_month() - 1 + months
        year, month = self.year + index // 12, index % 12 + 1
        day = jdatetime.date(year, month, 1).togregorian()
        return dt.datetime.combine(day, dt.time.min, tzinfo=TEHRAN)

    @property
    def label(self) -> str:
        if self.kind == "month":
            text = f"{MONTHS_FA[self.number - 1]} {self.year}"
        elif self.kind == "season":
            text = f"{SEASONS_FA[self.number - 1]} {self.year}"
        else:
            text = _("سال %(year)s") % {"year": self.year}
        return to_persian_digits(text)

    def parts(self) -> list[Period]:
        """The months of a season or a year (the report's rows); a month is its own single part."""
        if self.kind == "year":
            return [Period("month", self.year, month) for month in range(1, 13)]
        if self.kind == "season":
            first = self._first_month()
            return [Period("month", self.year, month) for month in range(first, first + 3)]
        return [self]


def period_current(kind: str = "month", *, now: dt.datetime | None = None) -> Period:
    """The Jalali month, season or year that ``now`` (default: now) falls in, in Tehran."""
    today = jdatetime.datetime.fromgregorian(datetime=timezone.localtime(now or timezone.now(), TEHRAN))
    number = {"month": today.month, "season": (today.month - 1) // 3 + 1, "year": 0}[kind]
    return Period(kind, today.year, number)


def period_parse(kind: str, year: Any, number: Any = None) -> Period:
    """A period from query parameters (Persian or Latin digits). Raises ValidationError (Persian)."""
    bad = ValidationError(_("دوره انتخاب‌شده معتبر نیست."), code="bad_period")
    if kind not in PERIOD_KINDS:
        raise bad
    try:
        year_value = int(to_latin_digits(str(year)).strip())
        number_value = 0 if kind == "year" else int(to_latin_digits(str(number)).strip())
    except (TypeError, ValueError) as exc:
        raise bad from exc
    limit = {"month": 12, "season": 4, "year": 0}[kind]
    if not 1300 <= year_value <= 1500 or (kind != "year" and not 1 <= number_value <= limit):
        raise bad
    return Period(kind, year_value, number_value)


def specials_in_period(cases: QuerySet[Case], period: Period | None) -> QuerySet[Case]:
    """The special cases of ``cases`` registered in ``period`` (all of them when None)."""
    rows = cases.filter(is_special=True)
    if period is not None:
        rows = rows.filter(created_at__gte=period.start, created_at__lt=period.end)
    return rows


def special_totals(cases: QuerySet[Case]) -> dict[str, Any]:
    """Count, open count and the sums of estimated and realised stakes (rials) of ``cases``. One query."""
    row = cases.order_by().aggregate(
        count=Count("id"),
        open=Count("id", filter=Q(phase__in=Case.OPEN_PHASES)),
        estimated=Sum("financial_stakes"),
        realised=Sum("financial_realised"),
    )
    return {
        "count": row["count"],
        "open": row["open"],
        "closed": row["count"] - row["open"],
        "estimated": row["estimated"] or Decimal(0),
        "realised": row["realised"] or Decimal(0),
    }


@dataclass(frozen=True)
class ReportRow:
    period: Period
    count: int
    open: int
    estimated: Decimal
    realised: Decimal

    @property
    def closed(self) -> int:
        return self.count - self.open

    @property
    def realised_share(self) -> float | None:
        """Realised stakes as a share of the estimate (None without an estimate)."""
        return float(self.realised / self.estimated) if self.estimated else None


def special_report(cases: QuerySet[Case], period: Period) -> tuple[list[ReportRow], ReportRow]:
    """Special cases of ``cases`` registered in ``period``, per month of it, and the total.

    One query: the period's specials are few, so their rows are read once and bucketed here.
    """
    parts = period.parts()
    counts = {(part.year, part.number): [0, 0] for part in parts}
    sums = {(part.year, part.number): [Decimal(0), Decimal(0)] for part in parts}
    rows = specials_in_period(cases, period).values_list(
        "created_at", "phase", "financial_stakes", "financial_realised"
    )
    for created_at, phase, estimated, realised in rows.order_by():
        local = jdatetime.datetime.fromgregorian(datetime=created_at.astimezone(TEHRAN))
        key = (local.year, local.month)
        counts[key][0] += 1
        counts[key][1] += int(phase in Case.OPEN_PHASES)
        sums[key][0] += estimated or 0
        sums[key][1] += realised or 0
    report = []
    for part in parts:
        key = (part.year, part.number)
        report.append(ReportRow(part, counts[key][0], counts[key][1], sums[key][0], sums[key][1]))
    total = ReportRow(
        period,
        sum(row.count for row in report),
        sum(row.open for row in report),
        sum((row.estimated for row in report), Decimal(0)),
        sum((row.realised for row in report), Decimal(0)),
    )
    return report, total


def special_report_xlsx(cases: QuerySet[Case], period: Period) -> bytes:
    """The per-period report as an Excel workbook (right to left): a summary sheet per month and a
    sheet listing every special case of the period with its stakes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    report, total = special_report(cases, period)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("خلاصه")
    summary.sheet_view.rightToLeft = True
    summary.append([_("گزارش پرونده‌های ویژه — %(period)s") % {"period": period.label}])
    summary["A1"].font = Font(bold=True, size=13)
    header = [
        _("دوره"),
        _("تعداد"),
        _("باز"),
        _("بسته"),
        _("ارزش مالی برآوردی (ریال)"),
        _("ارزش مالی تحقق‌یافته (ریال)"),
    ]
    summary.append(header)
    for row in [*report, total]:
        summary.append(
            [
                row.period.label,
                row.count,
                row.open,
                row.count - row.open,
                int(row.estimated),
                int(row.realised),
            ]
        )
    for cell in summary[2]:
        cell.font = Font(bold=True)
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (18, 10, 10, 10, 26, 26), strict=True):
        summary.column_dimensions[column].width = width
    for row_cells in summary.iter_rows(min_row=3, min_col=5, max_col=6):
        for cell in row_cells:
            cell.number_format = "#,##0"

    listing = book.create_sheet(_("پرونده‌ها"))
    listing.sheet_view.rightToLeft = True
    listing.append(
        [
            _("کد رهگیری"),
            _("تاریخ ثبت"),
            _("دسته"),
            _("واحد"),
            _("وضعیت"),
            _("ارزش مالی برآوردی (ریال)"),
            _("ارزش مالی تحقق‌یافته (ریال)"),
        ]
    )
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for case in (
        specials_in_period(cases, period).select_related("category", "unit").order_by("created_at", "id")
    ):
        listing.append(
            [
                case.tracking_code,
                format_date(case.created_at, persian_digits=False),
                case.category.name if case.category is not None else "",
                case.unit.name,
                str(case.get_phase_display()),
                int(case.financial_stakes) if case.financial_stakes is not None else None,
                int(case.financial_realised) if case.financial_realised is not None else None,
            ]
        )
    for column, width in zip("ABCDEFG", (14, 12, 24, 24, 16, 26, 26), strict=True):
        listing.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
