"""Spike alerts: a category in a district far above its usual level for this hour of the week."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.audit.services import audit_record
from peygir.cases.models import Case
from peygir.catalog.models import Category
from peygir.core.jalali import format_datetime
from peygir.core.text import to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership, Unit

from .models import SpikeAlert


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, "PEYGIR_PERFORMANCE", {}).get(name, default)


@dataclass(frozen=True)
class Spike:
    district_id: int
    category_id: int
    count: int
    mean: float
    std: float


def hour_start(now: dt.datetime) -> dt.datetime:
    """The start of the (local) hour ``now`` is in."""
    local = timezone.localtime(now)
    return local.replace(minute=0, second=0, microsecond=0)


def _counts(start: dt.datetime, end: dt.datetime) -> dict[tuple[int, int], int]:
    rows = (
        Case.objects.filter(
            created_at__gte=start, created_at__lt=end, district__isnull=False, category__isnull=False
        )
        .values_list("district_id", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(district, category): n for district, category, n in rows}


def spikes_detect(
    *, now: dt.datetime, weeks: int | None = None, sigma: float | None = None, min_count: int | None = None
) -> list[Spike]:
    """Category × district pairs whose count in the hour so far exceeds mean + ``sigma`` × std of the
    same hour of the week over the previous ``weeks`` weeks (population std; weeks with none count as
    zero), with at least ``min_count`` cases. Reads ``weeks`` + 1 hours of cases. Raises nothing."""
    weeks = int(weeks if weeks is not None else _conf("SPIKE_WEEKS", 8))
    sigma = float(sigma if sigma is not None else _conf("SPIKE_SIGMA", 3.0))
    min_count = int(min_count if min_count is not None else _conf("SPIKE_MIN_COUNT", 5))
    start = hour_start(now)
    current = _counts(start, start + dt.timedelta(hours=1))
    history: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * weeks)
    for week in range(1, weeks + 1):
        # The same wall-clock hour a week earlier (DST-safe: Tehran has none now, but be exact).
        past = timezone.make_aware(dt.datetime.combine(start.date() - dt.timedelta(weeks=week), start.time()))
        for key, n in _counts(past, past + dt.timedelta(hours=1)).items():
            if key in current:
                history[key][week - 1] = n
    spikes = []
    for key, count in sorted(current.items()):
        if count < min_count:
            continue
        series = history[key]
        mean = sum(series) / weeks
        std = math.sqrt(sum((x - mean) ** 2 for x in series) / weeks)
        if count > mean + sigma * std:
            spikes.append(Spike(key[0], key[1], count, mean, std))
    return spikes


def _managers_of(unit: Unit) -> list[Any]:
    """Active managers of the unit or, failing that, of its nearest ancestor that has some."""
    current: Unit | None = unit
    while current is not None:
        users = [
            m.user
            for m in Membership.objects.filter(
                unit=current, role=Membership.Role.MANAGER, is_active=True, user__is_active=True
            ).select_related("user")
        ]
        if users:
            return users
        current = current.parent
    return []


def spike_scan(*, now: dt.datetime | None = None) -> list[SpikeAlert]:
    """Detect spikes in the current hour and record each once per (district, category, hour).

    A new alert notifies the district's managers in-app (through the outbox, in the same
    transaction) and is audited. Idempotent: a second scan in the same hour adds nothing (the
    count on an existing alert is raised if it grew). Returns the alerts created now.
    """
    now = now or timezone.now()
    start = hour_start(now)
    created: list[SpikeAlert] = []
    for spike in spikes_detect(now=now):
        existing = SpikeAlert.objects.filter(
            district_id=spike.district_id, category_id=spike.category_id, hour_start=start
        )
        if existing.exists():
            existing.filter(count__lt=spike.count).update(count=spike.count)
            continue
        try:
            with transaction.atomic():
                alert = SpikeAlert.objects.create(
                    district_id=spike.district_id,
                    category_id=spike.category_id,
                    hour_start=start,
                    count=spike.count,
                    mean=spike.mean,
                    std=spike.std,
                )
                _notify(alert)
                audit_record(
                    actor=None,
                    action="performance.spike",
                    object_type="performance.spikealert",
                    object_id=str(alert.pk),
                    after={
                        "district": spike.district_id,
                        "category": spike.category_id,
                        "count": spike.count,
                    },
                )
        except IntegrityError:
            continue  # another worker recorded it first
        created.append(alert)
    return created


def _notify(alert: SpikeAlert) -> None:
    district = Unit.objects.get(pk=alert.district_id)
    category = Category.objects.get(pk=alert.category_id)
    with override(settings.LANGUAGE_CODE):
        payload = {
            "district": district.name,
            "category": category.name,
            "count": to_persian_digits(str(alert.count)),
            "mean": to_persian_digits(f"{alert.mean:.1f}"),
            "hour": format_datetime(alert.hour_start),
        }
        subject = _("هشدار جهش پیام‌ها")
        body = (
            _(
                "پیام‌های «%(category)s» در %(district)s از %(hour)s به %(count)s رسیده است؛ "
                "میانگین همین ساعت در هفته‌های گذشته %(mean)s بوده است."
            )
            % payload
        )
    for user in _managers_of(district):
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind="performance_spike",
            subject=subject,
            body=body,
            payload=payload,
            dedupe_key=f"spike:{alert.district_id}:{alert.category_id}:{alert.hour_start.isoformat()}:{user.pk}",
        )


def recent_alerts(*, hours: int = 24, now: dt.datetime | None = None) -> QuerySet[SpikeAlert]:
    """Alerts of the last ``hours`` hours, newest first, with their district and category."""
    since = (now or timezone.now()) - dt.timedelta(hours=hours)
    return SpikeAlert.objects.filter(hour_start__gte=since).select_related("district", "category")
