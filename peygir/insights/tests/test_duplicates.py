from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from peygir.insights.duplicates import duplicate_candidates, related_categories

from .conftest import POINT_6, POINT_7

pytestmark = pytest.mark.django_db
TEXT = "چاله بزرگ وسط خیابان ایجاد شده و ماشین‌ها آسیب می‌بینند"
NEAR = (POINT_6[0] + 0.0008, POINT_6[1] + 0.0008)  # about 100 m away


def test_a_similar_report_nearby_is_a_possible_duplicate(model, submit):
    first = submit(category="roads", description="یک چاله بزرگ وسط خیابان است و ماشین‌ها داخلش می‌افتند")
    submit(category="roads", description="چراغ‌های کوچه ما خاموش است", point=NEAR)  # same place, other matter
    found = duplicate_candidates(text=TEXT, lat=NEAR[0], lon=NEAR[1], categories=["roads"])
    assert [candidate.case.pk for candidate in found] == [first.pk]
    assert 0.3 <= found[0].similarity <= 1.0


def test_far_away_other_category_old_or_merged_reports_are_not_duplicates(model, submit, supervisor):
    submit(category="roads", description=TEXT, point=POINT_7)  # another district
    submit(category="animals", description=TEXT)  # unrelated category
    with time_machine.travel(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        submit(category="roads", description=TEXT)  # long ago
    assert duplicate_candidates(text=TEXT, lat=POINT_6[0], lon=POINT_6[1], categories=["roads"]) == []
    assert duplicate_candidates(text=TEXT, lat=None, lon=None, categories=["roads"]) == []


def test_related_categories_come_from_the_catalog_structure():
    assert related_categories(["drainage"]) == {"drainage", "roads"}
    assert related_categories(["", "finance"]) == {"finance"}


def test_a_related_category_is_searched(model, submit):
    flooded = submit(category="drainage", description="آب گرفتگی وسط خیابان و چاله پر از آب شده")
    found = duplicate_candidates(
        text="چاله وسط خیابان پر از آب شده و آب‌گرفتگی دارد",
        lat=POINT_6[0],
        lon=POINT_6[1],
        categories=["roads"],
    )
    assert [candidate.case.pk for candidate in found] == [flooded.pk]


def test_without_a_model_the_texts_are_still_compared(submit):
    first = submit(category="roads", description="یک چاله بزرگ وسط خیابان است و ماشین‌ها داخلش می‌افتند")
    found = duplicate_candidates(text=TEXT, lat=POINT_6[0], lon=POINT_6[1], categories=["roads"])
    assert [candidate.case.pk for candidate in found] == [first.pk]
