"""Texts to the city's short number: registration, status questions, help, repeats and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_transition
from peygir.intake.channels.sms.services import sms_inbound_receive
from peygir.intake.models import InboundMessage
from peygir.notifications.models import Notification

URL = "/intake/sms/inbound/"
SECRET = "s3cret-inbound"


@pytest.fixture(autouse=True)
def _inbound_on(settings: Any) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "SMS_INBOUND_SECRET": SECRET}


def _post(client: Any, secret: str = SECRET, **fields: str) -> Any:
    return client.post(f"{URL}?secret={secret}", fields)


def test_a_text_registers_an_unclassified_case_at_the_center(client, center):
    response = _post(
        client,
        messageid="m-1",
        **{"from": "+989121234567", "to": "137", "message": "جوی آب کوچه گرفته و آب راه افتاده"},
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json() == {
        "status": "ok",
        "outcome": "registered",
        "duplicate": False,
        "tracking_code": case.tracking_code,
    }
    assert (case.channel, case.category_id, case.unit_id) == ("sms", None, center.pk)
    assert (case.contact_phone, case.external_id) == ("09121234567", "m-1")
    message = InboundMessage.objects.get()
    assert (message.outcome, message.case_id, message.sender, message.recipient) == (
        "registered",
        case.pk,
        "09121234567",
        "137",
    )
    confirmation = Notification.objects.get(kind="case_registered")
    assert confirmation.to_phone == "09121234567"
    assert case.tracking_code in confirmation.body.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_the_same_message_delivered_twice_registers_once(client, org_tree):
    fields = {"messageid": "m-2", "from": "09121234567", "message": "چراغ‌های خیابان خاموش است"}
    first = _post(client, **fields)
    second = _post(client, **fields)
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert Notification.objects.count() == 1


def test_a_status_question_gets_the_public_status(client, org_tree, supervisor):
    case = sms_inbound_receive(
        message_id="m-3", sender="09121234567", text="درخت خشک شده جلوی مدرسه"
    ).message.case
    case_transition(case=case, action="reject", actor=supervisor, resolution="invalid", note="نامفهوم")
    persian_code = case.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = _post(client, messageid="m-4", **{"from": "09351112233", "message": f"پيگيري {persian_code}"})
    assert response.json()["outcome"] == "tracked"
    reply = Notification.objects.get(kind="sms_reply")
    assert reply.to_phone == "09351112233"
    assert persian_code in reply.body
    assert "رسیدگی به پیام شما پایان یافته است" in reply.body
    assert reply.urgent is True
    assert Case.objects.count() == 1


def test_an_unknown_code_is_answered_politely_and_registers_nothing(client, org_tree):
    response = _post(client, messageid="m-5", **{"from": "09121234567", "message": "status 1234567890"})
    assert response.json()["outcome"] == "tracked"
    assert "پیدا نشد" in Notification.objects.get(kind="sms_reply").body
    assert not Case.objects.exists()


def test_help_and_too_short_texts_get_instructions(client, org_tree):
    assert (
        _post(client, messageid="m-6", **{"from": "09121234567", "message": "راهنما"}).json()["outcome"]
        == "help"
    )
    assert (
        _post(client, messageid="m-7", **{"from": "09121234567", "message": "سلام"}).json()["outcome"]
        == "rejected"
    )
    replies = list(
        Notification.objects.filter(kind="sms_reply").order_by("id").values_list("body", flat=True)
    )
    assert len(replies) == 2
    assert all("پیگیری" in body for body in replies)
    assert not Case.objects.exists()


def test_json_bodies_are_accepted(client, org_tree):
    response = client.post(
        f"{URL}?secret={SECRET}",
        data={"messageid": "m-8", "from": "09121234567", "message": "سگ ولگرد در پارک محله"},
        content_type="application/json",
    )
    assert response.json()["outcome"] == "registered"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"messageid": "", "from": "09121234567", "message": "زباله‌ها مانده است"}, "bad_message_id"),
        ({"messageid": "m-9", "from": "12345", "message": "زباله‌ها مانده است"}, "bad_sender"),
    ],
)
def test_malformed_messages_are_refused_and_nothing_is_stored(client, org_tree, fields, code):
    response = _post(client, **fields)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not InboundMessage.objects.exists()
    assert not Case.objects.exists()


def test_bad_json_is_refused(client, org_tree):
    response = client.post(f"{URL}?secret={SECRET}", data="not json", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "bad_json")


def test_the_webhook_needs_its_secret(client, org_tree, settings):
    fields = {"messageid": "m-10", "from": "09121234567", "message": "زباله‌ها مانده است"}
    assert _post(client, secret="wrong", **fields).status_code == 403
    settings.PEYGIR = {**settings.PEYGIR, "SMS_INBOUND_SECRET": ""}
    assert _post(client, secret="", **fields).status_code == 404
    assert not InboundMessage.objects.exists()
    assert not Case.objects.exists()


def test_guessing_codes_by_sms_is_slowed_down(org_tree):
    for n in range(31):
        sms_inbound_receive(message_id=f"g-{n}", sender="09121234567", text=f"پیگیری {1000000000 + n}")
    last = InboundMessage.objects.get(external_id="g-30")
    assert "زیاد" in last.reply
