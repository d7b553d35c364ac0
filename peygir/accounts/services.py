"""Sign-in: one-time codes by SMS for citizens, bearer tokens for API clients."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.core.db import compare_and_swap
from peygir.core.errors import NotAuthenticated, RateLimited, ValidationError
from peygir.core.ratelimit import attempt_record, attempts_clear, attempts_exceeded
from peygir.core.text import normalize_mobile, to_latin_digits, to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue

from .models import ApiToken, OneTimeCode, User
from .signals import mobile_verified


def _code_hash(mobile: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"otp:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _clean_mobile(mobile: str) -> str:
    normalized = normalize_mobile(mobile)
    if normalized is None:
        raise ValidationError(_("شماره تلفن همراه نامعتبر است؛ مانند ۰۹۱۲۱۲۳۴۵۶۷."), code="bad_phone")
    return normalized


@dataclass(frozen=True)
class OtpSent:
    mobile: str
    expires_at: dt.datetime


def otp_request(*, mobile: str, ip: str | None) -> OtpSent:
    """Send a fresh 6-digit sign-in code to ``mobile`` through the notification outbox.

    Raises ValidationError for a malformed number and RateLimited when the number or the address
    has asked too often in the last hour. Earlier unused codes for the number stop working.
    """
    number = _clean_mobile(mobile)
    conf = settings.PEYGIR
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    if (
        OneTimeCode.objects.filter(mobile=number, created_at__gte=hour_ago).count()
        >= conf["OTP_PER_PHONE_PER_HOUR"]
    ):
        raise RateLimited(_("برای این شماره بیش از حد کد درخواست شده است؛ یک ساعت دیگر تلاش کنید."))
    if (
        ip
        and OneTimeCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= conf["OTP_PER_IP_PER_HOUR"]
    ):
        raise RateLimited(_("از این نشانی بیش از حد کد درخواست شده است؛ کمی بعد تلاش کنید."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires_at = now + dt.timedelta(seconds=conf["OTP_TTL_SECONDS"])
    with transaction.atomic():
        OneTimeCode.objects.filter(mobile=number, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        otp = OneTimeCode.objects.create(
            mobile=number, code_hash=_code_hash(number, code), ip=ip, expires_at=expires_at
        )
        notification_enqueue(
            channel=Notification.Channel.SMS,
            to_phone=number,
            kind="otp",
            body=_("کد ورود به سامانه ۱۳۷: %(code)s — این کد را به کسی ندهید.")
            % {"code": to_persian_digits(code)},
            dedupe_key=f"otp:{otp.pk}",
        )
    return OtpSent(mobile=number, expires_at=expires_at)


def otp_verify(*, mobile: str, code: str) -> User:
    """Check a sign-in code and return the citizen's user (created on first sign-in).

    Single use: the code is consumed by a compare-and-swap, so two requests with the same code
    cannot both succeed. Raises ValidationError for a wrong, expired, used or over-tried code.
    """
    number = _clean_mobile(mobile)
    digits = to_latin_digits((code or "").strip())
    wrong = ValidationError(_("کد واردشده درست نیست یا منقضی شده است."), code="bad_code")
    if len(digits) != 6 or not digits.isdigit():
        raise wrong
    now = timezone.now()
    otp = (
        OneTimeCode.objects.filter(mobile=number, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if otp is None or otp.attempts >= settings.PEYGIR["OTP_MAX_ATTEMPTS"]:
        raise wrong
    if not hmac.compare_digest(otp.code_hash, _code_hash(number, digits)):
        OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
        raise wrong
    with transaction.atomic():
        if not compare_and_swap(
            OneTimeCode, pk=otp.pk, expected={"used_at__isnull": True}, changes={"used_at": now}
        ):
            raise wrong
        user, _created = User.objects.get_or_create(mobile=number, defaults={"username": f"citizen-{number}"})
        if user.mobile_verified_at is None:
            user.mobile_verified_at = now
            user.save(update_fields=["mobile_verified_at"])
        transaction.on_commit(partial(mobile_verified.send, sender=User, user=user))
    return user


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "", ttl: dt.timedelta | None = None) -> str:
    """Issue a bearer token for ``user``; returns the key, which is shown once and never stored."""
    key = "pg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=_token_hash(key),
        prefix=key[3:11],
        expires_at=timezone.now() + ttl if ttl else None,
    )
    return key


def api_token_authenticate(key: str) -> User:
    """The active user behind a bearer token. Raises NotAuthenticated for an unknown, expired or revoked one."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key or ""), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        raise NotAuthenticated(_("توکن نامعتبر یا منقضی است؛ دوباره وارد شوید."))
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, key: str) -> None:
    ApiToken.objects.filter(key_hash=_token_hash(key), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


PASSWORD_FAILURES_ALLOWED = 10
PASSWORD_FAILURE_WINDOW = dt.timedelta(minutes=15)


def staff_password_authenticate(*, username: str, password: str, ip: str | None) -> User:
    """A staff member signing in with a password (API clients and integrations).

    Failed attempts are counted per username and per address in the shared cache; past the limit
    the sign-in is refused for a while even with the right password. Raises NotAuthenticated,
    RateLimited.
    """
    from django.contrib.auth import authenticate

    keys = [f"pwfail:user:{username.lower()}", f"pwfail:ip:{ip or '-'}"]
    window = int(PASSWORD_FAILURE_WINDOW.total_seconds())
    if any(attempts_exceeded(key, limit=PASSWORD_FAILURES_ALLOWED) for key in keys):
        raise RateLimited(_("تلاش‌های ناموفق زیاد بوده است؛ پانزده دقیقه دیگر دوباره تلاش کنید."))
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        for key in keys:
            attempt_record(key, window_seconds=window)
        raise NotAuthenticated(_("نام کاربری یا گذرواژه درست نیست."))
    for key in keys:
        attempts_clear(key)
    return user  # type: ignore[return-value]
