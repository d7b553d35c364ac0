"""Writes of the rollup tables: the incremental consumer of the case stream and the full rebuild.

``rollup_consume`` reads CaseEvents and Ratings after the stored cursor, recomputes the
contributions of the cases they touch (``facts``) and applies the difference to the three rollup
grains. ``rollup_rebuild`` recomputes everything from the cases. Both claim the cursor by
compare-and-swap first, inside their transaction, so two workers never apply the same batch.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jdatetime
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from peygir.cases.models import Case, CaseEvent
from peygir.core.db import compare_and_swap
from peygir.feedback.models import Rating
from peygir.org.models import Unit

from .facts import contributions_for_cases
from .models import (
    ALL_MEASURES,
    HISTOGRAM_BOUNDS,
    HISTOGRAM_FIELDS,
    CityDay,
    Contribution,
    DailyRollup,
    MonthlyRollup,
    RollupCursor,
)

CURSOR = "main"
# Events younger than this are left for the next run: an event id is drawn when the row is
# inserted, so a transaction still open may commit a lower id after a higher one is visible.
DEFAULT_LAG = dt.timedelta(seconds=30)
REBUILD_CHUNK = 2000

Key = tuple[Any, ...]


@dataclass(frozen=True)
class ConsumeResult:
    events: int
    ratings: int
    cases: int
    claimed: bool


def histogram_field(minutes: int) -> str:
    """The histogram column a resolution time of ``minutes`` falls into."""
    for index, bound in enumerate(HISTOGRAM_BOUNDS):
        if minutes < bound:
            return HISTOGRAM_FIELDS[index]
    return HISTOGRAM_FIELDS[-1]


def jalali_month(day: dt.date) -> int:
    """1404-05-xx → 140405."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year * 100 + j.month


def contribution_measures(row: Contribution) -> dict[str, int]:
    """The rollup counters one contribution adds."""
    M = Contribution.Metric
    metric = row.metric
    if metric == M.REGISTERED:
        return {"registered": 1}
    if metric == M.RESPONDED:
        return {"responded": 1, "responded_on_time": int(row.flag)}
    if metric == M.RESOLVED:
        return {
            "resolved": 1,
            "resolved_on_time": int(row.flag),
            "resolution_minutes": row.value,
            histogram_field(row.value): 1,
        }
    if metric == M.RATING:
        return {"rating_count": 1, "rating_sum": row.value, "fixed_count": int(row.flag)}
    return {
        M.OVERDUE: {"overdue": 1},
        M.OBJECTION: {"objections": 1},
        M.RETURNED: {"returned": 1},
        M.REFERRAL: {"referrals": 1},
    }[M(metric)]


def unit_places() -> dict[int, tuple[int, int]]:
    """unit id → (its district's id, its area's id), 0 where it has none (one query)."""
    units = list(Unit.objects.values_list("id", "kind", "path"))
    kinds = {pk: kind for pk, kind, _path in units}
    places: dict[int, tuple[int, int]] = {}
    for pk, _kind, path in units:
        district = area = 0
        for segment in path.split("/"):
            if not segment:
                continue
            ancestor = int(segment)
            if kinds.get(ancestor) == Unit.Kind.DISTRICT:
                district = ancestor
            elif kinds.get(ancestor) == Unit.Kind.AREA:
                area = ancestor
        places[pk] = (district, area)
    return places


class _Sums:
    """Per-grain sums of contributions (signed), keyed by each grain's unique key."""

    def __init__(self) -> None:
        self.daily: dict[Key, Counter[str]] = defaultdict(Counter)
        self.monthly: dict[Key, Counter[str]] = defaultdict(Counter)
        self.city: dict[Key, Counter[str]] = defaultdict(Counter)
        self._months: dict[dt.date, int] = {}

    def add(self, row: Contribution, sign: int = 1) -> None:
        measures = contribution_measures(row)
        month = self._months.get(row.day)
        if month is None:
            month = self._months[row.day] = jalali_month(row.day)
        for bucket, key in (
            (self.daily, (row.day, row.unit_id, row.category_id, row.channel, row.message_type_id)),
            (self.monthly, (month, row.unit_id, row.category_id)),
            (self.city, (row.day,)),
        ):
            counter = bucket[key]
            for name, value in measures.items():
                counter[name] += sign * value

    def grains(self) -> Iterator[tuple[type[Any], tuple[str, ...], dict[Key, Counter[str]]]]:
        yield DailyRollup, ("day", "unit_id", "category_id", "channel", "message_type_id"), self.daily
        yield MonthlyRollup, ("month", "unit_id", "category_id"), self.monthly
        yield CityDay, ("day",), self.city


def _extra(model: type[Any], key: dict[str, Any], places: dict[int, tuple[int, int]]) -> dict[str, Any]:
    if model is CityDay:
        return {}
    district, area = places.get(key["unit_id"], (0, 0))
    return {"district_id": district, "area_id": area}


def _apply(sums: _Sums, places: dict[int, tuple[int, int]]) -> None:
    """Add signed sums to the rollup rows (F() updates; a missing row is inserted)."""
    for model, names, keyed in sums.grains():
        for key_values, counter in keyed.items():
            delta = {name: value for name, value in counter.items() if value}
            if not delta:
                continue
            key = dict(zip(names, key_values, strict=True))
            changes = {name: F(name) + value for name, value in delta.items()}
            if model.objects.filter(**key).update(**changes):
                if any(value < 0 for value in delta.values()):
                    # A case moved away: drop the row if nothing is left in it (as a rebuild would).
                    model.objects.filter(**key, **dict.fromkeys(ALL_MEASURES, 0)).delete()
                continue
            try:
                with transaction.atomic():
                    model.objects.create(**key, **_extra(model, key, places), **delta)
            except IntegrityError:
                model.objects.filter(**key).update(**changes)


