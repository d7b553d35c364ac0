from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_submit, case_transition
from peygir.core.errors import Conflict, NotFound, ValidationError
from peygir.notifications.models import Notification

from .conftest import POINT_6


def test_submit_routes_to_the_district_holding_the_point(submit, district6):
    case = submit()
    assert case.unit == district6
    assert case.district == district6
    assert case.area is not None and case.area.parent_id == district6.pk
    assert case.phase == Case.Phase.REGISTERED
    assert len(case.tracking_code) == 9
    assert case.h3_cell != ""


def test_submit_normalises_arabic_letters_in_the_description(submit):
    case = submit(description="  يك كيسه زباله   در كوچه  ")
    assert case.description == "یک کیسه زباله در کوچه"
    assert "کیسه" in case.search_text


def test_submit_records_a_public_event_and_an_audit_entry(submit):
    case = submit()
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.is_public, event.to_phase) == ("registered", True, "registered")
    entry = AuditEntry.objects.get(object_id=str(case.public_id))
    assert entry.action == "case.submit"
    assert entry.after["tracking_code"] == case.tracking_code


def test_retry_with_the_same_channel_message_returns_the_first_case(org_tree):
    fields = {
        "channel": "sms",
        "message_type": "request",
        "category": "waste",
        "description": "زباله کوچه جمع نشده",
        "external_id": "sms-4711",
    }
    first = case_submit(**fields)
    second = case_submit(**fields)
    assert first.created is True
    assert second.created is False
    assert second.case.pk == first.case.pk
    assert Case.objects.filter(external_id="sms-4711").count() == 1


def test_same_message_id_on_another_channel_is_another_case(org_tree):
    base = {"message_type": "request", "category": "waste", "description": "زباله کوچه جمع نشده"}
    a = case_submit(channel="sms", external_id="42", **base)
    b = case_submit(channel="bot", external_id="42", **base)
    assert a.case.pk != b.case.pk


def test_database_refuses_a_second_case_for_one_channel_message(submit):
    case = submit(external_id="x-1")
    with pytest.raises(IntegrityError):
        Case.objects.create(
            tracking_code="999999999",
            message_type=case.message_type,
            category=case.category,
            channel=case.channel,
            external_id="x-1",
            description="x",
            unit=case.unit,
        )


def test_without_a_location_the_case_goes_to_the_center(submit, center):
    case = submit(point=(None, None))
    assert case.unit == center
    assert case.district is None


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"category": "nope"}, "bad_category"),
        ({"message_type": "nope"}, "bad_type"),
        ({"description": "کم"}, "description_short"),
        ({"description": "ا" * 5001}, "description_long"),
        ({"point": (35.7, None)}, "bad_location"),
        ({"point": (135.7, 51.4)}, "bad_location"),
        ({"contact_phone": "12345"}, "bad_phone"),
        ({"channel": "fax"}, "bad_channel"),
        ({"priority": "urgent!"}, "bad_priority"),
        ({"service_code": "roads-pothole"}, "bad_service"),
    ],
)
def test_bad_input_is_refused_in_persian_and_nothing_is_stored(submit, overrides, code):
    with pytest.raises(ValidationError) as caught:
        submit(**overrides)
    assert caught.value.code == code
    assert any("\u0600" <= char <= "\u06ff" for char in str(caught.value.detail))
    assert Case.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_staff_conduct_complaints_need_a_contact(submit):
    with pytest.raises(ValidationError) as caught:
        submit(category="staff", message_type="complaint", anonymous=True)
    assert caught.value.code == "contact_required"
    case = submit(category="staff", message_type="complaint", contact_phone="۰۹۱۲۳۴۵۶۷۸۹")
    assert case.contact_phone == "09123456789"


def test_anonymous_submission_keeps_no_contact(submit):
    case = submit(anonymous=True, contact_phone="09123456789", contact_name="علی")
    assert case.is_anonymous is True
    assert (case.contact_phone, case.contact_name) == ("", "")


