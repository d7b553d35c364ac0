from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from peygir.cases.models import Case
from peygir.notifications.models import Notification
from peygir.performance.models import SpikeAlert
from peygir.performance.spikes import spike_scan, spikes_detect

NOW = dt.datetime(2025, 11, 12, 10, 40)  # a Wednesday, 10:40 Tehran time


def _cases_at(submit: Any, when: dt.datetime, count: int, category: str = "waste") -> None:
    with time_machine.travel(timezone.make_aware(when), tick=False):
        for _ in range(count):
            submit(category=category)


@pytest.mark.django_db
def test_a_synthetic_burst_raises_one_alert_and_tells_the_district_manager(
    submit: Any, manager6: Any, district6: Any
) -> None:
    # Eight ordinary Wednesdays at 10:00–11:00: 1, 2, 1, 2, … waste reports in district 6.
    for week in range(1, 9):
        _cases_at(submit, NOW - dt.timedelta(weeks=week) - dt.timedelta(minutes=20), 1 + week % 2)
    _cases_at(submit, NOW - dt.timedelta(minutes=30), 9)  # the burst: 9 in the first half hour
    _cases_at(submit, NOW - dt.timedelta(minutes=25), 2, category="lighting")  # too few to count

    now = timezone.make_aware(NOW)
    [spike] = spikes_detect(now=now)
    assert (spike.district_id, spike.count, spike.mean) == (district6.pk, 9, 1.5)
    assert spike.std == 0.5

    created = spike_scan(now=now)
    alert = SpikeAlert.objects.get()
    assert [a.pk for a in created] == [alert.pk]
    assert (alert.district_id, alert.category.code, alert.count) == (district6.pk, "waste", 9)
    assert timezone.localtime(alert.hour_start).hour == 10
    notice = Notification.objects.get(kind="performance_spike")
    assert notice.channel == Notification.Channel.INAPP
    assert notice.to_user == manager6
    assert "منطقه ۶" in notice.body

    # Idempotent: the next scan in the same hour records nothing new.
    assert spike_scan(now=now + dt.timedelta(minutes=5)) == []
    assert SpikeAlert.objects.count() == 1
    assert Notification.objects.filter(kind="performance_spike").count() == 1


@pytest.mark.django_db
def test_an_ordinary_hour_is_no_spike(submit: Any) -> None:
    for week in range(1, 9):
        _cases_at(submit, NOW - dt.timedelta(weeks=week), 6)
    _cases_at(submit, NOW - dt.timedelta(minutes=10), 6)
    assert spikes_detect(now=timezone.make_aware(NOW)) == []
    assert spike_scan(now=timezone.make_aware(NOW)) == []
    assert not Case.objects.filter(category__isnull=True).exists()
