"""Closing responses that nobody objected to by the end of the window (the periodic task)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.cases.survey import survey_token
from peygir.feedback import services
from peygir.feedback.services import survey_answer, survey_close_unanswered
from peygir.feedback.tasks import close_unanswered_task
from peygir.notifications.models import Notification

from .conftest import respond_case

pytestmark = pytest.mark.django_db


def test_a_response_without_an_answer_is_closed_when_the_window_ends(responded):
    end = responded.responded_at + dt.timedelta(days=7)
    assert survey_close_unanswered(now=end) == 0
    assert Case.objects.get(pk=responded.pk).phase == "responded"
    assert survey_close_unanswered(now=end + dt.timedelta(seconds=1)) == 1
    case = Case.objects.get(pk=responded.pk)
    assert (case.phase, case.resolution) == ("closed", "fixed")
    event = CaseEvent.objects.filter(case=case, kind="closed").get()
    assert (event.actor_id, event.public_note) == (None, "مهلت اعتراض به پاسخ به پایان رسید.")
    assert Notification.objects.filter(kind="case_closed").count() == 1


def test_the_close_is_idempotent(responded):
    later = responded.responded_at + dt.timedelta(days=8)
    assert survey_close_unanswered(now=later) == 1
    assert survey_close_unanswered(now=later) == 0
    assert CaseEvent.objects.filter(case=responded, kind="closed").count() == 1


def test_the_task_follows_the_objection_window_setting(responded, settings):
    settings.PEYGIR = {**settings.PEYGIR, "OBJECTION_WINDOW_DAYS": 2}
    with time_machine.travel(responded.responded_at + dt.timedelta(days=2, minutes=1), tick=False):
        result = close_unanswered_task.call()
    assert result == {"closed": 1}


def test_objected_and_still_open_cases_are_left_alone(submit, responded, officer6):
    survey_answer(token=survey_token(responded), score=1, fixed=False)
    untouched = submit()
    later = responded.responded_at + dt.timedelta(days=9)
    assert survey_close_unanswered(now=later) == 0
    assert Case.objects.get(pk=responded.pk).phase == "in_progress"
    assert Case.objects.get(pk=untouched.pk).phase == "registered"


def test_batches_close_the_oldest_first(submit, officer6):
    first = respond_case(submit(), officer6)
    second = respond_case(submit(), officer6)
    later = second.responded_at + dt.timedelta(days=8)
    assert survey_close_unanswered(now=later, batch_size=1) == 1
    assert Case.objects.get(pk=first.pk).phase == "closed"
    assert Case.objects.get(pk=second.pk).phase == "responded"
    assert survey_close_unanswered(now=later, batch_size=1) == 1
    assert Case.objects.get(pk=second.pk).phase == "closed"


def test_a_case_that_moves_between_the_read_and_the_swap_is_skipped(responded, monkeypatch):
    real = services.case_transition

    def racing(**kwargs):
        # Another worker (or the citizen) changes the case just before our compare-and-swap.
        Case.objects.filter(pk=kwargs["case"].pk).update(version=kwargs["case"].version + 1)
        return real(**kwargs)

    monkeypatch.setattr(services, "case_transition", racing)
    assert survey_close_unanswered(now=responded.responded_at + dt.timedelta(days=8)) == 0
    case = Case.objects.get(pk=responded.pk)
    assert case.phase == "responded"
    assert not CaseEvent.objects.filter(case=case, kind="closed").exists()


def test_a_case_the_citizen_closed_can_still_be_objected_by_survey(responded, citizen):
    case = case_transition(case=responded, action="close", actor=citizen)
    result = survey_answer(token=survey_token(case), score=1, fixed=False, comment="اشتباه بستم")
    assert (result.objected, Case.objects.get(pk=case.pk).phase) == (True, "in_progress")
