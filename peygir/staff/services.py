"""Writes of the staff pages: enrolling and checking the TOTP second factor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.audit.services import audit_record
from peygir.core.errors import RateLimited, ValidationError
from peygir.core.text import to_latin_digits

TOTP_FAILURES_ALLOWED = 5
TOTP_FAILURE_WINDOW = dt.timedelta(minutes=15)
PENDING_DEVICE_NAME = "peygir-pending"
DEVICE_NAME = "peygir"


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device for enrolment, created with a fresh secret when there is none.

    The same pending device (and secret) is returned until it is confirmed, so reloading the
    enrolment page does not invalidate a QR code already scanned. Sets off nothing.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PENDING_DEVICE_NAME, confirmed=False)
    return device


def _failure_key(user: Any) -> str:
    return f"totpfail:user:{user.pk}"


def totp_check(*, device: TOTPDevice, token: str) -> None:
    """Check a 6-digit code from the authenticator app against ``device``.

    Persian or Arabic digits are accepted. Failed codes are counted per user in the shared cache;
    past TOTP_FAILURES_ALLOWED in TOTP_FAILURE_WINDOW every code is refused for a while (on top of
    django-otp's own growing delay after each failure). Raises RateLimited or ValidationError.
    """
    key = _failure_key(device.user)
    if (cache.get(key) or 0) >= TOTP_FAILURES_ALLOWED:
        raise RateLimited(_("کدهای نادرست زیادی وارد شده است؛ پانزده دقیقه دیگر دوباره تلاش کنید."))
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise RateLimited(_("کمی صبر کنید و سپس کد تازه را وارد کنید."))
    digits = to_latin_digits((token or "").strip()).replace(" ", "")
    if len(digits) != 6 or not digits.isdigit() or not device.verify_token(digits):
        if len(digits) != 6 or not digits.isdigit():
            device.throttle_increment(commit=True)
        # get + set (not incr): the database cache's incr would reset the expiry to its default.
        cache.set(key, (cache.get(key) or 0) + 1, int(TOTP_FAILURE_WINDOW.total_seconds()))
        raise ValidationError(_("کد واردشده درست نیست؛ کد تازه برنامه را وارد کنید."), code="bad_totp")
    cache.delete(key)


def totp_enrol_confirm(*, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a pending TOTP device with a code from the app; afterwards it is the user's device.

    Raises RateLimited or ValidationError (see totp_check); changes nothing then. Other pending
    devices of the user are removed. Sets off an audit entry.
    """
    totp_check(device=device, token=token)
    with transaction.atomic():
        device.confirmed = True
        device.name = DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
        audit_record(
            actor=device.user,
            action="staff.totp_enrol",
            object_type="otp_totp.totpdevice",
            object_id=str(device.pk),
            after={"confirmed": True},
        )
    return device
