from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import jdatetime
import pytest
from openpyxl import load_workbook

from peygir.performance.models import Report
from peygir.performance.periods import period_parse
from peygir.performance.reports.pdf import FONT_PATH
from peygir.performance.reports.services import monthly_reports_ensure, report_generate, report_path
from peygir.performance.rollups import rollup_consume_all


@pytest.fixture
def with_data(submit: Any) -> None:
    for _ in range(3):
        submit()
    rollup_consume_all(lag=dt.timedelta(0))


@pytest.mark.django_db
def test_excel_report_opens_with_kpis_ranking_and_chart(with_data: Any, district6: Any) -> None:
    today = jdatetime.date.today()
    period = period_parse(f"{today.year}-{today.month:02d}")
    report = report_generate(unit=district6, period=period, fmt="xlsx")
    book = load_workbook(report_path(report))
    assert book.sheetnames == ["شاخص‌ها", "رتبه‌بندی", "ماهانه", "دسته‌ها"]
    sheet = book["شاخص‌ها"]
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["B1"].value == "منطقه ۶"
    assert (sheet["A4"].value, sheet["B4"].value) == ("حجم پیام‌ها", "۳")
    assert book["رتبه‌بندی"]["B3"].value == "منطقه ۶، ناحیه ۱"
    assert len(book["ماهانه"]._charts) == 1
    assert book["ماهانه"].cell(row=1 + today.month, column=2).value == 3
    assert list(book["دسته‌ها"].iter_rows(min_row=2, values_only=True)) == [("پسماند و نظافت شهری", 3)]


@pytest.mark.django_db
def test_pdf_report_embeds_the_persian_font_and_shapes_the_text(with_data: Any, center: Any) -> None:
    assert FONT_PATH.is_file()
    today = jdatetime.date.today()
    report = report_generate(unit=center, period=period_parse(f"{today.year}-{today.month:02d}"), fmt="pdf")
    data = Path(report_path(report)).read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data and b"Vazir" in data
    assert b"/Count 2" in data  # the KPI page and the ranking page
    # HarfBuzz shaped the text: glyph ids map back to Persian letters, and lam + alef came out as
    # one ligature glyph (which only a shaping engine produces).
    cmap = re.search(rb"beginbfchar(.*?)endbfchar", data, re.S)
    assert cmap is not None
    assert b"<0645>" in cmap.group(1)  # م
    assert b"<06440627>" in cmap.group(1)  # لا
    assert Report.objects.get().size == len(data)


@pytest.mark.django_db
def test_monthly_reports_are_made_once_for_the_month_that_ended(with_data: Any) -> None:
    first_day = jdatetime.date(1404, 6, 1).togregorian()
    made = monthly_reports_ensure(today=first_day)
    assert len(made) == 2 * 23  # the center and 22 districts, Excel and PDF
    assert {r.period for r in made} == {"1404-05"}
    assert all(r.automatic for r in made)
    assert monthly_reports_ensure(today=first_day + dt.timedelta(days=1)) == []
    assert Report.objects.count() == 46
    sample = Report.objects.filter(format="xlsx").first()
    assert sample is not None
    load_workbook(BytesIO(report_path(sample).read_bytes()))
