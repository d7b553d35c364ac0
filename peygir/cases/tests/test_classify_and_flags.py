"""Messages without a category, classification, withdrawal, priority changes, special cases, objections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_set_priority, case_set_special, case_submit, case_transition
from peygir.cases.signals import case_registered
from peygir.catalog.models import Category, Priority
from peygir.core.errors import Conflict, NotFound, PermissionDenied, ValidationError

from .conftest import POINT_6


def _sms_case(**overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "channel": Case.Channel.SMS,
        "message_type": "complaint",
        "category": "",
        "description": "سلام جلوی خانه ما چند روز است زباله جمع نشده",
        "contact_phone": "09121112233",
        "unclassified": True,
        "external_id": "sms-1",
    }
    fields.update(overrides)
    return case_submit(**fields).case


def test_a_message_without_category_waits_at_the_center_with_a_short_deadline(center):
    now = timezone.now()
    case = _sms_case()
    assert case.category_id is None
    assert case.unit_id == center.pk
    assert case.phase == "registered"
    assert case.is_anonymous is False
    assert dt.timedelta(hours=3, minutes=59) < case.respond_by - now < dt.timedelta(hours=4, minutes=1)


def test_an_empty_category_is_refused_unless_the_channel_allows_it(org_tree):
    with pytest.raises(ValidationError) as exc:
        case_submit(channel="web", message_type="request", category="", description="چراغ کوچه خاموش است")
    assert exc.value.code == "bad_category"
    assert not Case.objects.exists()


def test_an_unclassified_message_needs_a_contact(org_tree):
    with pytest.raises(ValidationError) as exc:
        _sms_case(contact_phone="")
    assert exc.value.code == "contact_required"


def test_only_classification_and_closing_actions_are_possible_before_a_category(supervisor, org_tree):
    case = _sms_case()
    with pytest.raises(Conflict) as exc:
        case_transition(case=case, action="accept", actor=supervisor)
    assert exc.value.code == "unclassified"
    assert Case.objects.get(pk=case.pk).version == case.version


def test_classifying_routes_the_case_to_its_unit_and_restarts_nothing_else(supervisor, district6):
    case = _sms_case(lat=POINT_6[0], lon=POINT_6[1])
    started = case.sla_started_at
    case = case_transition(
        case=case, action="classify", actor=supervisor, category=Category.objects.get(code="waste")
    )
    assert case.category.code == "waste"
    assert case.unit_id == district6.pk
    assert case.phase == "registered"
    assert case.sla_started_at == started
    # Waste's 24 hours, counted from registration: later than the center's 4 hours to classify.
    assert case.respond_by > started + dt.timedelta(hours=4)
    event = case.events.get(kind=CaseEvent.Kind.CLASSIFIED)
    assert event.data == {"from_category": "", "to_category": "waste", "route": "district_of_point"}
    assert (event.from_unit.kind, event.to_unit_id) == ("center", district6.pk)
    assert AuditEntry.objects.filter(action="case.classify", object_id=str(case.public_id)).count() == 1


def test_classifying_within_the_same_unit_keeps_the_phase_and_assignee(submit, citizen, officer6):
    case = submit(citizen=citizen)
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(
        case=case, action="classify", actor=officer6, category=Category.objects.get(code="lighting")
    )
    assert (case.phase, case.assignee_id, case.category.code) == ("in_progress", officer6.pk, "lighting")


def test_classification_is_refused_for_the_same_category_and_for_citizens(submit, citizen, officer6):
    case = submit(citizen=citizen)
    with pytest.raises(ValidationError) as exc:
        case_transition(
            case=case, action="classify", actor=officer6, category=Category.objects.get(code="waste")
        )
    assert exc.value.code == "same_category"
    with pytest.raises(PermissionDenied):
        case_transition(
            case=case, action="classify", actor=citizen, category=Category.objects.get(code="roads")
        )
    assert Case.objects.get(pk=case.pk).category.code == "waste"


def test_the_system_may_classify(org_tree):
    case = _sms_case()
    case = case_transition(
        case=case, action="classify", system=True, category=Category.objects.get(code="transit")
    )
    assert case.category.code == "transit"


def test_registration_signal_fires_once_inside_the_transaction(org_tree):
    seen: list[tuple[int, bool]] = []

    def receiver(sender: Any, case: Case, **kwargs: Any) -> None:
        seen.append((case.pk, connection.in_atomic_block))

    case_registered.connect(receiver)
    try:
        case = _sms_case()
        again = _sms_case()  # the same SMS delivered twice
    finally:
        case_registered.disconnect(receiver)
    assert again.pk == case.pk
    assert seen == [(case.pk, True)]


def test_withdrawal_closes_with_a_neutral_public_note(submit, citizen, supervisor, officer6):
    case = submit(citizen=citizen)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, action="withdraw", actor=officer6)
    case = case_transition(
        case=case, action="withdraw", actor=supervisor, note="گزارش رشوه", internal_note="x"
    )
    assert case.phase == "closed"
    event = case.events.get(kind=CaseEvent.Kind.WITHDRAWN)
    assert event.is_public is True
    assert event.internal_note == ""
    assert "رشوه" not in event.public_note


def test_priority_change_moves_deadlines_and_is_recorded(submit, citizen, officer6, officer7):
    case = submit(citizen=citizen)
    before = case.respond_by
    emergency = Priority.objects.get(code="emergency")
    with pytest.raises(NotFound):
        case_set_priority(case=case, priority=emergency, actor=officer7, reason="خطر")
    with pytest.raises(PermissionDenied):
        case_set_priority(case=case, priority=emergency, actor=citizen, reason="خطر")
    case = case_set_priority(case=case, priority=emergency, actor=officer6, reason="بوی گاز")
    assert case.priority_id == emergency.pk
    assert case.respond_by < before
    event = case.events.get(kind=CaseEvent.Kind.PRIORITY_CHANGED)
    assert (event.internal_note, event.data) == ("بوی گاز", {"from": None, "to": emergency.pk})
    with pytest.raises(ValidationError):
        case_set_priority(case=case, priority=emergency, system=True)


def test_special_flag_with_stakes_is_for_supervisors_only(submit, citizen, supervisor, officer6):
    case = submit(citizen=citizen)
    with pytest.raises(PermissionDenied):
        case_set_special(case=case, actor=officer6, is_special=True, estimated="1000")
    for bad in ("-5", "12.5", "abc"):
        with pytest.raises(ValidationError):
            case_set_special(case=case, actor=supervisor, is_special=True, estimated=bad)
    assert Case.objects.get(pk=case.pk).is_special is False
    case = case_set_special(
        case=case, actor=supervisor, is_special=True, estimated="2,500,000,000", note="تخلف ساختمانی بزرگ"
    )
    assert (case.is_special, case.financial_stakes, case.financial_realised) == (
        True,
        Decimal(2500000000),
        None,
    )
    case = case_set_special(case=case, actor=supervisor, is_special=False)
    assert (case.is_special, case.financial_stakes) == (False, None)
    assert case.events.filter(kind=CaseEvent.Kind.SPECIAL).count() == 2


def test_an_objection_marks_the_case_and_counts(submit, citizen, officer6):
    case = submit(citizen=citizen)
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="رفع شد")
    case = case_transition(case=case, action="object", actor=citizen, note="هنوز زباله هست")
    assert case.objected_at is not None
    assert case.objection_count == 1
    case = case_transition(
        case=case, action="respond", actor=officer6, resolution="fixed", note="این بار رفع شد"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)), pytest.raises(Conflict):
        case_transition(case=case, action="object", system=True, note="باز هم")
    case = case_transition(case=case, action="object", system=True, note="باز هم")
    assert case.objection_count == 2


def test_guest_cases_join_the_citizen_when_they_sign_in(submit, org_tree, django_capture_on_commit_callbacks):
    from peygir.accounts.services import otp_request, otp_verify
    from peygir.core.text import to_latin_digits
    from peygir.notifications.models import Notification

    guest = submit(contact_phone="09127778899")
    anonymous = submit(anonymous=True)
    someone_else = submit(contact_phone="09120000099")
    with django_capture_on_commit_callbacks(execute=True):
        otp_request(mobile="09127778899", ip="127.0.0.1")
    body = to_latin_digits(Notification.objects.get(to_phone="09127778899", kind="otp").body)
    code = next(word for word in body.split() if word.isdigit() and len(word) == 6)
    with django_capture_on_commit_callbacks(execute=True):
        user = otp_verify(mobile="09127778899", code=code)
    assert list(Case.objects.filter(citizen=user).values_list("pk", flat=True)) == [guest.pk]
    assert Case.objects.get(pk=anonymous.pk).citizen_id is None
    assert Case.objects.get(pk=someone_else.pk).citizen_id is None
    assert AuditEntry.objects.filter(action="case.claim").count() == 1
