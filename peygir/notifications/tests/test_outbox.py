"""The outbox's guarantees: one row per event and recipient, quiet hours, retries with their time,
templates, and at-least-once delivery when a worker dies mid-send."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone

from peygir.notifications import services
from peygir.notifications.backends import Receipt
from peygir.notifications.models import Notification, NotificationTemplate
from peygir.notifications.services import (
    CLAIM_TIMEOUT,
    SWEEP_GRACE,
    notification_deliver,
    notification_enqueue,
    notification_requeue_due,
    notification_retry,
    notification_template_render,
    notifications_relay,
)
from peygir.notifications.sms import TEHRAN
from peygir.notifications.tests.fake_provider import API_KEY

PHONE = "09121234567"
NIGHT = dt.datetime(2025, 6, 10, 23, 30, tzinfo=TEHRAN)
MORNING = dt.datetime(2025, 6, 11, 7, 0, tzinfo=TEHRAN)
DB_TASKS = {"default": {"BACKEND": "peygir.core.tasks.DatabaseBackend", "QUEUES": []}}


class WorkerKilled(BaseException):
    """The process dies: not an error the delivery code may catch."""


def _sms(**overrides) -> Notification:
    fields = {"channel": "sms", "to_phone": PHONE, "kind": "case_closed", "body": "پیام ۱۲۳۴۵۶۷۸۹ بسته شد."}
    fields.update(overrides)
    return notification_enqueue(**fields)


# --- quiet hours -------------------------------------------------------------------------------


@pytest.fixture
def quiet_hours(peygir_settings):
    peygir_settings(SMS_QUIET_HOURS="22:00-07:00", SMS_BACKEND="console")


@pytest.mark.django_db
def test_a_non_urgent_sms_written_at_night_waits_for_seven_in_the_morning(
    quiet_hours, django_capture_on_commit_callbacks
):
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        notification = _sms()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.urgent) == ("pending", 0, False)
    assert notification.next_attempt_at == MORNING

    with (
        time_machine.travel(MORNING + dt.timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notification_requeue_due() == 1

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_a_sign_in_code_goes_out_at_night(quiet_hours, django_capture_on_commit_callbacks):
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        notification = _sms(kind="otp", body="کد ورود: ۱۲۳۴۵۶")

    notification.refresh_from_db()
    assert (notification.status, notification.urgent) == ("sent", True)


@pytest.mark.django_db
def test_in_app_notices_ignore_quiet_hours(quiet_hours, django_capture_on_commit_callbacks, admin_user):
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            channel="inapp", to_user=admin_user, kind="sla_warning", body="مهلت"
        )

    notification.refresh_from_db()
    assert notification.status == "sent"


@pytest.mark.django_db
def test_with_the_database_task_backend_a_night_sms_waits_in_the_outbox_for_the_morning(
    quiet_hours, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    with time_machine.travel(NIGHT, tick=False):
        notification = _sms()
        # No task of its own: the relay sends it once it is due, and it is not due yet.
        assert not DBTaskResult.objects.exists()
        assert notifications_relay() == 0

    with time_machine.travel(MORNING + dt.timedelta(seconds=1), tick=False):
        assert notifications_relay() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_with_the_database_task_backend_a_sign_in_code_has_its_own_task(quiet_hours, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    with time_machine.travel(NIGHT, tick=False):
        notification = _sms(kind="otp", body="کد ورود: ۱۲۳۴۵۶")

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        "peygir.notifications.tasks.deliver_notification",
        {"args": [notification.pk], "kwargs": {}},
    )


@pytest.mark.django_db
def test_delivery_rechecks_the_clock_and_puts_a_message_off_until_morning(quiet_hours, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    with time_machine.travel(NIGHT - dt.timedelta(hours=2), tick=False):
        notification = _sms()
    DBTaskResult.objects.all().delete()

    with time_machine.travel(NIGHT, tick=False):
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.next_attempt_at) == (
        "pending",
        0,
        MORNING,
    )
    # Outside a transaction in the worker; here the test's transaction holds the on_commit callback.
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_the_sweep_leaves_a_message_waiting_for_the_morning_alone(quiet_hours):
    with time_machine.travel(NIGHT, tick=False):
        _sms()
    with time_machine.travel(NIGHT + dt.timedelta(hours=3), tick=False):
        assert notification_requeue_due() == 0


# --- retries, claims, sweeps --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_attempt_stores_when_the_next_one_is_due(kavenegar):
    kavenegar.failures = [(503, "")]
    at = timezone.now().replace(microsecond=0)

    with time_machine.travel(at, tick=False):
        notification = _sms()
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.claimed_at) == ("pending", 1, None)
    assert notification.next_attempt_at == at + dt.timedelta(seconds=30)


@pytest.mark.django_db
def test_a_lost_pending_message_is_requeued_by_the_sweep(settings, django_capture_on_commit_callbacks):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        lost = _sms()
    with time_machine.travel(start + SWEEP_GRACE - dt.timedelta(minutes=5), tick=False):
        _sms(dedupe_key="recent")
    queued = task_backends["default"].results
    queued.clear()

    with (
        time_machine.travel(start + SWEEP_GRACE + dt.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notification_requeue_due() == 1

    assert [(result.task.name, result.args) for result in queued] == [("deliver_notification", [lost.pk])]


@pytest.mark.django_db
def test_with_the_database_task_backend_the_sweep_leaves_everything_to_the_relay(settings):
    settings.TASKS = DB_TASKS
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        waiting = _sms()
    with time_machine.travel(start + SWEEP_GRACE + dt.timedelta(seconds=1), tick=False):
        assert notification_requeue_due() == 0
        assert notifications_relay() == 1
    assert Notification.objects.get(pk=waiting.pk).status == "sent"


@pytest.mark.django_db
def test_without_deferred_tasks_the_sweep_sends_what_is_due(
    peygir_settings, django_capture_on_commit_callbacks
):
    peygir_settings(SMS_BACKEND="console")
    notification = _sms()

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_due() == 1

    assert Notification.objects.get(pk=notification.pk).status == "sent"


@pytest.mark.django_db
def test_a_second_worker_does_not_send_a_message_that_is_being_sent(monkeypatch):
    sent: list[int] = []

    class SlowGateway:
        def send(self, notification):
            # Another worker picks up the same row while this one waits for the gateway.
            notification_deliver(notification_id=notification.pk)
            sent.append(notification.pk)
            return Receipt(message_id="77")

    monkeypatch.setattr(services, "backend_for", lambda channel: SlowGateway())
    notification = _sms()

    notification_deliver(notification_id=notification.pk)

    assert sent == [notification.pk]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_message_id) == ("sent", 1, "77")


@pytest.mark.django_db
def test_retry_nudges_a_stale_claim_but_not_a_live_one(monkeypatch):
    notification = _sms()
    Notification.objects.filter(pk=notification.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now()
    )
    notification.refresh_from_db()

    assert notification_retry(notification=notification) is False

    with time_machine.travel(timezone.now() + CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False):
        assert notification_retry(notification=notification) is True


def _kill_after_sending(monkeypatch):
    def die(notification, attempt, receipt):
        raise WorkerKilled

    monkeypatch.setattr(services, "_mark_sent", die)


@pytest.mark.django_db
def test_a_worker_killed_between_sent_and_marked_sent_delivers_once_through_the_provider(
    kavenegar, monkeypatch, django_capture_on_commit_callbacks
):
    start = timezone.now()
    notification = _sms()
    with monkeypatch.context() as patch, time_machine.travel(start, tick=False):
        _kill_after_sending(patch)
        with pytest.raises(WorkerKilled):
            notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_message_id) == (
        "sending",
        1,
        "",
    )
    assert len(kavenegar.delivered) == 1

    # Another worker right away leaves the claim alone: the first may still be alive.
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        notification_deliver(notification_id=notification.pk)
        assert notification_requeue_due() == 0
    assert len(kavenegar.requests) == 1

    # After the claim timeout the sweep hands the row to a new worker, which sends it again.
    with (
        time_machine.travel(start + CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notification_requeue_due() == 1

    localids = [request["fields"]["localid"] for request in kavenegar.requests]
    assert localids == [str(notification.pk), str(notification.pk)]
    # The provider collapsed the repeat: one message reached the phone, under one id.
    assert [entry["messageid"] for entry in kavenegar.delivered] == [8792343]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_message_id) == (
        "sent",
        2,
        "8792343",
    )
    assert Notification.objects.filter(provider_message_id="8792343").count() == 1
    assert kavenegar.requests[0]["path"] == f"/v1/{API_KEY}/sms/send.json"


@pytest.mark.django_db
def test_a_worker_killed_mid_send_duplicates_at_most_once_on_a_gateway_that_cannot_collapse(
    peygir_settings, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    peygir_settings(SMS_BACKEND="file")
    start = timezone.now()
    notification = _sms()
    with monkeypatch.context() as patch, time_machine.travel(start, tick=False):
        _kill_after_sending(patch)
        with pytest.raises(WorkerKilled):
            notification_deliver(notification_id=notification.pk)

    with time_machine.travel(start + CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False):
        notification_deliver(notification_id=notification.pk)
        notification_deliver(notification_id=notification.pk)
    notification_deliver(notification_id=notification.pk)

    lines = [json.loads(line) for line in (tmp_path / "outbox.log").read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == [str(notification.public_id)] * 2
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)


# --- templates ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_citizen_and_staff_messages_are_seeded_as_templates():
    seeded = dict(NotificationTemplate.objects.values_list("kind", "channel"))

    assert seeded == {
        "case_registered": "sms",
        "case_referred": "sms",
        "info_requested": "sms",
        "case_responded": "sms",
        "case_closed": "sms",
        "sla_warning": "inapp",
        "case_overdue": "inapp",
    }
    for template in NotificationTemplate.objects.all():
        template.full_clean()
        assert "{tracking_code}" in template.body


@pytest.mark.django_db
def test_the_active_template_of_the_kind_is_rendered_with_the_payload():
    template = NotificationTemplate.objects.get(kind="case_closed", channel="sms")
    template.body = "پرونده {tracking_code} بسته شد؛ سپاس."
    template.save()

    notification = _sms(payload={"tracking_code": "۱۲۳۴۵۶۷۸۹"})

    assert (notification.body, notification.template, notification.payload) == (
        "پرونده ۱۲۳۴۵۶۷۸۹ بسته شد؛ سپاس.",
        template,
        {"tracking_code": "۱۲۳۴۵۶۷۸۹"},
    )
    assert Notification.objects.get().body == "پرونده ۱۲۳۴۵۶۷۸۹ بسته شد؛ سپاس."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"body": "پرونده {tracking_code} در {unit} بسته شد."}],
    ids=["inactive", "variable-without-a-value"],
)
def test_the_built_in_text_is_sent_when_the_template_cannot_be_used(change):
    NotificationTemplate.objects.filter(kind="case_closed").update(**change)

    notification = _sms(payload={"tracking_code": "۱۲۳۴۵۶۷۸۹"})

    assert (notification.body, notification.template) == ("پیام ۱۲۳۴۵۶۷۸۹ بسته شد.", None)


@pytest.mark.django_db
def test_a_message_without_a_payload_keeps_its_own_text():
    NotificationTemplate.objects.create(kind="otp", channel="sms", body="قالب بدون کد")

    notification = _sms(kind="otp", body="کد ورود: ۱۲۳۴۵۶")

    assert notification.body == "کد ورود: ۱۲۳۴۵۶"


def test_template_rendering_is_one_safe_pass():
    assert notification_template_render(
        body="{tracking_code} {track_url} {0} {a.b} { unit }",
        payload={"tracking_code": "{track_url}", "track_url": "u"},
    ) == ("{track_url} u {0} {a.b} { unit }")
    assert notification_template_render(body="{unit}", payload={}) is None


@pytest.mark.django_db
def test_a_long_sms_is_fitted_to_two_parts_keeping_the_code():
    notification = _sms(body="پیام ۱۲۳۴۵۶۷۸۹ " + "بسیار طولانی " * 30, keep=["۱۲۳۴۵۶۷۸۹"])

    assert notification.sms_parts == 2
    assert notification.body.startswith("پیام ۱۲۳۴۵۶۷۸۹ بسیار طولانی")
    assert notification.body.endswith("…")


@pytest.mark.django_db
def test_a_template_naming_an_unknown_variable_is_refused():
    template = NotificationTemplate(
        kind="case_closed", channel="bot", body="پرونده {tracking_code} از {city}"
    )

    with pytest.raises(DjangoValidationError) as refused:
        template.full_clean()

    assert list(refused.value.message_dict) == ["body"]


@pytest.mark.django_db
def test_staff_edit_templates_in_the_admin_and_unknown_variables_are_refused(admin_client):
    template = NotificationTemplate.objects.get(kind="case_closed", channel="sms")
    url = reverse("admin:notifications_notificationtemplate_change", args=[template.pk])
    form = {"kind": "case_closed", "channel": "sms", "is_active": "on"}

    refused = admin_client.post(url, {**form, "body": "پیام {tracking_code} در {city} بسته شد."})
    accepted = admin_client.post(url, {**form, "body": "پیام {tracking_code} بسته شد. سپاس."})

    assert refused.status_code == 200
    assert "{city}" in str(refused.context["adminform"].form.errors["body"])
    assert accepted.status_code == 302
    template.refresh_from_db()
    assert template.body == "پیام {tracking_code} بسته شد. سپاس."
    listing = admin_client.get(reverse("admin:notifications_notificationtemplate_changelist"))
    assert listing.status_code == 200
