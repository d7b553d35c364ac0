"""What Peygir tells people when a case moves.

Called inside the transaction that moves the case, so the outbox row commits (or rolls back) with
the change that causes it; delivery is enqueued by the outbox after commit. Each text here is the
built-in wording; the admin's ``NotificationTemplate`` for the kind, seeded with the same words,
takes precedence. Citizen SMS are short, polite and carry the tracking code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.core.text import to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership, Unit

from .models import Case
from .survey import survey_token


def _in_site_language(func: Callable[[Case], None]) -> Callable[[Case], None]:
    """Messages go out in the site's language (Persian), whatever language the acting person's
    page was in: an officer working in English still sends the citizen a Persian SMS."""

    @functools.wraps(func)
    def wrapper(case: Case) -> None:
        with override(settings.LANGUAGE_CODE):
            func(case)

    return wrapper


def _site_url() -> str:
    return str(getattr(settings, "PEYGIR", {}).get("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _track_url(case: Case) -> str:
    """The absolute link to the case's public tracking page (the response and the survey are there)."""
    return _site_url() + reverse("portal:track_case", kwargs={"code": case.tracking_code})


def _payload(case: Case, **extra: str) -> dict[str, str]:
    return {"tracking_code": to_persian_digits(case.tracking_code), **extra}


def _sms(case: Case, kind: str, body: Any, payload: dict[str, str], *, fresh_event: bool = False) -> None:
    """One SMS to the case's contact. The text is the admin's template for ``kind`` when there is one
    (rendered with ``payload``), else ``body``; shortened to the SMS budget, the tracking code and
    the link are never cut. One message per (event, recipient, channel): the case's version names
    the event."""
    _bot(case, kind, body, payload, fresh_event=fresh_event)
    if not case.contact_phone:
        return
    notification_enqueue(
        channel=Notification.Channel.SMS,
        to_phone=case.contact_phone,
        kind=kind,
        body=str(body),
        payload=payload,
        keep=[payload[name] for name in ("tracking_code", "track_url") if name in payload],
        dedupe_key=f"{kind}:{case.public_id}:{case.version}:sms:{case.contact_phone}",
        fresh_event=fresh_event,
    )


def _bot(case: Case, kind: str, body: Any, payload: dict[str, str], *, fresh_event: bool = False) -> None:
    """The same message on the messenger bot, for a case registered there: to the chat the citizen
    linked by sharing their contact (``User.bot_chat_id``). Not for the registration itself — the
    bot's conversation answers it with the tracking code at that moment."""
    if case.channel != Case.Channel.BOT or kind == "case_registered" or case.citizen_id is None:
        return
    citizen = case.citizen
    chat_id = citizen.bot_chat_id if citizen is not None else None
    if not chat_id:
        return
    notification_enqueue(
        channel=Notification.Channel.BOT,
        to_address=chat_id,
        kind=kind,
        body=str(body),
        payload=payload,
        dedupe_key=f"{kind}:{case.public_id}:{case.version}:bot:{chat_id}",
        fresh_event=fresh_event,
    )


@_in_site_language
def case_registered(case: Case) -> None:
    payload = _payload(case)
    # The case was inserted in this very transaction: its key cannot exist yet, no look-up needed.
    _sms(
        case,
        "case_registered",
        _("شهروند گرامی، پیام شما در سامانه ۱۳۷ ثبت شد. کد رهگیری: %(tracking_code)s") % payload,
        payload,
        fresh_event=True,
    )


@_in_site_language
def case_referred(case: Case) -> None:
    payload = _payload(case, unit=case.unit.name)
    _sms(
        case,
        "case_referred",
        _("پیام %(tracking_code)s شما برای رسیدگی به «%(unit)s» ارجاع شد. سامانه ۱۳۷") % payload,
        payload,
    )


@_in_site_language
def info_requested(case: Case) -> None:
    payload = _payload(case, track_url=_track_url(case))
    _sms(
        case,
        "info_requested",
        _(
            "شهروند گرامی، برای رسیدگی به پیام %(tracking_code)s توضیح بیشتری لازم است. "
            "لطفاً سر بزنید: %(track_url)s"
        )
        % payload,
        payload,
    )


@_in_site_language
def case_responded(case: Case) -> None:
    # The link goes to the satisfaction survey of this response (no sign-in; the page shows the
    # answer too). ``track_url`` keeps its name for the admin's templates, which already say "see
    # the answer and the survey".
    link = _track_url(case)
    if case.responded_at is not None:
        link = _site_url() + reverse("feedback:survey", kwargs={"token": survey_token(case)})
    payload = _payload(case, track_url=link)
    _sms(
        case,
        "case_responded",
        _("شهروند گرامی، به پیام %(tracking_code)s پاسخ داده شد. دیدن پاسخ و نظرسنجی: %(track_url)s")
        % payload,
        payload,
    )


@_in_site_language
def case_closed(case: Case) -> None:
    payload = _payload(case)
    _sms(
        case,
        "case_closed",
        _("پیام %(tracking_code)s در سامانه ۱۳۷ بسته شد. از همراهی شما سپاسگزاریم.") % payload,
        payload,
    )


def _staff_of(unit: Unit, roles: list[str]) -> list[Any]:
    """Active members with these roles in the unit or, failing that, its nearest ancestor that has some."""
    current: Unit | None = unit
    while current is not None:
        members = [
            membership.user
            for membership in Membership.objects.filter(
                unit=current, role__in=roles, is_active=True, user__is_active=True
            ).select_related("user")
        ]
        if members:
            return members
        current = current.parent
    return []


def _inapp(users: list[Any], kind: str, case: Case, subject: str, body: str, payload: dict[str, str]) -> None:
    seen: set[int] = set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind=kind,
            subject=subject,
            body=body,
            payload=payload,
            dedupe_key=f"{kind}:{case.public_id}:{case.sla_started_at.isoformat() if case.sla_started_at else ''}:{user.pk}",
        )


@_in_site_language
def sla_warning(case: Case) -> None:
    recipients = [case.assignee] if case.assignee_id else _staff_of(case.unit, [Membership.Role.OFFICER])
    payload = _payload(case)
    _inapp(
        recipients,
        "sla_warning",
        case,
        _("هشدار مهلت پاسخ"),
        _("مهلت پاسخ پرونده %(tracking_code)s رو به پایان است.") % payload,
        payload,
    )


@_in_site_language
def case_overdue(case: Case) -> None:
    center = Unit.objects.get(kind=Unit.Kind.CENTER, parent__isnull=True)
    recipients = _staff_of(case.unit, [Membership.Role.MANAGER]) + _staff_of(
        center, [Membership.Role.SUPERVISOR]
    )
    payload = _payload(case, unit=case.unit.name)
    _inapp(
        recipients,
        "case_overdue",
        case,
        _("مهلت پاسخ گذشت"),
        _("مهلت پاسخ پرونده %(tracking_code)s در %(unit)s گذشته است.") % payload,
        payload,
    )
