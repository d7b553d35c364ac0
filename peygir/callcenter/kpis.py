"""Call-center KPIs, computed from the call records and the agents' state stretches.

Definitions (docs/operations/asterisk.md explains them for supervisors):

- offered = answered + abandoned (calls that reached a queue and ended);
- service level = answered within T seconds ÷ answered; the variant with abandoned calls =
  answered within T ÷ (answered + abandoned); T is ``CALLCENTER_SERVICE_LEVEL_SECONDS`` (20 s);
- abandonment rate = abandoned ÷ offered;
- average handle time (AHT) = (talk + hold + after-call work) ÷ answered;
- first-contact resolution (FCR) = answered calls (nuisance calls left out) after which the same
  number did not call again on the same matter within ``CALLCENTER_REPEAT_DAYS`` (7) days ÷ those
  calls. "The same matter": the later call is linked to one of the earlier call's cases, or neither
  call has a case;
- occupancy = time on calls and in after-call work ÷ time signed in and not on a break.

Groupings: queue, agent, hour of day, Jalali day, Jalali month (Tehran time). Occupancy has no
meaning per queue (an agent's time is not split between queues) and is left empty there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from peygir.core.jalali import to_jalali
from peygir.core.text import to_persian_digits

from .models import AgentState, AgentStateChange, Call

DIMENSIONS = ("queue", "agent", "hour", "day", "month")
HANDLING = (AgentState.State.ON_CALL, AgentState.State.WRAP_UP)
STAFFED = (AgentState.State.AVAILABLE, AgentState.State.ON_CALL, AgentState.State.WRAP_UP)


@dataclass
class KpiRow:
    key: Any
    label: str
    answered: int = 0
    abandoned: int = 0
    answered_in_time: int = 0
    handle_seconds: int = 0
    fcr_eligible: int = 0
    fcr_resolved: int = 0
    handling_seconds: float = 0.0
    staffed_seconds: float = 0.0
    occupancy_known: bool = True
    queue_times: list[int] = field(default_factory=list)

    @property
    def offered(self) -> int:
        return self.answered + self.abandoned

    @staticmethod
    def _ratio(numerator: float, denominator: float) -> float | None:
        return round(numerator / denominator, 4) if denominator else None

    @property
    def service_level(self) -> float | None:
        return self._ratio(self.answered_in_time, self.answered)

    @property
    def service_level_with_abandoned(self) -> float | None:
        return self._ratio(self.answered_in_time, self.answered + self.abandoned)

    @property
    def abandonment_rate(self) -> float | None:
        return self._ratio(self.abandoned, self.offered)

    @property
    def aht_seconds(self) -> float | None:
        return round(self.handle_seconds / self.answered, 1) if self.answered else None

    @property
    def fcr(self) -> float | None:
        return self._ratio(self.fcr_resolved, self.fcr_eligible)

    @property
    def occupancy(self) -> float | None:
        if not self.occupancy_known:
            return None
        return self._ratio(self.handling_seconds, self.staffed_seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "service_level": self.service_level,
            "service_level_with_abandoned": self.service_level_with_abandoned,
            "abandonment_rate": self.abandonment_rate,
            "aht_seconds": self.aht_seconds,
            "fcr": self.fcr,
            "occupancy": self.occupancy,
        }


def _bucket(dimension: str, moment: dt.datetime) -> tuple[Any, str]:
    local = timezone.localtime(moment)
    if dimension == "hour":
        return local.hour, to_persian_digits(f"{local.hour:02d}:00")
    j = to_jalali(local)
    if dimension == "day":
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
        return text, to_persian_digits(text)
    text = f"{j.year:04d}/{j.month:02d}"
    return text, to_persian_digits(text)


def _fcr_resolved(calls: list[dict[str, Any]], window: dt.timedelta) -> dict[int, bool]:
    """For each answered call: False when the same number called again on the same matter within
    ``window`` (the later calls are read from the database, so a window that runs past the period
    still sees them)."""
    numbers = {c["caller_number"] for c in calls if c["caller_number"]}
    if not numbers:
        return {c["id"]: True for c in calls}
    first = min(c["offered_at"] for c in calls)
    last = max(c["offered_at"] for c in calls) + window
    later: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = Call.objects.filter(caller_number__in=numbers, offered_at__gt=first, offered_at__lte=last).values(
        "id", "caller_number", "offered_at"
    )
    ids = [row["id"] for row in rows]
    cases_of = _cases_of(ids + [c["id"] for c in calls])
    for row in rows:
        later[row["caller_number"]].append(dict(row))
    result = {}
    for call in calls:
        resolved = True
        mine = cases_of.get(call["id"], set())
        for other in later.get(call["caller_number"], ()):
            if other["id"] == call["id"] or not (
                call["offered_at"] < other["offered_at"] <= call["offered_at"] + window
            ):
                continue
            theirs = cases_of.get(other["id"], set())
            if (mine & theirs) or (not mine and not theirs):
                resolved = False
                break
        result[call["id"]] = resolved
    return result


def _cases_of(call_ids: Iterable[int]) -> dict[int, set[int]]:
    through = Call.cases.through
    cases: dict[int, set[int]] = defaultdict(set)
    for call_id, case_id in through.objects.filter(call_id__in=set(call_ids)).values_list(
        "call_id", "case_id"
    ):
        cases[call_id].add(case_id)
    return cases


def _split_hours(start: dt.datetime, end: dt.datetime) -> Iterable[tuple[dt.datetime, float]]:
    """The stretch [start, end) cut at every local hour boundary: (piece start, seconds)."""
    cursor = start
    while cursor < end:
        local = timezone.localtime(cursor)
        next_hour = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        piece_end = min(end, next_hour)
        yield cursor, (piece_end - cursor).total_seconds()
        cursor = piece_end


def kpi_report(
    *, start: dt.datetime, end: dt.datetime, dimension: str, now: dt.datetime | None = None
) -> tuple[list[KpiRow], KpiRow]:
    """KPIs of the calls offered in [start, end), one row per value of ``dimension`` and a total.

    Raises ValueError for an unknown dimension.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    now = now or timezone.now()
    threshold = int(settings.PEYGIR["CALLCENTER_SERVICE_LEVEL_SECONDS"])
    window = dt.timedelta(days=int(settings.PEYGIR["CALLCENTER_REPEAT_DAYS"]))
    calls: list[dict[str, Any]] = [
        dict(row)
        for row in Call.objects.filter(
            offered_at__gte=start,
            offered_at__lt=end,
            status__in=[Call.Status.COMPLETED, Call.Status.ABANDONED],
            queue__isnull=False,
        ).values(
            "id",
            "queue_id",
            "queue__name",
            "queue__title",
            "agent_id",
            "status",
            "offered_at",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "wrap_seconds",
            "disposition",
            "caller_number",
        )
    ]
    answered = [c for c in calls if c["status"] == Call.Status.COMPLETED and c["agent_id"] is not None]
    eligible = [c for c in answered if c["disposition"] != Call.Disposition.NUISANCE]
    resolved = _fcr_resolved(eligible, window) if eligible else {}
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in={c["agent_id"] for c in answered})}

    rows: dict[Any, KpiRow] = {}
    total = KpiRow(key="total", label="")

    def row_for(key: Any, label: str) -> KpiRow:
        if key not in rows:
            rows[key] = KpiRow(key=key, label=label, occupancy_known=dimension != "queue")
        return rows[key]

    for call in calls:
        key: Any
        label: str
        if dimension == "queue":
            key, label = call["queue__name"], call["queue__title"] or call["queue__name"]
        elif dimension == "agent":
            if call["agent_id"] is None:
                key, label = None, "—"
            else:
                key, label = call["agent_id"], users.get(call["agent_id"], "")
        else:
            key, label = _bucket(dimension, call["offered_at"])
        for row in (row_for(key, label), total):
            if call["status"] == Call.Status.ABANDONED:
                row.abandoned += 1
                continue
            if call["agent_id"] is None:
                continue
            row.answered += 1
            if (call["wait_seconds"] or 0) <= threshold:
                row.answered_in_time += 1
            row.handle_seconds += (
                (call["talk_seconds"] or 0) + (call["hold_seconds"] or 0) + (call["wrap_seconds"] or 0)
            )
            if call["disposition"] != Call.Disposition.NUISANCE:
                row.fcr_eligible += 1
                row.fcr_resolved += int(resolved.get(call["id"], True))

    stretches = AgentStateChange.objects.filter(started_at__lt=end).exclude(ended_at__lte=start)
    for stretch in stretches.values("user_id", "state", "started_at", "ended_at"):
        if stretch["state"] not in STAFFED:
            continue
        piece_start = max(stretch["started_at"], start)
        piece_end = min(stretch["ended_at"] or now, end)
        if piece_end <= piece_start:
            continue
        handling = stretch["state"] in HANDLING
        targets: list[tuple[Any, dt.datetime, float]]
        if dimension == "agent":
            targets = [(stretch["user_id"], piece_start, (piece_end - piece_start).total_seconds())]
        elif dimension in ("hour", "day", "month"):
            targets = [(None, at, seconds) for at, seconds in _split_hours(piece_start, piece_end)]
        else:
            targets = [(None, piece_start, (piece_end - piece_start).total_seconds())]
        for user_id, at, seconds in targets:
            if dimension == "agent":
                key, label = user_id, users.get(user_id) or str(get_user_model().objects.get(pk=user_id))
                users[user_id] = label
                buckets = [row_for(key, label), total]
            elif dimension in ("hour", "day", "month"):
                buckets = [row_for(*_bucket(dimension, at)), total]
            else:
                buckets = [total]
            for row in buckets:
                row.staffed_seconds += seconds
                if handling:
                    row.handling_seconds += seconds
    ordered = sorted(
        rows.values(), key=lambda r: (r.key is None, str(r.key) if dimension != "hour" else r.key)
    )
    return ordered, total


def wallboard_snapshot(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """What the supervisors' wallboard shows: today's KPIs, calls waiting now, agents by state."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    _rows, today = kpi_report(start=start, end=now + dt.timedelta(seconds=1), dimension="queue", now=now)
    waiting = list(
        Call.objects.filter(status__in=[Call.Status.QUEUED, Call.Status.RINGING], queue__isnull=False)
        .select_related("queue")
        .order_by("offered_at")
    )
    states = list(
        AgentState.objects.exclude(state=AgentState.State.OFFLINE).select_related("user").order_by("state")
    )
    longest = max((int((now - c.offered_at).total_seconds()) for c in waiting), default=0)
    return {
        "today": today,
        "waiting": waiting,
        "waiting_count": len(waiting),
        "longest_wait": longest,
        "in_progress": Call.objects.filter(status=Call.Status.ANSWERED).count(),
        "agents": states,
        "counts": {
            state: sum(1 for s in states if s.state == state)
            for state in (
                AgentState.State.AVAILABLE,
                AgentState.State.ON_CALL,
                AgentState.State.WRAP_UP,
                AgentState.State.BREAK,
            )
        },
        "now": now,
    }
