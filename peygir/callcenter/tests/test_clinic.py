"""The consultation clinic: no double booking (a database constraint), reminders, outcomes, pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from peygir.callcenter.clinic import (
    clinic_book,
    clinic_cancel,
    clinic_record_outcome,
    clinic_reminders_send,
    clinic_slots_open,
    clinic_slots_publish,
    clinic_stats,
)
from peygir.callcenter.models import Booking, ClinicSlot, Expert
from peygir.core.errors import Conflict, ValidationError
from peygir.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(officer6: Any) -> Expert:
    return Expert.objects.create(user=officer6, topic=Expert.Topic.LEGAL, title="مشاور حقوقی")


@pytest.fixture
def slot(expert: Expert) -> ClinicSlot:
    return ClinicSlot.objects.create(expert=expert, starts_at=timezone.now() + dt.timedelta(hours=30))


def test_the_database_refuses_a_second_live_booking_of_a_slot(slot: ClinicSlot) -> None:
    Booking.objects.create(slot=slot, phone="09120000001", subject="پرسش حقوقی", channel="portal")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, phone="09120000002", subject="پرسش دیگر", channel="agent")
    assert Booking.objects.filter(slot=slot).count() == 1


def test_a_cancelled_booking_frees_the_slot(slot: ClinicSlot, citizen: Any, citizen_b: Any) -> None:
    first = clinic_book(slot=slot, actor=citizen, citizen=citizen, subject="پرسش درباره پروانه ساخت")
    with pytest.raises(Conflict):
        clinic_book(slot=slot, actor=citizen_b, citizen=citizen_b, subject="پرسش درباره عوارض")
    assert list(clinic_slots_open()) == []
    clinic_cancel(booking=first, actor=citizen)
    assert list(clinic_slots_open()) == [slot]
    second = clinic_book(slot=slot, actor=citizen_b, citizen=citizen_b, subject="پرسش درباره عوارض")
    assert second.status == Booking.Status.BOOKED
    assert Notification.objects.filter(kind="clinic_booked").count() == 2


def test_bad_phone_and_past_slots_are_refused(expert: Expert, agent: Any) -> None:
    past = ClinicSlot.objects.create(expert=expert, starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(Conflict):
        clinic_book(slot=past, actor=agent, phone="09120000003", subject="پرسش حقوقی", channel="agent")
    future = ClinicSlot.objects.create(expert=expert, starts_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(ValidationError):
        clinic_book(slot=future, actor=agent, phone="12345", subject="پرسش حقوقی", channel="agent")
    assert Booking.objects.count() == 0


def test_reminders_go_once_inside_the_window(slot: ClinicSlot, citizen: Any, settings: Any) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CLINIC_REMINDER_HOURS": 24}
    booking = clinic_book(slot=slot, actor=citizen, citizen=citizen, subject="پرسش درباره پروانه ساخت")
    assert clinic_reminders_send() == 0  # 30 hours ahead
    with time_machine.travel(timezone.now() + dt.timedelta(hours=8)):
        assert clinic_reminders_send() == 1
        assert clinic_reminders_send() == 0
    reminder = Notification.objects.get(kind="clinic_reminder")
    assert reminder.to_phone == "09120000001" and "مشاور حقوقی" in reminder.body
    booking.refresh_from_db()
    assert booking.reminded_at is not None


def test_outcome_opens_a_case_and_stats_count_it(slot: ClinicSlot, citizen: Any, officer6: Any) -> None:
    booking = clinic_book(slot=slot, actor=citizen, citizen=citizen, subject="پرسش درباره پروانه ساخت")
    with pytest.raises(Conflict):
        clinic_record_outcome(booking=booking, actor=officer6, outcome="زود است")
    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=25)):
        done = clinic_record_outcome(
            booking=booking,
            actor=officer6,
            outcome="راهنمایی شد؛ تخلف ساختمانی همسایه باید بررسی شود.",
            case_category="construction",
        )
    assert done.status == Booking.Status.DONE
    assert (done.case.channel, done.case.citizen, done.case.category.code) == (
        "phone",
        citizen,
        "construction",
    )
    stats = clinic_stats(
        start=slot.starts_at - dt.timedelta(days=1), end=slot.starts_at + dt.timedelta(days=1)
    )
    assert stats["experts"] == [
        {
            "slot__expert_id": slot.expert_id,
            "slot__expert__title": "مشاور حقوقی",
            "booked": 0,
            "done": 1,
            "no_show": 0,
            "cancelled": 0,
            "cases": 1,
        }
    ]
    assert [(r["label"], r["done"]) for r in stats["topics"]] == [("حقوقی", 1)]


def test_no_show_is_recorded(slot: ClinicSlot, citizen: Any, officer6: Any) -> None:
    booking = clinic_book(slot=slot, actor=citizen, citizen=citizen, subject="پرسش درباره پروانه ساخت")
    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=5)):
        clinic_record_outcome(booking=booking, actor=officer6, no_show=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW and booking.case is None


def test_publishing_skips_taken_starts(expert: Expert, supervisor: Any) -> None:
    first = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    assert len(clinic_slots_publish(expert=expert, actor=supervisor, first=first, count=3, minutes=20)) == 3
    assert len(clinic_slots_publish(expert=expert, actor=supervisor, first=first, count=4, minutes=20)) == 1
    with pytest.raises(ValidationError):
        clinic_slots_publish(expert=expert, actor=supervisor, first=first, count=99, minutes=20)


def test_citizen_books_on_the_portal_and_cannot_touch_another_ones_booking(
    slot: ClinicSlot, citizen: Any, citizen_b: Any
) -> None:
    anonymous = Client().get(f"/clinic/book/{slot.public_id}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    mine = Client()
    mine.force_login(citizen)
    assert "مشاور حقوقی" in Client().get("/clinic/").content.decode()
    bad = mine.post(f"/clinic/book/{slot.public_id}/", {"subject": "کو"})
    assert bad.status_code == 422 and Booking.objects.count() == 0
    response = mine.post(f"/clinic/book/{slot.public_id}/", {"subject": "پرسش درباره پروانه ساخت"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    other = Client()
    other.force_login(citizen_b)
    assert other.post(f"/clinic/bookings/{booking.public_id}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert mine.post(f"/clinic/bookings/{booking.public_id}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_agent_books_for_a_caller_and_experts_see_only_their_bookings(
    slot: ClinicSlot, as_agent: Client, as_supervisor: Client, officer7: Any
) -> None:
    from .conftest import sign_in

    response = as_agent.post(
        "/staff/callcenter/clinic/book/",
        {"slot": str(slot.public_id), "phone": "09123334455", "subject": "پرسش درباره عوارض نوسازی"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.channel, booking.phone) == ("agent", "09123334455")
    assert (
        sign_in(Client(), officer7).get(f"/staff/callcenter/clinic/bookings/{booking.public_id}/").status_code
        == 404
    )
    assert as_supervisor.get(f"/staff/callcenter/clinic/bookings/{booking.public_id}/").status_code == 200
