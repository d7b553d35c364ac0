"""What citizens and staff are told when a case moves (peygir/cases/notify.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from peygir.cases import notify
from peygir.cases.models import Case
from peygir.cases.services import case_submit, case_transition
from peygir.cases.survey import survey_token
from peygir.core.text import to_persian_digits
from peygir.notifications.models import Notification, NotificationTemplate
from peygir.notifications.sms import sms_parts

PHONE = "09121112233"
POINT_6 = (35.72617, 51.40322)


@pytest.fixture(autouse=True)
def _daytime_immediate(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.PEYGIR = {**settings.PEYGIR, "SMS_QUIET_HOURS": "", "SITE_URL": "https://137.tehran.ir/"}


@pytest.fixture
def case(org_tree: Any) -> Case:
    return case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="زباله‌های کوچه جمع‌آوری نشده است.",
        lat=POINT_6[0],
        lon=POINT_6[1],
        contact_phone=PHONE,
    ).case


def _code(case: Case) -> str:
    return to_persian_digits(case.tracking_code)


def _url(case: Case) -> str:
    return f"https://137.tehran.ir/track/{case.tracking_code}/"


def _survey_url(case: Case) -> str:
    return f"https://137.tehran.ir/survey/{survey_token(case)}/"


@pytest.mark.django_db
def test_registration_sms_carries_the_tracking_code_in_one_part(case):
    sms = Notification.objects.get(kind="case_registered")

    assert sms.body == f"شهروند گرامی، پیام شما در سامانه ۱۳۷ ثبت شد. کد رهگیری: {_code(case)}"
    assert (sms.to_phone, sms.sms_parts, sms.template.kind) == (PHONE, 1, "case_registered")
    assert sms.dedupe_key == f"case_registered:{case.public_id}:{case.version}:sms:{PHONE}"


@pytest.mark.django_db
def test_request_for_information_links_the_tracking_page(case, officer6):
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(case=case, action="request_info", actor=officer6, note="نشانی دقیق؟")

    sms = Notification.objects.get(kind="info_requested")
    assert sms.body == (
        f"شهروند گرامی، برای رسیدگی به پیام {_code(case)} توضیح بیشتری لازم است. لطفاً سر بزنید: {_url(case)}"
    )
    assert sms_parts(sms.body) == sms.sms_parts == 2


@pytest.mark.django_db
def test_response_sms_links_the_answer_and_the_satisfaction_survey(case, officer6):
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="جمع‌آوری شد")

    sms = Notification.objects.get(kind="case_responded")
    assert sms.body == (
        f"شهروند گرامی، به پیام {_code(case)} پاسخ داده شد. دیدن پاسخ و نظرسنجی: {_survey_url(case)}"
    )
    assert sms.payload == {"tracking_code": _code(case), "track_url": _survey_url(case)}


@pytest.mark.django_db
def test_referral_names_the_new_unit(case, district7):
    Case.objects.filter(pk=case.pk).update(unit=district7)
    case.refresh_from_db()

    with transaction.atomic():
        notify.case_referred(case)

    sms = Notification.objects.get(kind="case_referred")
    assert sms.body == f"پیام {_code(case)} شما برای رسیدگی به «{district7.name}» ارجاع شد. سامانه ۱۳۷"


@pytest.mark.django_db
def test_closure_thanks_the_citizen_once_per_event(case):
    with transaction.atomic():
        notify.case_closed(case)
        notify.case_closed(case)

    sms = Notification.objects.get(kind="case_closed")
    assert sms.body == f"پیام {_code(case)} در سامانه ۱۳۷ بسته شد. از همراهی شما سپاسگزاریم."


@pytest.mark.django_db
def test_a_long_unit_name_is_cut_but_never_the_tracking_code(case, district7):
    Case.objects.filter(pk=case.pk).update(unit=district7)
    district7.name = "اداره " * 30
    district7.save(update_fields=["name"])
    case.refresh_from_db()

    notify.case_referred(case)

    sms = Notification.objects.get(kind="case_referred")
    assert sms.sms_parts == 2
    assert _code(case) in sms.body
    assert sms.body.endswith("…")


@pytest.mark.django_db
def test_the_built_in_text_is_used_when_staff_switch_the_template_off(case, officer6):
    # As the admin saves it: every web process drops its copy of the templates (core.cache).
    template = NotificationTemplate.objects.get(kind="case_responded", channel="sms")
    template.is_active = False
    template.save()
    case = case_transition(case=case, action="accept", actor=officer6)
    case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="انجام شد")

    sms = Notification.objects.get(kind="case_responded")
    assert sms.template is None
    case.refresh_from_db()
    assert sms.body == (
        f"شهروند گرامی، به پیام {_code(case)} پاسخ داده شد. دیدن پاسخ و نظرسنجی: {_survey_url(case)}"
    )


@pytest.mark.django_db
def test_a_template_edited_by_staff_changes_the_message(case, officer6):
    template = NotificationTemplate.objects.get(kind="case_responded", channel="sms")
    template.body = "پاسخ {tracking_code}: {track_url}"
    template.save()
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="انجام شد")

    assert Notification.objects.get(kind="case_responded").body == f"پاسخ {_code(case)}: {_survey_url(case)}"


@pytest.mark.django_db
def test_a_case_without_a_phone_sends_no_sms(org_tree):
    anonymous = case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="زباله‌های کوچه جمع‌آوری نشده است.",
        lat=POINT_6[0],
        lon=POINT_6[1],
    ).case

    notify.case_closed(anonymous)

    assert Notification.objects.filter(channel="sms").exists() is False
