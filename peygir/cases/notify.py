"""What Peygir tells people when a case moves.

Called inside the transaction that moves the case, so the outbox row commits (or rolls back) with
the change that causes it; delivery is enqueued by the outbox after commit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.core.text import to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership, Unit

from .models import Case


def _in_site_language(func: Callable[[Case], None]) -> Callable[[Case], None]:
    """Messages go out in the site's language (Persian), whatever language the acting person's
    page was in: an officer working in English still sends the citizen a Persian SMS."""

    @functools.wraps(func)
    def wrapper(case: Case) -> None:
        with override(settings.LANGUAGE_CODE):
            func(case)

    return wrapper


def _sms(case: Case, kind: str, body: Any, *, dedupe: bool = True) -> None:
    if not case.contact_phone:
        return
    notification_enqueue(
        channel=Notification.Channel.SMS,
        to_phone=case.contact_phone,
        kind=kind,
        body=str(body),
        dedupe_key=f"{kind}:{case.public_id}:{case.version}" if dedupe else "",
    )


@_in_site_language
def case_registered(case: Case) -> None:
    # A new case is registered once, in this very transaction: nothing to deduplicate against.
    _sms(
        case,
        "case_registered",
        _("پیام شما در سامانه ۱۳۷ ثبت شد. کد رهگیری: %(code)s")
        % {"code": to_persian_digits(case.tracking_code)},
        dedupe=False,
    )


@_in_site_language
def info_requested(case: Case) -> None:
    _sms(
        case,
        "info_requested",
        _("برای پیگیری پیام %(code)s اطلاعات بیشتری لازم است؛ لطفاً با کد رهگیری به سامانه ۱۳۷ سر بزنید.")
        % {"code": to_persian_digits(case.tracking_code)},
    )


@_in_site_language
def case_responded(case: Case) -> None:
    _sms(
        case,
        "case_responded",
        _(
            "به پیام %(code)s پاسخ داده شد. برای دیدن پاسخ و اعلام رضایت، کد رهگیری را در سامانه ۱۳۷ وارد کنید."
        )
        % {"code": to_persian_digits(case.tracking_code)},
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


def _inapp(users: list[Any], kind: str, case: Case, body: str) -> None:
    seen: set[int] = set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind=kind,
            subject=body,
            body=body,
            dedupe_key=f"{kind}:{case.public_id}:{case.sla_started_at.isoformat() if case.sla_started_at else ''}:{user.pk}",
        )


@_in_site_language
def sla_warning(case: Case) -> None:
    recipients = [case.assignee] if case.assignee_id else _staff_of(case.unit, [Membership.Role.OFFICER])
    _inapp(
        recipients,
        "sla_warning",
        case,
        _("مهلت پاسخ پرونده %(code)s رو به پایان است.") % {"code": to_persian_digits(case.tracking_code)},
    )


@_in_site_language
def case_overdue(case: Case) -> None:
    center = Unit.objects.get(kind=Unit.Kind.CENTER, parent__isnull=True)
    recipients = _staff_of(case.unit, [Membership.Role.MANAGER]) + _staff_of(
        center, [Membership.Role.SUPERVISOR]
    )
    _inapp(
        recipients,
        "case_overdue",
        case,
        _("مهلت پاسخ پرونده %(code)s در %(unit)s گذشته است.")
        % {"code": to_persian_digits(case.tracking_code), "unit": case.unit.name},
    )
