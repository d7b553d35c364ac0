"""Kartable counts that stop at a limit, the page count they feed, and date ranges at day edges."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from peygir.cases.models import Case, CaseEvent
from peygir.cases.selectors import case_count_up_to, case_list_for_unit, kartable_tab_counts

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def _counts(response) -> dict[str, str]:
    found = re.findall(
        r'data-tab="([a-z_]+)">[^<]*<span class="count">([^<]+)</span>', response.content.decode()
    )
    return dict(found)


@pytest.fixture
def three_closed(submit):
    cases = [submit() for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(phase=Case.Phase.CLOSED, resolution="fixed")
    return cases


@pytest.mark.django_db
def test_count_up_to_stops_one_past_the_limit(three_closed):
    closed = Case.objects.filter(phase=Case.Phase.CLOSED)
    assert case_count_up_to(closed, limit=2) == 3
    assert case_count_up_to(closed, limit=10) == 3
    assert case_count_up_to(closed, limit=None) == 3


@pytest.mark.django_db
def test_finished_tabs_count_to_the_limit_and_open_tabs_stay_exact(officer6, three_closed, submit):
    submit()
    submit()
    submit()
    counts = kartable_tab_counts(user=officer6, limit=2)
    assert counts["closed"] == 3  # more than 2
    assert counts["open"] == 3
    assert counts["new"] == 3
    assert kartable_tab_counts(user=officer6, limit=None)["closed"] == 3


@pytest.mark.django_db
def test_a_count_past_the_limit_reads_more_than_n_on_the_tab_and_the_pager(
    as_officer6, three_closed, monkeypatch
):
    monkeypatch.setattr("peygir.staff.views.kartable.KARTABLE_COUNT_LIMIT", 2)
    monkeypatch.setattr("peygir.staff.views.kartable.PAGE_SIZE", 1)
    response = as_officer6.get("/staff/?tab=closed")
    body = response.content.decode()
    assert _counts(response)["closed"] == "بیش از ۲"
    assert _counts(response)["open"] == "۰"
    assert "بیش از ۲ پرونده" in body
    assert "صفحه ۱</span>" in body
    assert "صفحه ۱ از" not in body
    rows = as_officer6.get(
        "/staff/?tab=closed", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="kartable-rows"
    ).content.decode()
    assert rows.count('class="code-link"') == 1


@pytest.mark.django_db
def test_a_count_at_the_limit_is_exact(as_officer6, three_closed, monkeypatch):
    monkeypatch.setattr("peygir.staff.views.kartable.KARTABLE_COUNT_LIMIT", 3)
    response = as_officer6.get("/staff/?tab=closed")
    assert _counts(response)["closed"] == "۳"
    assert "۳ پرونده" in response.content.decode()


@pytest.mark.django_db
def test_date_range_takes_whole_tehran_days(officer6, submit):
    # 23:30 in Tehran is 20:00 UTC the same day; 00:15 in Tehran is the previous day in UTC.
    with time_machine.travel(dt.datetime(2026, 11, 21, 23, 30, tzinfo=TEHRAN)):  # ۱۴۰۵/۰۸/۳۰
        late_evening = submit()
    with time_machine.travel(dt.datetime(2026, 11, 22, 0, 15, tzinfo=TEHRAN)):  # ۱۴۰۵/۰۹/۰۱
        after_midnight = submit()
    day = dt.date(2026, 11, 22)
    on_the_day = kartable_tab_counts(user=officer6, created_from=day, created_to=day)
    before = kartable_tab_counts(user=officer6, created_to=day - dt.timedelta(days=1))
    assert (on_the_day["open"], before["open"]) == (1, 1)
    listed = case_list_for_unit(user=officer6, created_from=day, created_to=day)
    assert [c.pk for c in listed] == [after_midnight.pk]
    listed_before = case_list_for_unit(user=officer6, created_to=day - dt.timedelta(days=1))
    assert [c.pk for c in listed_before] == [late_evening.pk]


@pytest.mark.django_db
def test_a_case_referred_out_twice_counts_once_with_or_without_filters(officer6, district6, submit):
    case = submit()
    for _ in range(2):
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REFERRED, from_unit=district6)
    assert kartable_tab_counts(user=officer6)["referred_out"] == 1
    assert kartable_tab_counts(user=officer6, special=False)["referred_out"] == 1
    assert kartable_tab_counts(user=officer6, limit=None)["referred_out"] == 1
