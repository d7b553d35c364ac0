"""The PDF (fpdf2) form of a report: Persian shaped by HarfBuzz and laid out right to left."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import admin_persian
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from peygir.core.jalali import format_date
from peygir.core.text import to_persian_digits

from .data import ReportData

# The Vazir font ships with django-admin-persian (an installed dependency): found by package path.
FONT_PATH = (
    Path(admin_persian.__file__).resolve().parent
    / "static"
    / "admin_persian"
    / "fonts"
    / "vazir"
    / "Vazir.ttf"
)
_INK = (30, 41, 59)
_BAR = (37, 99, 235)
_HEAD_FILL = (220, 232, 245)


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Vazir", size=8)
        self.set_text_color(100, 116, 139)
        self.cell(
            0,
            6,
            _("سامانه ۱۳۷ — پیگیر · صفحه %(page)s") % {"page": to_persian_digits(str(self.page_no()))},
            align="C",
        )


def _table(pdf: FPDF, header: list[str], rows: Sequence[Sequence[str]], widths: list[float]) -> None:
    """A table whose first column is at the right edge (cells are drawn right to left)."""
    usable = pdf.w - pdf.r_margin
    pdf.set_fill_color(*_HEAD_FILL)
    for index, line in enumerate([header, *rows]):
        x = usable
        y = pdf.get_y()
        if y > pdf.h - 25:
            pdf.add_page()
            y = pdf.get_y()
        for text, width in zip(line, widths, strict=True):
            x -= width
            pdf.set_xy(x, y)
            pdf.cell(width, 7, str(text), border=1, align="R", fill=index == 0)
        pdf.set_xy(pdf.l_margin, y + 7)


def _bars(pdf: FPDF, items: list[tuple[str, int]], title: str) -> None:
    """A small bar chart drawn with rectangles, first item on the right."""
    if pdf.get_y() > pdf.h - 80:
        pdf.add_page()
    pdf.set_font("Vazir", size=11)
    pdf.cell(0, 8, title, align="R", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 4
    height = 45.0
    width = pdf.w - pdf.l_margin - pdf.r_margin
    slot = width / max(len(items), 6)
    peak = max((value for _label, value in items), default=0) or 1
    pdf.set_draw_color(148, 163, 184)
    pdf.line(pdf.l_margin, top + height, pdf.l_margin + width, top + height)
    pdf.set_fill_color(*_BAR)
    pdf.set_font("Vazir", size=7)
    for index, (label, value) in enumerate(items):
        x = pdf.w - pdf.r_margin - (index + 1) * slot
        bar = height * value / peak
        if bar:
            pdf.rect(x + slot * 0.2, top + height - bar, slot * 0.6, bar, style="F")
        pdf.set_xy(x, top + height - bar - 5)
        pdf.cell(slot, 4, to_persian_digits(str(value)), align="C")
        pdf.set_xy(x, top + height + 1)
        pdf.cell(slot, 4, label[:14], align="C")
    pdf.set_xy(pdf.l_margin, top + height + 8)


def render_pdf(data: ReportData) -> bytes:
    """The report's PDF bytes (A4 portrait)."""
    pdf = _Report(orientation="P", unit="mm", format="A4")
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("Vazir", fname=str(FONT_PATH))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
    pdf.set_title(f"{data.unit.name} — {data.period.label}")
    pdf.add_page()
    pdf.set_text_color(*_INK)
    pdf.set_font("Vazir", size=16)
    pdf.cell(
        0,
        10,
        _("گزارش ارزیابی عملکرد %(unit)s") % {"unit": data.unit.name},
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Vazir", size=10)
    pdf.cell(
        0,
        7,
        _("دوره: %(period)s · تهیه‌شده در %(date)s")
        % {"period": data.period.label, "date": format_date(timezone.localdate())},
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if data.own_rank:
        pdf.cell(
            0,
            7,
            _("رتبه در میان مناطق: %(rank)s") % {"rank": to_persian_digits(str(data.own_rank))},
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)
    pdf.set_font("Vazir", size=10)
    _table(
        pdf, [_("شاخص"), data.period.label, data.period.previous().label], data.indicator_rows(), [70, 50, 50]
    )
    pdf.ln(4)
    _bars(
        pdf,
        data.months,
        _("پیام‌های ثبت‌شده در هر ماه سال %(year)s") % {"year": to_persian_digits(str(data.period.year))},
    )
    if data.categories:
        _bars(pdf, data.categories[:8], _("پرتکرارترین دسته‌ها"))
    if data.ranking:
        pdf.add_page()
        pdf.set_font("Vazir", size=13)
        pdf.cell(0, 9, data.ranking_title, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Vazir", size=9)
        _table(
            pdf,
            [_("رتبه"), _("واحد"), _("امتیاز ترکیبی"), _("تغییر"), _("حجم")],
            data.ranking_rows(),
            [14, 60, 32, 28, 32],
        )
    return bytes(pdf.output())
