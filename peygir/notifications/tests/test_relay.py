"""The relay: where tasks are rows in this database the outbox is its own queue, and one periodic
task sends what is due in batches instead of one task per message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from peygir.core.testing.locks import row_locked
from peygir.notifications import services
from peygir.notifications.backends import Receipt
from peygir.notifications.models import Notification
from peygir.notifications.services import CLAIM_TIMEOUT, notification_enqueue, notifications_relay
from peygir.notifications.sms import TEHRAN
from peygir.notifications.tasks import relay_notifications_task

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "peygir.core.tasks.DatabaseBackend", "QUEUES": []}}
EVENING = dt.datetime(2025, 6, 10, 18, 0, tzinfo=TEHRAN)
NIGHT = dt.datetime(2025, 6, 10, 23, 30, tzinfo=TEHRAN)
MORNING = dt.datetime(2025, 6, 11, 7, 0, tzinfo=TEHRAN)


@pytest.fixture
def db_tasks(settings: Any, peygir_settings: Any) -> None:
    settings.TASKS = DB_TASKS
    peygir_settings(SMS_QUIET_HOURS="22:00-07:00", SMS_BACKEND="console")


@pytest.fixture
def gateway(monkeypatch: Any) -> list[str]:
    """A gateway that records the bodies it was given, in order."""
    sent: list[str] = []

    class Recorder:
        def send(self, notification: Notification) -> Receipt:
            sent.append(notification.body)
            return Receipt(message_id=f"m{len(sent)}")

    monkeypatch.setattr(services, "backend_for", lambda channel: Recorder())
    return sent


def _sms(body: str, **overrides: Any) -> Notification:
    fields = {"channel": "sms", "to_phone": "09121234567", "kind": "case_registered", "body": body}
    fields.update(overrides)
    return notification_enqueue(**fields)


def test_the_relay_sends_what_is_due_oldest_first_and_stops_at_its_limit(db_tasks, gateway):
    with time_machine.travel(EVENING, tick=False) as clock:
        for number in range(5):
            _sms(f"پیام {number}")
            clock.shift(dt.timedelta(seconds=1))
        later = _sms("بعداً")
        Notification.objects.filter(pk=later.pk).update(next_attempt_at=EVENING + dt.timedelta(hours=1))
        assert not DBTaskResult.objects.exists()

        assert notifications_relay(limit=3, batch=2) == 3
        assert gateway == ["پیام 0", "پیام 1", "پیام 2"]
        assert notifications_relay() == 2

    assert gateway == [f"پیام {number}" for number in range(5)]
    rows = Notification.objects.exclude(pk=later.pk)
    assert {(row.status, row.attempts, row.claimed_at) for row in rows} == {("sent", 1, None)}
    assert sorted(rows.values_list("provider_message_id", flat=True)) == [f"m{n}" for n in range(1, 6)]
    assert Notification.objects.get(pk=later.pk).status == "pending"


def test_a_failed_send_is_retried_by_the_relay_when_its_time_comes(db_tasks, kavenegar):
    kavenegar.failures = [(503, "")]
    start = EVENING.replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        notification = _sms("پیام ۱۲۳۴۵۶۷۸۹")
        assert notifications_relay() == 0
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.claimed_at) == ("pending", 1, None)
    assert notification.next_attempt_at == start + dt.timedelta(seconds=30)
    assert notification.last_error
    assert not DBTaskResult.objects.exists()  # the relay, not a task, tries again

    with time_machine.travel(start + dt.timedelta(seconds=29), tick=False):
        assert notifications_relay() == 0
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert notifications_relay() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")


def test_a_message_due_in_quiet_hours_is_put_off_to_the_morning(db_tasks, gateway):
    with time_machine.travel(EVENING, tick=False):
        notification = _sms("پیام")
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=NIGHT - dt.timedelta(minutes=1))

    with time_machine.travel(NIGHT, tick=False):
        assert notifications_relay() == 0
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.next_attempt_at) == (
        "pending",
        0,
        MORNING,
    )
    assert gateway == []


def test_urgent_and_in_app_messages_go_out_at_night(db_tasks, gateway, admin_user):
    with time_machine.travel(NIGHT, tick=False):
        _sms("کد ورود: ۱۲۳۴۵۶", kind="otp")
        notification_enqueue(channel="inapp", to_user=admin_user, kind="sla_warning", body="مهلت")
        assert notifications_relay() == 2
    assert gateway == ["کد ورود: ۱۲۳۴۵۶"]  # the in-app notice needs no gateway
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_the_relay_takes_over_a_stale_claim_but_not_a_live_one(db_tasks, gateway, caplog):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stale, live = _sms("کهنه"), _sms("زنده")
    Notification.objects.filter(pk=stale.pk).update(status="sending", attempts=1, claimed_at=start)
    Notification.objects.filter(pk=live.pk).update(
        status="sending", attempts=1, claimed_at=start + CLAIM_TIMEOUT
    )

    with time_machine.travel(start + CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False):
        assert notifications_relay() == 1
    assert gateway == ["کهنه"]
    assert Notification.objects.get(pk=stale.pk).attempts == 2
    assert Notification.objects.get(pk=live.pk).status == "sending"
    assert f"notification {stale.public_id}: taking over a claim" in caplog.text


def test_a_message_someone_else_sent_meanwhile_is_not_sent_again(db_tasks, gateway):
    notification = _sms("پیام")
    services.notification_deliver(notification_id=notification.pk)  # an old task, say
    assert notifications_relay() == 0
    assert gateway == ["پیام"]


def test_sent_messages_are_recorded_a_group_at_a_time(db_tasks, gateway):
    def statements(count: int) -> int:
        for number in range(count):
            _sms(f"پیام {number}")
        with CaptureQueriesContext(connection) as queries:
            assert notifications_relay(batch=100) == count
        return len(queries)

    # One claim per batch, one UPDATE per RELAY_MARK_EVERY (25) sent messages.
    assert statements(50) - statements(10) == 1
    assert sorted(Notification.objects.values_list("provider_message_id", flat=True)) == sorted(
        f"m{n}" for n in range(1, 61)
    )


def test_a_message_taken_over_while_the_relay_sent_it_is_left_to_its_new_owner(db_tasks, monkeypatch, caplog):
    first, second = _sms("یکم"), _sms("دوم")

    class Gateway:
        def send(self, notification: Notification) -> Receipt:
            if notification.pk == first.pk:  # another worker took it over meanwhile
                Notification.objects.filter(pk=first.pk).update(attempts=7)
            return Receipt(message_id=f"id-{notification.pk}")

    monkeypatch.setattr(services, "backend_for", lambda channel: Gateway())
    assert notifications_relay() == 1
    assert Notification.objects.get(pk=second.pk).status == "sent"
    taken = Notification.objects.get(pk=first.pk)
    assert (taken.status, taken.attempts, taken.provider_message_id) == ("sending", 7, "")
    assert f"notification {first.public_id}: attempt 1 was taken over while sending" in caplog.text


def test_the_relay_task_runs_every_two_seconds_and_only_where_tasks_are_rows(
    settings, gateway, django_capture_on_commit_callbacks
):
    assert ("peygir.notifications.tasks.relay_notifications_task", 2) in settings.PERIODIC_TASKS
    # This app's tests run tasks at once: each message had its own delivery task already.
    with django_capture_on_commit_callbacks(execute=True):
        notification = _sms("پیام")
    assert gateway == ["پیام"]
    Notification.objects.filter(pk=notification.pk).update(status="pending", attempts=0)
    assert relay_notifications_task.call() == 0
    assert gateway == ["پیام"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; SQLite has one writer"
)
def test_two_relays_at_once_take_different_messages(db_tasks, gateway):
    held, other = _sms("گرفته"), _sms("آزاد")
    with row_locked(Notification.objects.filter(pk=held.pk)):
        assert notifications_relay() == 1  # without waiting for the held row
        assert gateway == ["آزاد"]
    assert notifications_relay() == 1
    assert gateway == ["آزاد", "گرفته"]
    assert Notification.objects.get(pk=other.pk).attempts == 1