def test_registration_sends_the_tracking_code_by_sms(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(contact_phone="09121112233")
    sms = Notification.objects.get(kind="case_registered")
    assert sms.to_phone == "09121112233"
    assert case.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in sms.body


def test_stale_copy_of_a_case_cannot_overwrite_a_newer_change(case6, officer6, manager6):
    stale = Case.objects.get(pk=case6.pk)
    case_transition(case=case6, action="accept", actor=officer6)
    with pytest.raises(Conflict):
        case_transition(case=stale, action="assign", actor=manager6, assignee=officer6)
    fresh = Case.objects.get(pk=case6.pk)
    assert (fresh.phase, fresh.version) == ("in_progress", 2)


def test_audit_failure_rolls_the_transition_back(case6, officer6, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("peygir.cases.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        case_transition(case=case6, action="accept", actor=officer6)
    fresh = Case.objects.get(pk=case6.pk)
    assert (fresh.phase, fresh.version) == ("registered", 1)
    assert CaseEvent.objects.filter(case=case6).count() == 1


def test_officer_of_another_district_cannot_touch_the_case(case6, officer7):
    with pytest.raises(NotFound):
        case_transition(case=case6, action="accept", actor=officer7)
    assert Case.objects.get(pk=case6.pk).phase == "registered"


def test_refer_moves_the_case_and_keeps_the_reason_internal(case6, officer6, district6, district7):
    case = case_transition(
        case=case6, action="refer", actor=officer6, unit=district7, note="محل در منطقه ۷ است"
    )
    assert case.unit == district7
    assert case.assignee is None
    event = case.events.get(kind="referred")
    assert event.is_public is True
    assert event.public_note == ""
    assert event.internal_note == "محل در منطقه ۷ است"
    assert (event.from_unit_id, event.to_unit_id) == (district6.pk, district7.pk)


def test_refer_needs_a_reason(case6, officer6, district7):
    with pytest.raises(ValidationError):
        case_transition(case=case6, action="refer", actor=officer6, unit=district7)


def test_return_to_center_hands_the_case_to_the_center(case6, officer6, center, supervisor, district7):
    case = case_transition(
        case=case6, action="return_to_center", actor=officer6, note="مربوط به شهرداری نیست"
    )
    assert (case.phase, case.unit) == ("returned", center)
    case = case_transition(
        case=case, action="refer", actor=supervisor, unit=district7, note="ارجاع به منطقه ۷"
    )
    assert (case.phase, case.unit) == ("registered", district7)


def test_waiting_for_the_citizen_pauses_the_clock(case6, officer6, citizen):
    start = timezone.now()
    case = case_transition(case=case6, action="accept", actor=officer6)
    original = case.respond_by
    with time_machine.travel(start, tick=False):
        case = case_transition(case=case, action="request_info", actor=officer6, note="نشانی دقیق؟")
    assert case.sla_paused_at is not None
    # A full working week later the citizen answers: the deadline moves by the working time paused.
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        case = case_transition(case=case, action="citizen_reply", actor=citizen, note="کوچه ۱۲، پلاک ۴")
    assert case.sla_paused_at is None
    assert case.respond_by > original + dt.timedelta(hours=30)


def test_objection_reopens_and_restarts_the_resolution_clock(case6, officer6, citizen):
    case = case_transition(case=case6, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="رفع شد")
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        case = case_transition(case=case, action="object", actor=citizen, note="هنوز زباله‌ها هست")
    assert (case.phase, case.resolution) == ("in_progress", "")
    assert case.sla_started_at == later
    assert case.respond_by > later


def test_objection_after_the_window_is_refused(case6, officer6, citizen, settings):
    case = case_transition(case=case6, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="رفع شد")
    days = settings.PEYGIR["OBJECTION_WINDOW_DAYS"]
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=days, hours=1), tick=False),
        pytest.raises(Conflict),
    ):
        case_transition(case=case, action="object", actor=citizen, note="رفع نشده")
    assert Case.objects.get(pk=case.pk).phase == "responded"


