from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from peygir.core.errors import ValidationError
from peygir.notifications.backends import mask_phone
from peygir.notifications.models import MAX_ATTEMPTS, Notification
from peygir.notifications.selectors import last_notification_to_phone, notifications_for_user
from peygir.notifications.services import (
    notification_deliver,
    notification_enqueue,
    notification_mark_all_read,
    notification_mark_read,
    notification_retry,
)

User = get_user_model()
PHONE = "09121234567"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}


class Gateway:
    """A local stand-in for the SMS gateway / bot API: records requests, answers with ``statuses``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.reply = b'{"ok": true}'
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(gateway.reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    fake = Gateway()
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.PEYGIR = {
        **settings.PEYGIR,
        "SMS_BACKEND": "http",
        "SMS_GATEWAY_URL": f"{fake.url}/sms/send",
        "SMS_GATEWAY_TOKEN": "s3cret",
        "BOT_API_URL": fake.url,
        "BOT_TOKEN": "42:abc",
    }
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def sms_backend(settings):
    def use(name: str) -> None:
        settings.PEYGIR = {**settings.PEYGIR, "SMS_BACKEND": name}

    return use


def _enqueue_sms(**overrides: Any) -> Notification:
    fields: dict[str, Any] = {"channel": "sms", "to_phone": PHONE, "kind": "otp", "body": "کد ورود: ۱۲۳۴۵"}
    fields.update(overrides)
    return notification_enqueue(**fields)


@pytest.mark.django_db
def test_enqueue_delivers_after_commit_through_the_console(
    sms_backend, caplog, django_capture_on_commit_callbacks
):
    sms_backend("console")
    caplog.set_level(logging.INFO, logger="peygir.notifications")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _enqueue_sms()
        assert Notification.objects.get().status == Notification.Status.PENDING

    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 1, "")
    assert notification.sent_at is not None
    logged = [r.getMessage() for r in caplog.records if r.name == "peygir.notifications"]
    assert logged == [f"notification {notification.public_id} [sms/otp] to 0912***4567: کد ورود: ۱۲۳۴۵"]


@pytest.mark.django_db
def test_file_backend_appends_a_json_line_per_message(
    settings, tmp_path, sms_backend, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path / "var"
    sms_backend("file")

    with django_capture_on_commit_callbacks(execute=True):
        first = _enqueue_sms()
        second = _enqueue_sms(kind="case_registered", body="درخواست شما با کد ۱۲۳۴ ثبت شد.")

    lines = [json.loads(line) for line in (tmp_path / "var" / "outbox.log").read_text("utf-8").splitlines()]
    assert [(line["id"], line["kind"], line["to"], line["text"]) for line in lines] == [
        (str(first.public_id), "otp", PHONE, "کد ورود: ۱۲۳۴۵"),
        (str(second.public_id), "case_registered", PHONE, "درخواست شما با کد ۱۲۳۴ ثبت شد."),
    ]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_repeated_dedupe_key_creates_and_sends_nothing_new(sms_backend, django_capture_on_commit_callbacks):
    sms_backend("console")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _enqueue_sms(dedupe_key="case:abc:registered")
        again = _enqueue_sms(dedupe_key="case:abc:registered", body="متن دیگر")
        other = _enqueue_sms(dedupe_key="case:xyz:registered")

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert len(callbacks) == 2
    assert Notification.objects.get(dedupe_key="case:abc:registered").body == "کد ورود: ۱۲۳۴۵"


@pytest.mark.django_db
def test_blank_dedupe_keys_do_not_collide(sms_backend):
    sms_backend("console")

    _enqueue_sms()
    _enqueue_sms()

    assert Notification.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "sms"},
        {"channel": "inapp"},
        {"channel": "email"},
        {"channel": "bot"},
        {"channel": "fax", "to_phone": PHONE},
    ],
)
def test_enqueue_refuses_a_message_without_a_recipient(fields):
    with pytest.raises(ValidationError):
        notification_enqueue(kind="otp", body="x", **fields)

    assert Notification.objects.exists() is False


@pytest.mark.django_db
def test_delivering_twice_sends_once(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue_sms()

    notification_deliver(notification_id=notification.pk)

    assert len(gateway.requests) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_http_backend_posts_to_the_gateway_with_the_token(gateway):
    notification = _enqueue_sms()

    notification_deliver(notification_id=notification.pk)

    assert gateway.requests == [
        {
            "path": "/sms/send",
            "authorization": "Bearer s3cret",
            "json": {"to": PHONE, "text": "کد ورود: ۱۲۳۴۵"},
        }
    ]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


@pytest.mark.django_db
def test_a_gateway_error_is_recorded_and_retried(gateway, django_capture_on_commit_callbacks):
    gateway.statuses = [500, 503]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _enqueue_sms()

    # One delivery, then a retry after each of the two failures.
    assert len(callbacks) == 3
    assert len(gateway.requests) == 3
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 3, "")


@pytest.mark.django_db
def test_a_failed_attempt_keeps_the_error(gateway):
    gateway.statuses = [500]
    notification = _enqueue_sms()

    notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        "pending",
        1,
        "DeliveryError: gateway answered HTTP 500",
    )


@pytest.mark.django_db
def test_the_notification_fails_after_five_attempts(gateway, django_capture_on_commit_callbacks):
    gateway.statuses = [500] * 10

    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue_sms()

    assert len(gateway.requests) == MAX_ATTEMPTS == 5
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        "failed",
        5,
        "DeliveryError: gateway answered HTTP 500",
    )
    notification_deliver(notification_id=notification.pk)
    assert len(gateway.requests) == 5


@pytest.mark.django_db
def test_an_unreachable_gateway_counts_as_a_failed_attempt(settings):
    settings.PEYGIR = {**settings.PEYGIR, "SMS_BACKEND": "http", "SMS_GATEWAY_URL": "http://127.0.0.1:9/"}
    notification = _enqueue_sms()

    notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert notification.last_error.startswith("DeliveryError: gateway unreachable:")


@pytest.mark.django_db
def test_retry_gives_a_failed_notification_fresh_attempts(gateway, django_capture_on_commit_callbacks):
    gateway.statuses = [500] * 5
    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue_sms()
    notification.refresh_from_db()
    assert notification.status == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_retry(notification=notification) is True

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert len(gateway.requests) == 6
    assert notification_retry(notification=notification) is False


@pytest.mark.django_db
def test_bot_messages_go_to_the_bot_api(gateway):
    notification = notification_enqueue(
        channel="bot", to_address="987654", kind="case_responded", body="پاسخ داده شد"
    )

    notification_deliver(notification_id=notification.pk)

    assert gateway.requests == [
        {
            "path": "/bot42:abc/sendMessage",
            "authorization": None,
            "json": {"chat_id": "987654", "text": "پاسخ داده شد"},
        }
    ]
    notification.refresh_from_db()
    assert notification.status == "sent"


@pytest.mark.django_db
def test_email_goes_through_django_mail(mailoutbox):
    notification = notification_enqueue(
        channel="email", to_address="citizen@example.com", subject="پیگیر", kind="case_responded", body="پاسخ"
    )

    notification_deliver(notification_id=notification.pk)

    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [(["citizen@example.com"], "پیگیر", "پاسخ")]
    notification.refresh_from_db()
    assert notification.status == "sent"


@pytest.mark.django_db
def test_in_app_notices_are_sent_on_delivery_and_can_be_read(django_capture_on_commit_callbacks):
    officer = User.objects.create_user(username="notice_officer_a")
    other = User.objects.create_user(username="notice_officer_b")

    with django_capture_on_commit_callbacks(execute=True):
        first = notification_enqueue(
            channel="inapp", to_user=officer, kind="sla_warning", body="مهلت نزدیک است"
        )
        second = notification_enqueue(channel="inapp", to_user=officer, kind="case_overdue", body="مهلت گذشت")
        notification_enqueue(channel="inapp", to_user=other, kind="case_overdue", body="مهلت گذشت")

    assert list(notifications_for_user(officer)) == [second, first]
    assert notification_mark_read(user=other, public_id=first.public_id) is False
    assert notification_mark_read(user=officer, public_id=first.public_id) is True
    assert notification_mark_read(user=officer, public_id=first.public_id) is False
    assert list(notifications_for_user(officer, unread_only=True)) == [second]
    assert notification_mark_all_read(user=officer) == 1
    assert list(notifications_for_user(officer, unread_only=True)) == []
    assert Notification.objects.get(pk=first.pk).attempts == 1


@pytest.mark.django_db
def test_undelivered_in_app_notices_are_not_listed():
    officer = User.objects.create_user(username="notice_officer_a")

    notification_enqueue(channel="inapp", to_user=officer, kind="sla_warning", body="مهلت نزدیک است")

    assert list(notifications_for_user(officer)) == []


@pytest.mark.django_db
def test_last_notification_to_phone_is_the_newest_of_that_kind(sms_backend):
    sms_backend("console")
    _enqueue_sms(body="کد ورود: ۱۱۱۱۱")
    newest = _enqueue_sms(body="کد ورود: ۲۲۲۲۲")
    _enqueue_sms(kind="case_registered", body="ثبت شد")
    _enqueue_sms(to_phone="09351112233", body="کد ورود: ۳۳۳۳۳")

    assert last_notification_to_phone(PHONE, "otp") == newest
    assert last_notification_to_phone("09120000000", "otp") is None


def test_mask_phone_keeps_only_the_ends():
    assert mask_phone("09121234567") == "0912***4567"
    assert mask_phone("12345") == "*****"


@pytest.mark.django_db
def test_the_admin_retry_action_requeues_failed_notifications(
    admin_client, gateway, django_capture_on_commit_callbacks
):
    gateway.statuses = [500] * 5
    with django_capture_on_commit_callbacks(execute=True):
        failed = _enqueue_sms()
    sent = _enqueue_sms(dedupe_key="sent-one")
    notification_deliver(notification_id=sent.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["1 اعلان دوباره در صف ارسال قرار گرفت."]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert (
        admin_client.get(reverse("admin:notifications_notification_changelist") + "?status=sent").status_code
        == 200
    )
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
