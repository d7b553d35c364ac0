"""KPIs against a small set of calls computed by hand (see the comments for each figure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from peygir.callcenter.kpis import kpi_report
from peygir.callcenter.models import AgentStateChange, Call, Queue
from peygir.cases.services import case_submit

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(hour: int, minute: int, day: int = 29) -> dt.datetime:
    return dt.datetime(2025, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def calls(agent: Any, agent_b: Any, settings: Any) -> dict[str, Call]:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_SERVICE_LEVEL_SECONDS": 20, "CALLCENTER_REPEAT_DAYS": 7}
    q137 = Queue.objects.create(name="137", title="۱۳۷")
    clinic = Queue.objects.create(name="clinic", title="کلینیک")
    case_x = case_submit(
        channel="phone",
        message_type="request",
        category="waste",
        description="زباله جمع نشده است.",
        contact_phone="09121111112",
    ).case

    def make(name: str, **fields: Any) -> Call:
        fields.setdefault("queue", q137)
        status = Call.Status.ABANDONED if fields.get("agent") is None else Call.Status.COMPLETED
        return Call.objects.create(linkedid=name, status=status, **fields)

    made = {
        # answered by agent, 10 s wait (in time), handle 100 + 0 + 20 = 120, no case
        "A": make(
            "A",
            agent=agent,
            offered_at=at(6, 0),
            wait_seconds=10,
            talk_seconds=100,
            wrap_seconds=20,
            caller_number="09121111111",
            disposition="information",
        ),
        # answered by agent, 30 s wait (late), handle 200 + 20 + 40 = 260, case X
        "B": make(
            "B",
            agent=agent,
            offered_at=at(6, 10),
            wait_seconds=30,
            talk_seconds=200,
            hold_seconds=20,
            wrap_seconds=40,
            caller_number="09121111112",
            disposition="case_registered",
        ),
        # answered by agent_b, 5 s wait, handle 60, a nuisance call (left out of FCR)
        "C": make(
            "C",
            agent=agent_b,
            offered_at=at(7, 0),
            wait_seconds=5,
            talk_seconds=60,
            wrap_seconds=0,
            caller_number="09121111113",
            disposition="nuisance",
        ),
        "D": make("D", offered_at=at(7, 5), wait_seconds=15, caller_number="09121111114"),
        "E": make("E", offered_at=at(7, 10), wait_seconds=50, caller_number="09121111115"),
        # answered by agent_b, exactly 20 s (in time), handle 140 + 10 = 150, follow-up of case X
        "F": make(
            "F",
            agent=agent_b,
            offered_at=at(7, 20),
            wait_seconds=20,
            talk_seconds=140,
            wrap_seconds=10,
            caller_number="09121111112",
            disposition="follow_up",
        ),
        # the next day (outside the period): A's caller again, no case: A was not resolved
        "G": make(
            "G",
            queue=clinic,
            agent=agent,
            offered_at=at(6, 0, day=30),
            wait_seconds=0,
            talk_seconds=50,
            wrap_seconds=10,
            caller_number="09121111111",
            disposition="information",
        ),
    }
    made["B"].cases.add(case_x)
    made["F"].cases.add(case_x)
    for user, state, start, end in (
        (agent, "available", at(5, 50), at(6, 0)),
        (agent, "on_call", at(6, 0), at(6, 2)),
        (agent, "wrap_up", at(6, 2), at(6, 3)),
        (agent, "available", at(6, 3), at(6, 10)),
        (agent, "break", at(6, 30), at(6, 45)),
        (agent_b, "on_call", at(7, 0), at(7, 1)),
        (agent_b, "available", at(7, 1), at(7, 5)),
    ):
        AgentStateChange.objects.create(user=user, state=state, started_at=start, ended_at=end)
    return made


PERIOD = {
    "start": dt.datetime(2025, 11, 28, 20, 30, tzinfo=UTC),
    "end": dt.datetime(2025, 11, 29, 20, 30, tzinfo=UTC),
}


def test_totals_of_the_day(calls: dict[str, Call]) -> None:
    rows, total = kpi_report(dimension="queue", **PERIOD)
    assert (total.offered, total.answered, total.abandoned) == (6, 4, 2)
    assert total.service_level == 0.75  # A, C, F of A, B, C, F
    assert total.service_level_with_abandoned == 0.5  # 3 ÷ (4 + 2)
    assert total.abandonment_rate == 0.3333  # 2 ÷ 6
    assert total.aht_seconds == 147.5  # (120 + 260 + 60 + 150) ÷ 4
    assert total.fcr == 0.3333  # A called again (G), B called again on case X (F); F resolved
    assert total.occupancy == 0.16  # (120 + 60 + 60) ÷ (1200 + 300)
    assert [(r.key, r.offered, r.occupancy) for r in rows] == [("137", 6, None)]


def test_by_agent(calls: dict[str, Call], agent: Any, agent_b: Any) -> None:
    rows, _total = kpi_report(dimension="agent", **PERIOD)
    by_key = {r.key: r for r in rows}
    first, second, nobody = by_key[agent.pk], by_key[agent_b.pk], by_key[None]
    assert (first.answered, first.service_level, first.aht_seconds, first.fcr, first.occupancy) == (
        2,
        0.5,
        190.0,
        0.0,
        0.15,
    )
    assert (second.answered, second.service_level, second.aht_seconds, second.fcr, second.occupancy) == (
        2,
        1.0,
        105.0,
        1.0,
        0.2,
    )
    assert (nobody.abandoned, nobody.answered) == (2, 0)


def test_by_hour_day_and_month_in_tehran_time(calls: dict[str, Call]) -> None:
    hours, _ = kpi_report(dimension="hour", **PERIOD)
    assert [(r.key, r.answered, r.abandoned, r.service_level_with_abandoned, r.occupancy) for r in hours] == [
        (9, 2, 0, 0.5, 0.15),  # 09:30 and 09:40 Tehran
        (10, 2, 2, 0.5, 0.2),
    ]
    days, _ = kpi_report(dimension="day", **PERIOD)
    assert [(r.key, r.label, r.offered) for r in days] == [("1404/09/08", "۱۴۰۴/۰۹/۰۸", 6)]
    months, _ = kpi_report(dimension="month", **PERIOD)
    assert [(r.key, r.offered) for r in months] == [("1404/09", 6)]
