from __future__ import annotations

import pytest
from django.urls import reverse

from peygir.notifications.models import Notification
from peygir.notifications.services import notification_deliver, notification_enqueue, sms_delivery_poll
from peygir.notifications.tests.conftest import STATUS_SECRET
from peygir.notifications.tests.fake_provider import API_KEY, SENDER

PHONE = "09121234567"
BODY = "شهروند گرامی، به پیام ۱۲۳۴۵۶۷۸۹ پاسخ داده شد."


def _sent_sms(**overrides) -> Notification:
    fields = {"channel": "sms", "to_phone": PHONE, "kind": "case_responded", "body": BODY}
    fields.update(overrides)
    notification = notification_enqueue(**fields)
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


@pytest.mark.django_db
def test_kavenegar_backend_posts_the_form_and_stores_the_message_id(kavenegar):
    notification = _sent_sms()

    assert kavenegar.requests == [
        {
            "path": f"/v1/{API_KEY}/sms/send.json",
            "fields": {"receptor": PHONE, "message": BODY, "localid": str(notification.pk), "sender": SENDER},
            "content_type": "application/x-www-form-urlencoded; charset=utf-8",
        }
    ]
    assert (notification.status, notification.attempts, notification.provider_message_id) == (
        "sent",
        1,
        "8792343",
    )
    assert notification.delivery_status == Notification.Delivery.QUEUED
    assert notification.delivery_status_at is not None
    assert (notification.sms_parts, notification.claimed_at, notification.next_attempt_at) == (1, None, None)


@pytest.mark.django_db
def test_a_provider_refusal_is_a_failed_attempt_with_the_providers_words(kavenegar):
    kavenegar.failures = [(418, "اعتبار حساب شما کافی نیست")]

    notification = _sent_sms()

    assert (notification.status, notification.attempts, notification.provider_message_id) == (
        "pending",
        1,
        "",
    )
    assert notification.last_error == "DeliveryError: gateway answered HTTP 418: اعتبار حساب شما کافی نیست"
    assert API_KEY not in notification.last_error


@pytest.mark.django_db
def test_an_answer_in_an_unexpected_shape_is_a_failed_attempt(kavenegar):
    kavenegar.raw_reply = b'{"ok": true}'

    notification = _sent_sms()

    assert (notification.status, notification.last_error) == (
        "pending",
        "DeliveryError: provider answer is not in the expected shape",
    )


@pytest.mark.django_db
def test_a_refusal_inside_a_200_answer_is_a_failed_attempt(kavenegar):
    kavenegar.raw_reply = (
        '{"return": {"status": 411, "message": "گیرنده نامعتبر است"}, "entries": null}'.encode()
    )

    notification = _sent_sms()

    assert notification.last_error == "DeliveryError: provider refused (411): گیرنده نامعتبر است"


@pytest.mark.django_db
def test_a_wrong_api_key_is_a_failed_attempt_without_the_key_in_the_error(kavenegar, peygir_settings):
    peygir_settings(SMS_PROVIDER_API_KEY="not-the-key")

    notification = _sent_sms()

    assert notification.last_error == "DeliveryError: gateway answered HTTP 401: کلید وب‌سرویس نامعتبر است"


@pytest.mark.django_db
def test_a_missing_api_key_is_a_failed_attempt(kavenegar, peygir_settings):
    peygir_settings(SMS_PROVIDER_API_KEY="")

    notification = _sent_sms()

    assert notification.last_error == "DeliveryError: SMS_PROVIDER_URL and SMS_PROVIDER_API_KEY are not set"
    assert kavenegar.requests == []


@pytest.mark.django_db
def test_the_provider_collapses_a_repeated_localid(kavenegar):
    from peygir.notifications.backends import kavenegar_backend

    notification = notification_enqueue(channel="sms", to_phone=PHONE, kind="otp", body="کد: ۱۲۳")

    first = kavenegar_backend().send(notification)
    again = kavenegar_backend().send(notification)

    assert first == again
    assert first.message_id == "8792343"
    assert len(kavenegar.requests) == 2
    assert [entry["messageid"] for entry in kavenegar.delivered] == [8792343]