def _claim(cursor: RollupCursor, **changes: Any) -> bool:
    return compare_and_swap(
        RollupCursor,
        pk=cursor.pk,
        expected={"version": cursor.version},
        changes={**changes, "version": F("version") + 1, "updated_at": timezone.now()},
    )


def _cursor() -> RollupCursor:
    cursor, _created = RollupCursor.objects.get_or_create(name=CURSOR)
    return cursor


def _settled_prefix(
    rows: list[tuple[int, int, dt.datetime]], cutoff: dt.datetime
) -> list[tuple[int, int, dt.datetime]]:
    """The rows before the first one newer than ``cutoff`` (ids in order)."""
    for index, (_pk, _case, at) in enumerate(rows):
        if at > cutoff:
            return rows[:index]
    return rows


def rollups_refresh_cases(
    case_ids: Iterable[int], *, places: dict[int, tuple[int, int]] | None = None
) -> int:
    """Recompute the contributions of these cases and apply the difference to the rollups.

    Must run inside the caller's transaction (the consumer's or the rebuild's). Returns the number
    of cases refreshed. Raises nothing of its own.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    places = places if places is not None else unit_places()
    sums = _Sums()
    old = Contribution.objects.filter(case_id__in=ids)
    for row in old:
        sums.add(row, -1)
    old.delete()
    new = contributions_for_cases(ids)
    Contribution.objects.bulk_create(new, batch_size=1000)
    for row in new:
        sums.add(row, 1)
    _apply(sums, places)
    return len(ids)


def rollup_consume(
    *, batch: int = 2000, lag: dt.timedelta = DEFAULT_LAG, now: dt.datetime | None = None
) -> ConsumeResult:
    """Consume the next batch of case events and ratings into the rollups (idempotent, one worker at a time).

    Reads at most ``batch`` events and ``batch`` ratings after the cursor, older than ``lag``;
    claims them by a compare-and-swap on the cursor's version, then refreshes the touched cases in
    the same transaction. A worker that loses the claim returns ``claimed=False`` and changes
    nothing. Raises nothing of its own (a database error rolls the claim back with the rest).
    Sets off nothing.
    """
    cutoff = (now or timezone.now()) - lag
    with transaction.atomic():
        cursor = _cursor()
        events = _settled_prefix(
            list(
                CaseEvent.objects.filter(pk__gt=cursor.last_event_id)
                .order_by("pk")
                .values_list("pk", "case_id", "created_at")[:batch]
            ),
            cutoff,
        )
        ratings = _settled_prefix(
            list(
                Rating.objects.filter(pk__gt=cursor.last_rating_id)
                .order_by("pk")
                .values_list("pk", "case_id", "created_at")[:batch]
            ),
            cutoff,
        )
        if not events and not ratings:
            return ConsumeResult(0, 0, 0, claimed=True)
        claimed = _claim(
            cursor,
            last_event_id=events[-1][0] if events else cursor.last_event_id,
            last_rating_id=ratings[-1][0] if ratings else cursor.last_rating_id,
        )
        if not claimed:
            return ConsumeResult(0, 0, 0, claimed=False)
        cases = rollups_refresh_cases({row[1] for row in events} | {row[1] for row in ratings})
    return ConsumeResult(len(events), len(ratings), cases, claimed=True)


def rollup_consume_all(*, lag: dt.timedelta = DEFAULT_LAG, batch: int = 2000, max_batches: int = 100) -> int:
    """Run ``rollup_consume`` until the stream is drained (or ``max_batches``); returns events read."""
    total = 0
    for _ in range(max_batches):
        result = rollup_consume(batch=batch, lag=lag)
        total += result.events + result.ratings
        if not result.claimed or (result.events < batch and result.ratings < batch):
            break
    return total


def rollup_rebuild(*, chunk: int = REBUILD_CHUNK) -> int:
    """Recompute every contribution and rollup row from the cases, in one transaction.

    Claims the cursor first (so the consumer waits or loses its claim), then moves it to the last
    event and rating read. Returns the number of cases. Raises nothing of its own. Sets off nothing.
    """
    with transaction.atomic():
        cursor = _cursor()
        last_event = CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        last_rating = Rating.objects.aggregate(m=Max("pk"))["m"] or 0
        if not _claim(cursor, last_event_id=last_event, last_rating_id=last_rating):
            # Someone consumed meanwhile: read the cursor again and claim once more.
            cursor = RollupCursor.objects.select_for_update().get(pk=CURSOR)
            _claim(cursor, last_event_id=last_event, last_rating_id=last_rating)
        for model in (Contribution, DailyRollup, MonthlyRollup, CityDay):
            model.objects.all().delete()
        places = unit_places()
        sums = _Sums()
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            rows = contributions_for_cases(ids[start : start + chunk])
            Contribution.objects.bulk_create(rows, batch_size=1000)
            for row in rows:
                sums.add(row, 1)
        for model, names, keyed in sums.grains():
            model.objects.bulk_create(
                [
                    model(
                        **(key := dict(zip(names, key_values, strict=True))),
                        **_extra(model, key, places),
                        **{name: value for name, value in counter.items() if name in ALL_MEASURES},
                    )
                    for key_values, counter in keyed.items()
                ],
                batch_size=1000,
            )
    return len(ids)
