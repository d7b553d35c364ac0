"""The Excel (openpyxl) form of a report: right-to-left sheets, KPI table, ranking and a chart."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from .data import ReportData

_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DCE8F5")


def _header(sheet: object, row: list[str]) -> None:
    sheet.append(row)  # type: ignore[attr-defined]
    for cell in sheet[sheet.max_row]:  # type: ignore[index,attr-defined]
        cell.font = _HEAD
        cell.fill = _FILL
        cell.alignment = Alignment(horizontal="center")


def render_xlsx(data: ReportData) -> bytes:
    """The workbook's bytes: sheets «شاخص‌ها», «رتبه‌بندی», «ماهانه» (with a bar chart), «دسته‌ها»."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("شاخص‌ها")
    sheet.sheet_view.rightToLeft = True
    sheet.append([_("گزارش ارزیابی عملکرد"), data.unit.name, data.period.label])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    _header(sheet, [_("شاخص"), data.period.label, data.period.previous().label])
    for row in data.indicator_rows():
        sheet.append(list(row))
    if data.own_rank:
        sheet.append([])
        sheet.append([_("رتبه در میان مناطق"), data.own_rank])
    for column, width in (("A", 28), ("B", 22), ("C", 22)):
        sheet.column_dimensions[column].width = width

    ranking = book.create_sheet(_("رتبه‌بندی"))
    ranking.sheet_view.rightToLeft = True
    ranking.append([data.ranking_title or _("رتبه‌بندی")])
    _header(ranking, [_("رتبه"), _("واحد"), _("امتیاز ترکیبی"), _("تغییر امتیاز"), _("حجم پیام‌ها")])
    for ranked in data.ranking:
        ranking.append(
            [
                ranked.rank,
                ranked.unit.name,
                round(ranked.kpi.score, 1) if ranked.kpi.score is not None else None,
                round(ranked.score_change, 1) if ranked.score_change is not None else None,
                ranked.kpi.volume,
            ]
        )
    ranking.column_dimensions["B"].width = 26

    months = book.create_sheet(_("ماهانه"))
    months.sheet_view.rightToLeft = True
    _header(months, [_("ماه"), _("پیام‌های ثبت‌شده")])
    for label, value in data.months:
        months.append([label, value])
    chart = BarChart()
    chart.title = _("پیام‌های ثبت‌شده در هر ماه سال %(year)s") % {"year": data.period.year}
    chart.add_data(Reference(months, min_col=2, min_row=1, max_row=13), titles_from_data=True)
    chart.set_categories(Reference(months, min_col=1, min_row=2, max_row=13))
    chart.height, chart.width = 8, 18
    months.add_chart(chart, "D2")

    categories = book.create_sheet(_("دسته‌ها"))
    categories.sheet_view.rightToLeft = True
    _header(categories, [_("دسته"), _("پیام‌های ثبت‌شده")])
    for label, value in data.categories:
        categories.append([label, value])
    categories.column_dimensions["A"].width = 30

    out = BytesIO()
    book.save(out)
    return out.getvalue()
