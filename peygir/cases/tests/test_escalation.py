from __future__ import annotations

import datetime as dt

import time_machine

from peygir.cases.escalation import sla_scan
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.notifications.models import Notification


def _scan(at: dt.datetime, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return sla_scan()


def test_warning_at_eighty_percent_then_escalation_on_breach(
    case6, officer6, manager6, supervisor, django_capture_on_commit_callbacks
):
    case = case_transition(case=case6, action="accept", actor=officer6)
    assert case.warn_at is not None and case.sla_started_at < case.warn_at < case.respond_by

    before_warning = _scan(case.warn_at - dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert (before_warning.warned, before_warning.overdue) == (0, 0)

    warned = _scan(case.warn_at + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert (warned.warned, warned.overdue) == (1, 0)
    warning = Notification.objects.get(kind="sla_warning")
    assert warning.to_user == officer6

    overdue = _scan(case.respond_by + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert (overdue.warned, overdue.overdue) == (0, 1)
    case.refresh_from_db()
    assert case.overdue_at is not None
    event = CaseEvent.objects.get(case=case, kind="overdue")
    assert event.is_public is False
    escalated_to = set(
        Notification.objects.filter(kind="case_overdue").values_list("to_user__username", flat=True)
    )
    assert escalated_to == {manager6.username, supervisor.username}


def test_running_the_scan_twice_changes_nothing_more(case6, django_capture_on_commit_callbacks):
    late = case6.respond_by + dt.timedelta(hours=1)
    first = _scan(late, django_capture_on_commit_callbacks)
    assert first.overdue == 1
    events = CaseEvent.objects.filter(case=case6).count()
    notices = Notification.objects.count()
    second = _scan(late + dt.timedelta(minutes=5), django_capture_on_commit_callbacks)
    assert (second.warned, second.overdue) == (0, 0)
    assert CaseEvent.objects.filter(case=case6).count() == events
    assert Notification.objects.count() == notices


def test_paused_cases_are_not_escalated(case6, officer6, django_capture_on_commit_callbacks):
    case = case_transition(case=case6, action="accept", actor=officer6)
    case = case_transition(case=case, action="request_info", actor=officer6, note="نشانی دقیق را بفرمایید")
    result = _scan(case.respond_by + dt.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert result.overdue == 0
    assert Case.objects.get(pk=case.pk).overdue_at is None


def test_responded_cases_are_not_escalated(case6, officer6, django_capture_on_commit_callbacks):
    case = case_transition(case=case6, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="answered", note="پاسخ")
    result = _scan(case.respond_by + dt.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert (result.warned, result.overdue) == (0, 0)


def test_the_periodic_task_runs_the_scan(case6):
    from peygir.cases.tasks import sla_scan_task

    with time_machine.travel(case6.respond_by + dt.timedelta(hours=1), tick=False):
        result = sla_scan_task.enqueue()
    assert result.return_value == {"warned": 0, "overdue": 1}
