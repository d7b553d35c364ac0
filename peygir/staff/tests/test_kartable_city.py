"""The kartable across the whole city (the 137 center's supervisor): no unit filter, and under a
filter smaller bounds on the finished tabs and a referred-out count over the newest referrals."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from peygir.cases.models import Case, CaseEvent
from peygir.cases.selectors import case_list_for_unit, kartable_counts, kartable_tab_counts
from peygir.catalog.models import Category


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
def test_whole_city_counts_and_lists_are_every_case_in_every_unit(supervisor, officer6, district6, submit):
    case6 = submit()
    case7 = submit(point=(35.7300, 51.4400))
    returned = submit()
    Case.objects.filter(pk=returned.pk).update(phase=Case.Phase.RETURNED)
    CaseEvent.objects.create(case=case7, kind=CaseEvent.Kind.REFERRED, from_unit=district6)
    counts = kartable_tab_counts(user=supervisor)
    assert counts["open"] == Case.objects.filter(phase__in=Case.OPEN_PHASES).count() == 3
    assert counts["returned"] == 1
    assert counts["referred_out"] == 1
    assert sorted(c.pk for c in case_list_for_unit(user=supervisor, tab="open")) == sorted(
        [case6.pk, case7.pk, returned.pk]
    )
    filtered = kartable_tab_counts(user=supervisor, category="waste")
    assert (filtered["open"], filtered["referred_out"]) == (3, 1)
    assert kartable_tab_counts(user=officer6, category="waste")["referred_out"] == 1


@pytest.mark.django_db
def test_a_filter_across_the_whole_city_counts_the_finished_tabs_to_the_smaller_limit(
    supervisor, officer6, three_closed, monkeypatch
):
    monkeypatch.setattr("peygir.cases.selectors.KARTABLE_CITY_FILTER_LIMIT", 2)
    result = kartable_counts(user=supervisor, limit=10, category="waste")
    assert (result.limit, result.counts["closed"], result.at_least) == (2, 3, frozenset())
    # Unfiltered, or within a district, the limit asked for stays.
    assert kartable_counts(user=supervisor, limit=10).limit == 10
    assert kartable_counts(user=officer6, limit=10, category="waste").limit == 10
    assert kartable_counts(user=supervisor, limit=None, category="waste").limit is None


@pytest.mark.django_db
def test_a_filtered_referred_out_count_across_the_city_looks_at_the_newest_referrals_only(
    as_supervisor, supervisor, district6, submit, monkeypatch
):
    monkeypatch.setattr("peygir.cases.selectors.KARTABLE_REFERRALS_EXAMINED", 2)
    cases = [submit() for _ in range(3)]
    for case in cases:
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REFERRED, from_unit=district6)
    Case.objects.filter(pk=cases[2].pk).update(category=Category.objects.get(code="roads"))
    result = kartable_counts(user=supervisor, category="waste")
    # The two newest referred cases were looked at: one is waste (the newest is roads now).
    assert (result.counts["referred_out"], result.at_least) == (1, frozenset({"referred_out"}))
    assert kartable_counts(user=supervisor).counts["referred_out"] == 3
    assert kartable_counts(user=supervisor, category="waste", limit=None).counts["referred_out"] == 2
    response = as_supervisor.get("/staff/?category=waste")
    assert _counts(response)["referred_out"] == "دست‌کم ۱"
    # The referred-out tab itself counts its list in full for the pager.
    listed = as_supervisor.get("/staff/?tab=referred_out&category=waste")
    assert _counts(listed)["referred_out"] == "دست‌کم ۱"
    assert "۲ پرونده" in listed.content.decode()
    assert listed.content.decode().count('class="code-link"') == 2


@pytest.mark.django_db
def test_a_date_range_across_the_city_lists_by_deadline(supervisor, submit):
    first, second = submit(), submit()
    Case.objects.filter(pk=first.pk).update(respond_by=second.respond_by + dt.timedelta(hours=1))
    day = dt.date.today()
    listed = case_list_for_unit(
        user=supervisor,
        tab="open",
        created_from=day - dt.timedelta(days=1),
        created_to=day + dt.timedelta(days=1),
    )
    assert [c.pk for c in listed] == [second.pk, first.pk]
