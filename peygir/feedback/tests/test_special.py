"""Special cases: flagging with stakes, the board's periods and totals, the report and its Excel file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.core.errors import ValidationError
from peygir.feedback.specials import Period, period_parse

pytestmark = pytest.mark.django_db

# 1404/07/15 (Mehr) noon in Tehran.
MEHR_1404 = dt.datetime(2025, 10, 7, 8, 30, tzinfo=dt.UTC)


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.is_special, case.financial_stakes, case.financial_realised, case.version)


def test_a_supervisor_flags_a_case_with_its_stakes(as_supervisor, case6, supervisor):
    url = reverse("staff:case_special", args=[case6.public_id])
    response = as_supervisor.post(
        url,
        {"is_special": "yes", "estimated": "۱۲٬۵۰۰٬۰۰۰٬۰۰۰", "realised": "3,000,000", "note": "ملک تجاری"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:case", args=[case6.public_id])
    assert _state(case6)[:3] == (True, Decimal(12_500_000_000), Decimal(3_000_000))
    event = CaseEvent.objects.filter(case=case6, kind="special").get()
    assert (event.actor_id, event.internal_note) == (supervisor.pk, "ملک تجاری")
    assert AuditEntry.objects.filter(action="case.special").count() == 1


def test_unflagging_clears_the_stakes(as_supervisor, case6):
    url = reverse("staff:case_special", args=[case6.public_id])
    as_supervisor.post(url, {"is_special": "yes", "estimated": "1000"})
    as_supervisor.post(url, {"is_special": "no", "estimated": "1000"})
    assert _state(case6)[:3] == (False, None, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"is_special": "yes", "estimated": "-5"},
            "«ارزش مالی برآوردی» باید عددی درست و نامنفی به ریال باشد.",
        ),
        (
            {"is_special": "yes", "estimated": "12.5"},
            "«ارزش مالی برآوردی» باید عددی درست و نامنفی به ریال باشد.",
        ),
        ({"is_special": "yes", "estimated": "یک میلیون"}, "«ارزش مالی برآوردی» باید عدد باشد."),
        (
            {"is_special": "yes", "realised": "1" * 21},
            "«ارزش مالی تحقق‌یافته» باید عددی درست و نامنفی به ریال باشد.",
        ),
        ({"estimated": "100"}, "بگویید پرونده ویژه است یا نه."),
    ],
)
def test_bad_amounts_are_refused_and_nothing_changes(as_supervisor, case6, data, message):
    before = (_state(case6), CaseEvent.objects.count(), AuditEntry.objects.count())
    response = as_supervisor.post(reverse("staff:case_special", args=[case6.public_id]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (_state(case6), CaseEvent.objects.count(), AuditEntry.objects.count()) == before


def test_the_board_flags_by_tracking_code(as_supervisor, case6):
    response = as_supervisor.post(
        reverse("staff:special_flag"),
        {
            "tracking_code": case6.tracking_code,
            "is_special": "yes",
            "estimated": "500",
            "next": "/staff/special/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/special/"
    assert _state(case6)[:2] == (True, Decimal(500))


def test_an_unknown_tracking_code_is_refused_on_the_board(as_supervisor, case6):
    before = AuditEntry.objects.count()
    response = as_supervisor.post(
        reverse("staff:special_flag"), {"tracking_code": "123", "is_special": "yes", "estimated": "500"}
    )
    assert response.status_code == 422
    assert "کد رهگیری نادرست است" in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert _state(case6)[0] is False


def test_the_board_totals_and_filters_by_jalali_period(as_supervisor, submit):
    with time_machine.travel(MEHR_1404, tick=False):
        mehr = submit()
    with time_machine.travel(MEHR_1404 + dt.timedelta(days=40), tick=False):
        azar = submit()
    Case.objects.filter(pk=mehr.pk).update(is_special=True, financial_stakes=1_000, financial_realised=400)
    Case.objects.filter(pk=azar.pk).update(is_special=True, financial_stakes=2_000)
    all_html = as_supervisor.get(reverse("staff:special")).content.decode()
    assert "۳٬۰۰۰" in all_html and "۴۰۰" in all_html
    month = as_supervisor.get(reverse("staff:special") + "?kind=month&year=1404&number=7")
    html = month.content.decode()
    assert "مهر ۱۴۰۴" in html
    assert mehr.public_id.hex[:8] in html.replace("-", "")
    assert str(azar.public_id) not in html
    season = as_supervisor.get(reverse("staff:special") + "?kind=season&year=1404&number=3").content.decode()
    assert str(mehr.public_id) in season and str(azar.public_id) in season


def test_a_bad_period_is_reported(as_supervisor):
    response = as_supervisor.get(reverse("staff:special") + "?kind=month&year=1404&number=13")
    assert response.status_code == 200
    assert "دوره انتخاب‌شده معتبر نیست." in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "year", "number"),
    [("week", 1404, 1), ("month", "x", 1), ("season", 1404, 5), ("month", 1299, 1)],
)
def test_period_parse_refuses_nonsense(kind, year, number):
    with pytest.raises(ValidationError):
        period_parse(kind, year, number)


def test_period_bounds_follow_the_jalali_calendar():
    esfand = Period("month", 1403, 12)
    assert (esfand.start.date(), esfand.end.date()) == (dt.date(2025, 2, 19), dt.date(2025, 3, 21))
    winter = Period("season", 1403, 4)
    assert (winter.start.date(), winter.end.date()) == (dt.date(2024, 12, 21), dt.date(2025, 3, 21))
    assert period_parse("year", "۱۴۰۴").label == "سال ۱۴۰۴"


def test_the_report_table_and_its_excel_file(as_supervisor, submit):
    with time_machine.travel(MEHR_1404, tick=False):
        first, second = submit(), submit()
    Case.objects.filter(pk=first.pk).update(
        is_special=True, financial_stakes=12_500_000, financial_realised=5_000_000
    )
    Case.objects.filter(pk=second.pk).update(is_special=True, financial_stakes=7_500_000, phase="closed")
    page = as_supervisor.get(reverse("staff:special_report") + "?kind=year&year=1404")
    html = page.content.decode()
    assert page.status_code == 200
    assert "۲۰٬۰۰۰٬۰۰۰" in html and "۵٬۰۰۰٬۰۰۰" in html
    response = as_supervisor.get(reverse("staff:special_report") + "?kind=year&year=1404&format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="special-cases-year-1404-0.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    summary, listing = book.worksheets
    assert summary.sheet_view.rightToLeft is True
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 13
    assert rows[6] == ("مهر ۱۴۰۴", 2, 1, 1, 20_000_000, 5_000_000)
    assert rows[0] == ("فروردین ۱۴۰۴", 0, 0, 0, 0, 0)
    assert rows[12] == ("سال ۱۴۰۴", 2, 1, 1, 20_000_000, 5_000_000)
    codes = sorted(row[0] for row in listing.iter_rows(min_row=2, values_only=True))
    assert codes == sorted([first.tracking_code, second.tracking_code])