def test_respond_requires_a_resolution_and_a_text(case6, officer6):
    case = case_transition(case=case6, action="accept", actor=officer6)
    with pytest.raises(ValidationError):
        case_transition(case=case, action="respond", actor=officer6, note="رفع شد")
    with pytest.raises(ValidationError):
        case_transition(case=case, action="respond", actor=officer6, resolution="fixed")
    assert Case.objects.get(pk=case.pk).phase == "in_progress"


def test_merge_closes_the_duplicate_and_points_to_the_original(submit, officer6, citizen):
    original = submit(citizen=citizen)
    duplicate = submit(description="زباله‌های کوچه را جمع کنید")
    case = case_transition(case=duplicate, action="merge", actor=officer6, target=original)
    assert (case.phase, case.resolution, case.duplicate_of_id) == ("closed", "duplicate", original.pk)
    assert original.tracking_code in case.response_text


def test_merge_into_a_case_out_of_scope_is_not_found(submit, officer6):
    mine = submit()
    theirs = submit(point=(35.72193, 51.44392))
    with pytest.raises(NotFound):
        case_transition(case=mine, action="merge", actor=officer6, target=theirs)


def test_point_outside_the_city_goes_to_the_center(submit, center):
    case = submit(point=(29.6, 52.5))  # Shiraz
    assert case.unit == center


def test_located_case_has_the_h3_cell_of_its_point(submit):
    import h3

    case = submit(point=POINT_6)
    assert case.h3_cell == h3.latlng_to_cell(POINT_6[0], POINT_6[1], 9)


def test_routing_rules_know_every_intake_channel():
    from peygir.routing.models import RoutingRule

    assert set(RoutingRule.Channel.values) == set(Case.Channel.values)


def test_citizen_sms_is_persian_even_when_the_officer_works_in_english(case6, officer6):
    from django.utils.translation import override

    case6.contact_phone = "09121112233"
    Case.objects.filter(pk=case6.pk).update(contact_phone="09121112233")
    case = case_transition(case=case6, action="accept", actor=officer6)
    with override("en"):
        case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="Done")
    sms = Notification.objects.get(kind="case_responded")
    assert "پاسخ داده شد" in sms.body


@pytest.mark.django_db
def test_registration_writes_event_and_pending_rows_with_the_audit_lock(submit, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from peygir.audit.models import AuditEntry

    settings.TASKS = {"default": {"BACKEND": "peygir.core.tasks.DatabaseBackend", "QUEUES": []}}
    tasks = DBTaskResult.objects.count()
    with CaptureQueriesContext(connection) as queries:
        case = submit(contact_phone="09121234567")
    assert CaseEvent.objects.filter(case=case, kind="registered").count() == 1
    # No task row: the citizen's SMS waits in the outbox for the relay, the case for the classifier.
    assert DBTaskResult.objects.count() == tasks
    assert AuditEntry.objects.filter(object_id=str(case.public_id)).exists()
    if connection.vendor == "postgresql":
        # Case, notification, [event, pending classification, chain lock], audit entry.
        writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "WITH", "SELECT pg_"))]
        assert len(writes) == 4, writes
        assert "pg_advisory_xact_lock" in writes[2] and writes[2].count("INSERT INTO") == 2


def test_hand_written_inserts_prepare_values_as_save_would(submit):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from peygir.core.db import insert_plan, insert_values
    from peygir.notifications.models import Notification

    def plain(values: list[Any]) -> list[Any]:
        return [getattr(value, "obj", value) for value in values]  # psycopg's Jsonb wraps JSON

    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        case = submit(contact_phone="09121234567", priority="high", address="خیابان ولیعصر")
        rows = [
            case,
            CaseEvent.objects.get(case=case),
            Notification.objects.filter(to_phone="09121234567").latest("id"),
            AuditEntry.objects.latest("id"),
            DBTaskResult(task_path="x.y", args_kwargs={"args": [1], "kwargs": {}}, backend_name="default"),
        ]
        for row in rows:
            fields = [f for f in row._meta.concrete_fields if not (f.primary_key and f.db_returning)]
            expected = [f.get_db_prep_save(f.pre_save(row, True), connection=connection) for f in fields]
            assert plain(insert_values(row, insert_plan(fields), connection)) == plain(expected), row
