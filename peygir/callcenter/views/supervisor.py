"""Supervisors' pages: the live wallboard, KPI reports, agents' workload, the call records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peygir.staff.decorators import staff_required, supervisor_required
from peygir.staff.views.common import staff_render

from ..agents import long_talk_seconds
from ..forms import PeriodForm
from ..kpis import kpi_report, wallboard_snapshot
from ..models import AgentState, AgentStateChange, Call
from ..selectors import caller_profile, calls_visible_to, can_use_console
from .common import load_call


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _period(form: PeriodForm) -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate()
    start = form.cleaned_data.get("start") or today
    end = form.cleaned_data.get("end") or start
    if end < start:
        start, end = end, start
    return _day_start(start), _day_start(end + dt.timedelta(days=1))


@supervisor_required
@require_GET
def wallboard(request: HttpRequest) -> HttpResponse:
    return staff_render(request, "callcenter/wallboard.html", {"nav_section": "wallboard", **_board()})


def _board() -> dict[str, Any]:
    snapshot = wallboard_snapshot()
    now = snapshot["now"]
    snapshot["agent_rows"] = [
        {
            "state": s,
            "talk_minutes": long_talk_seconds(s, now) // 60,
            "seconds": int((now - s.since).total_seconds()),
        }
        for s in snapshot["agents"]
    ]
    return snapshot


@supervisor_required
@require_GET
def wallboard_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "callcenter/_wallboard_panel.html", _board())


@supervisor_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    rows: list[Any] = []
    total = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        if not form.is_bound:
            form = PeriodForm({})
            form.is_valid()
        start, end = _period(form)
        rows, total = kpi_report(start=start, end=end, dimension=form.cleaned_data.get("by") or "queue")
    return staff_render(
        request,
        "callcenter/kpis.html",
        {"nav_section": "wallboard", "form": form, "rows": rows, "total": total},
        status=status,
    )


@supervisor_required
@require_GET
def agents(request: HttpRequest) -> HttpResponse:
    """Each agent's workload today: calls, talk, breaks (count and minutes), current state."""
    now = timezone.now()
    start = _day_start(timezone.localdate())
    states = {s.user_id: s for s in AgentState.objects.select_related("user")}
    calls: dict[int, dict[str, Any]] = {
        row["agent_id"]: dict(row)
        for row in Call.objects.filter(offered_at__gte=start, agent__isnull=False)
        .values("agent_id")
        .annotate(
            answered=Count("id", filter=Q(status=Call.Status.COMPLETED)),
            open=Count("id", filter=Q(closed_at__isnull=True)),
        )
    }
    breaks: dict[int, list[float]] = {}
    for stretch in AgentStateChange.objects.filter(state=AgentState.State.BREAK).exclude(ended_at__lt=start):
        seconds = ((stretch.ended_at or now) - max(stretch.started_at, start)).total_seconds()
        breaks.setdefault(stretch.user_id, []).append(seconds)
    talk = {
        row["agent_id"]: row["talk"] or 0
        for row in Call.objects.filter(offered_at__gte=start, agent__isnull=False)
        .values("agent_id")
        .annotate(talk=Sum("talk_seconds"))
    }
    rows = []
    for user_id, state in states.items():
        rows.append(
            {
                "state": state,
                "answered": calls.get(user_id, {}).get("answered", 0),
                "talk_minutes": int(talk.get(user_id, 0)) // 60,
                "breaks": len(breaks.get(user_id, [])),
                "break_minutes": int(sum(breaks.get(user_id, []))) // 60,
                "since_break_minutes": long_talk_seconds(state, now) // 60,
            }
        )
    rows.sort(key=lambda r: str(r["state"].user))
    return staff_render(request, "callcenter/agents.html", {"nav_section": "wallboard", "rows": rows})


@staff_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    """The call records the user may see (their own for an agent, all for a supervisor)."""
    if not can_use_console(request.user):
        raise Http404
    qs = calls_visible_to(request.user).order_by("-offered_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return staff_render(request, "callcenter/calls.html", {"nav_section": "console", "page": page})


@staff_required
@require_GET
def call_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    return staff_render(
        request,
        "callcenter/call.html",
        {
            "nav_section": "console",
            "call": call,
            "profile": caller_profile(call=call),
            "linked_cases": list(call.cases.all()),
        },
    )
