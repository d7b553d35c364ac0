"""What each case contributes to the evaluation, computed from its current row, events and ratings.

Pure reads: ``contributions_for_cases`` returns the ``Contribution`` rows a set of cases should have
now. The same function serves the incremental rollup and the rebuild, which is why the two agree.

Attribution: every fact is counted for the unit that owned the case when it happened (the owner
timeline is read from the events that carry ``to_unit``: registration, referral, return,
reclassification, overdue). Category, channel and type are the case's current ones, so a
classification moves all of a case's facts to its new category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from peygir.cases.models import Case, CaseEvent
from peygir.feedback.models import Rating

from .models import Contribution

M = Contribution.Metric
K = CaseEvent.Kind
# The events whose kinds matter here; the rest (notes, warnings, assignments) change no figure.
RELEVANT_KINDS = (
    K.REGISTERED,
    K.REFERRED,
    K.RETURNED,
    K.OVERDUE,
    K.OBJECTED,
    K.RESPONDED,
    K.CLASSIFIED,
)
RESOLVED_PHASES = (Case.Phase.RESPONDED, Case.Phase.CLOSED)

_CASE_FIELDS = (
    "id",
    "created_at",
    "category_id",
    "channel",
    "message_type_id",
    "unit_id",
    "phase",
    "responded_at",
    "respond_by",
    "resolve_by",
)


def local_day(value: dt.datetime) -> dt.date:
    """The Tehran calendar day of an aware timestamp (rollups are by local day)."""
    return timezone.localtime(value).date()


def _owner_at(timeline: list[tuple[dt.datetime, int, int]], when: dt.datetime, fallback: int) -> int:
    """The unit that owned the case at ``when``: the last ``to_unit`` on the timeline up to then."""
    owner = fallback
    for at, _event_id, unit_id in timeline:
        if at > when:
            break
        owner = unit_id
    return owner


def _case_contributions(
    case: dict[str, Any], events: list[dict[str, Any]], ratings: list[dict[str, Any]]
) -> list[Contribution]:
    base = {
        "case_id": case["id"],
        "category_id": case["category_id"] or 0,
        "channel": case["channel"],
        "message_type_id": case["message_type_id"],
    }
    rows: list[Contribution] = []

    def add(metric: str, when: dt.datetime, unit_id: int, value: int = 0, flag: bool = False) -> None:
        rows.append(
            Contribution(metric=metric, day=local_day(when), unit_id=unit_id, value=value, flag=flag, **base)
        )

    timeline = [(e["created_at"], e["id"], e["to_unit_id"]) for e in events if e["to_unit_id"]]
    first_owner = timeline[0][2] if timeline else case["unit_id"]
    registered = False
    overdue_before_response = False
    objected = any(e["kind"] == K.OBJECTED for e in events)
    first_response: dict[str, Any] | None = None
    for event in events:
        kind, at = event["kind"], event["created_at"]
        if kind == K.REGISTERED and not registered:
            registered = True
            add(M.REGISTERED, at, event["to_unit_id"] or case["unit_id"])
        elif kind in (K.REFERRED, K.RETURNED):
            unit = event["from_unit_id"] or _owner_at(timeline, at, first_owner)
            add(M.REFERRAL if kind == K.REFERRED else M.RETURNED, at, unit)
        elif kind == K.OVERDUE:
            add(M.OVERDUE, at, event["to_unit_id"] or _owner_at(timeline, at, first_owner))
            if first_response is None:
                overdue_before_response = True
        elif kind == K.OBJECTED:
            add(M.OBJECTION, at, _owner_at(timeline, at, first_owner))
        elif kind == K.RESPONDED and first_response is None:
            first_response = event
            # The deadline of the first response is the case's respond_by until an objection
            # restarts the clock; after one, the overdue mark is what remains of it.
            late = overdue_before_response or (
                not objected and case["respond_by"] is not None and at > case["respond_by"]
            )
            add(M.RESPONDED, at, _owner_at(timeline, at, first_owner), flag=not late)
    if not registered:
        add(M.REGISTERED, case["created_at"], first_owner)
    responded_at = case["responded_at"]
    if case["phase"] in RESOLVED_PHASES and responded_at is not None:
        minutes = max(0, int((responded_at - case["created_at"]).total_seconds() // 60))
        on_time = case["resolve_by"] is None or responded_at <= case["resolve_by"]
        add(
            M.RESOLVED,
            responded_at,
            _owner_at(timeline, responded_at, first_owner),
            value=minutes,
            flag=on_time,
        )
    for rating in ratings:
        unit = _owner_at(timeline, rating["response_at"], first_owner)
        add(M.RATING, rating["created_at"], unit, value=rating["score"], flag=rating["fixed"])
    return rows


def contributions_for_cases(case_ids: Iterable[int]) -> list[Contribution]:
    """The contribution rows the given cases should have now (unsaved), in case id order.

    Three queries per call (cases, their relevant events, their ratings); callers pass chunks of a
    few thousand ids. Cases that no longer exist contribute nothing. Raises nothing.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return []
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in (
        CaseEvent.objects.filter(case_id__in=ids, kind__in=RELEVANT_KINDS)
        .order_by("created_at", "id")
        .values("id", "case_id", "kind", "created_at", "from_unit_id", "to_unit_id")
    ):
        events[event["case_id"]].append(dict(event))
    ratings: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rating in (
        Rating.objects.filter(case_id__in=ids)
        .order_by("created_at", "id")
        .values("case_id", "score", "fixed", "response_at", "created_at")
    ):
        ratings[rating["case_id"]].append(dict(rating))
    rows: list[Contribution] = []
    for case in Case.objects.filter(pk__in=ids).order_by("pk").values(*_CASE_FIELDS):
        rows.extend(_case_contributions(case, events.get(case["id"], []), ratings.get(case["id"], [])))
    return rows