def _report(client, *, secret=STATUS_SECRET, method="post", **fields):
    url = reverse("notifications:sms_status") + (f"?secret={secret}" if secret is not None else "")
    if method == "get":
        return client.get(reverse("notifications:sms_status"), {"secret": secret, **fields})
    return client.post(url, fields)


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
def test_the_delivery_callback_records_that_the_message_arrived(client, kavenegar):
    notification = _sent_sms()

    response = _report(client, messageid=notification.provider_message_id, status="10")

    assert (response.status_code, response.content) == (200, b"OK")
    notification.refresh_from_db()
    assert notification.delivery_status == Notification.Delivery.DELIVERED


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
def test_the_delivery_callback_accepts_the_query_string_too(client, kavenegar):
    notification = _sent_sms()

    response = _report(client, method="get", messageid=notification.provider_message_id, status="11")

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.delivery_status == Notification.Delivery.UNDELIVERED


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
def test_a_late_report_never_moves_a_delivered_message_back(client, kavenegar):
    notification = _sent_sms()
    _report(client, messageid=notification.provider_message_id, status="10")

    response = _report(client, messageid=notification.provider_message_id, status="4")

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.delivery_status == Notification.Delivery.DELIVERED


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
@pytest.mark.parametrize(("secret", "status_code"), [("wrong", 403), ("", 403), (None, 403)])
def test_the_delivery_callback_refuses_a_wrong_secret_and_changes_nothing(
    client, kavenegar, secret, status_code
):
    notification = _sent_sms()

    response = _report(client, secret=secret, messageid=notification.provider_message_id, status="10")

    assert response.status_code == status_code
    notification.refresh_from_db()
    assert notification.delivery_status == Notification.Delivery.QUEUED


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
def test_the_delivery_callback_is_off_without_a_secret(client, kavenegar, peygir_settings):
    peygir_settings(SMS_STATUS_SECRET="")

    assert _report(client, secret="", messageid="1", status="10").status_code == 404


@pytest.mark.django_db
@pytest.mark.urls("peygir.notifications.tests.urls")
def test_the_delivery_callback_answers_bad_and_unknown_reports(client, kavenegar):
    assert _report(client, messageid="", status="10").status_code == 400
    assert _report(client, messageid="999", status="10").status_code == 200
    assert client.put(reverse("notifications:sms_status") + f"?secret={STATUS_SECRET}").status_code == 405


@pytest.mark.django_db
def test_polling_records_the_delivery_state_of_recent_messages(kavenegar):
    first = _sent_sms()
    second = _sent_sms(dedupe_key="second")
    kavenegar.statuses = {first.provider_message_id: 10, second.provider_message_id: 6}

    assert sms_delivery_poll() == 2

    assert kavenegar.requests[-1]["path"] == f"/v1/{API_KEY}/sms/status.json"
    assert kavenegar.requests[-1]["fields"] == {
        "messageid": f"{first.provider_message_id},{second.provider_message_id}"
    }
    assert dict(Notification.objects.values_list("provider_message_id", "delivery_status")) == {
        first.provider_message_id: "delivered",
        second.provider_message_id: "undelivered",
    }
    # Both fates are final: nothing is asked again.
    asked = len(kavenegar.requests)
    assert sms_delivery_poll() == 0
    assert len(kavenegar.requests) == asked


@pytest.mark.django_db
def test_polling_does_nothing_without_the_kavenegar_backend_or_when_it_is_down(kavenegar, peygir_settings):
    _sent_sms()
    peygir_settings(SMS_BACKEND="console")
    assert sms_delivery_poll() == 0

    peygir_settings(SMS_BACKEND="kavenegar", SMS_PROVIDER_URL="http://127.0.0.1:9/v1")
    assert sms_delivery_poll() == 0
    assert Notification.objects.get().delivery_status == Notification.Delivery.QUEUED
