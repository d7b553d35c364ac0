"""Handler and custodian key pairs, and the unlocked private key kept for a signed-in session.

The private key is wrapped under Argon2id(password) and under Argon2id(recovery key). Once
unlocked, it is kept in the server session only as a secret box whose key lives in a cookie that
the browser sends to ``/staff/integrity/`` alone (HttpOnly, SameSite=Strict): the session row
alone, or the cookie alone, opens nothing. Signing out flushes the session; the unlock also lapses
after ``INTEGRITY["UNLOCK_SECONDS"]`` without use.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from peygir.core.errors import Conflict, PermissionDenied, RateLimited, ValidationError
from peygir.core.ratelimit import attempt_record, attempts_clear, attempts_exceeded

from . import crypto
from .audit import integrity_audit_record
from .models import IntegrityRole, KeyPair

COOKIE = "integrity_key"
COOKIE_PATH = "/staff/integrity/"
SESSION_BOX = "integrity_key_box"
SESSION_SEEN = "integrity_key_seen"
UNLOCK_ATTEMPTS = 10
UNLOCK_WINDOW = 15 * 60


def _unlock_seconds() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("UNLOCK_SECONDS", 1800))


def has_role(user: Any, role: str | None = None) -> bool:
    """True when ``user`` holds an active integrity role (``role`` or any)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = IntegrityRole.objects.filter(user=user, is_active=True)
    if role is not None:
        roles = roles.filter(role=role)
    return roles.exists()


def keypair_for(user: Any) -> KeyPair | None:
    return KeyPair.objects.filter(user=user).first()


def keypair_setup(*, user: Any, password: str) -> str:
    """Create ``user``'s key pair, wrapped under their account password and a new recovery key.

    Returns the recovery key (shown once, never stored). Raises PermissionDenied without an
    integrity role, ValidationError for a wrong password, Conflict when keys exist already."""
    if not has_role(user):
        raise PermissionDenied(_("شما نقشی در کانال گزارش فساد ندارید."))
    if not user.check_password(password):
        raise ValidationError(_("گذرواژه درست نیست."), code="bad_password")
    cost = crypto.key_cost()
    private_key = crypto.new_key_pair()
    recovery = crypto.recovery_key_new()
    password_salt, recovery_salt = crypto.new_salt(), crypto.new_salt()
    with transaction.atomic():
        if KeyPair.objects.filter(user=user).exists():
            raise Conflict(_("کلیدهای شما پیش‌تر ساخته شده است."))
        KeyPair.objects.create(
            user=user,
            public_key=bytes(private_key.public_key),
            password_salt=password_salt,
            password_box=crypto.wrap_private_key(
                crypto.derive_key(password, salt=password_salt, cost=cost), private_key
            ),
            recovery_salt=recovery_salt,
            recovery_box=crypto.wrap_private_key(
                crypto.derive_key(recovery, salt=recovery_salt, cost=cost), private_key
            ),
            kdf_ops=cost.ops,
            kdf_mem=cost.mem,
            created_on=timezone.localdate(),
        )
        integrity_audit_record(actor=user, action="keys.setup")
    return recovery


def _throttle(user: Any) -> str:
    key = f"integrity-unlock:{user.pk}"
    if attempts_exceeded(key, limit=UNLOCK_ATTEMPTS):
        raise RateLimited(_("تلاش‌های نادرست بسیار بود؛ یک ربع دیگر دوباره تلاش کنید."))
    return key


def keypair_unlock(*, user: Any, password: str) -> PrivateKey:
    """``user``'s private key, opened with their password. Raises NotFound-like ValidationError when
    there are no keys or the password does not open them (rate-limited: RateLimited)."""
    keypair = keypair_for(user)
    if keypair is None:
        raise ValidationError(_("نخست کلیدهای خود را بسازید."), code="no_keys")
    key = _throttle(user)
    cost = crypto.Cost(keypair.kdf_ops, keypair.kdf_mem)
    try:
        private_key = crypto.unwrap_private_key(
            crypto.derive_key(password, salt=bytes(keypair.password_salt), cost=cost),
            bytes(keypair.password_box),
        )
    except crypto.DecryptionFailed:
        attempt_record(key, window_seconds=UNLOCK_WINDOW)
        raise ValidationError(
            _("این گذرواژه کلید را باز نمی‌کند. اگر گذرواژه را عوض کرده‌اید، از کلید بازیابی استفاده کنید."),
            code="bad_password",
        ) from None
    attempts_clear(key)
    return private_key


def keypair_recover(*, user: Any, recovery_key: str, password: str) -> PrivateKey:
    """Open the private key with the recovery key and wrap it again under the current account
    password (after a password change). Raises ValidationError for a wrong password or recovery
    key (rate-limited)."""
    keypair = keypair_for(user)
    if keypair is None:
        raise ValidationError(_("نخست کلیدهای خود را بسازید."), code="no_keys")
    if not user.check_password(password):
        raise ValidationError(_("گذرواژه درست نیست."), code="bad_password")
    key = _throttle(user)
    cost = crypto.Cost(keypair.kdf_ops, keypair.kdf_mem)
    try:
        private_key = crypto.unwrap_private_key(
            crypto.derive_key(
                crypto.recovery_key_normalize(recovery_key), salt=bytes(keypair.recovery_salt), cost=cost
            ),
            bytes(keypair.recovery_box),
        )
    except crypto.DecryptionFailed:
        attempt_record(key, window_seconds=UNLOCK_WINDOW)
        raise ValidationError(_("کلید بازیابی درست نیست."), code="bad_recovery_key") from None
    attempts_clear(key)
    salt = crypto.new_salt()
    current = crypto.key_cost()
    with transaction.atomic():
        # Only the password wrap changes; the recovery wrap keeps its own costs.
        if current != cost:
            raise Conflict(_("هزینه‌های Argon2 عوض شده است؛ کلید را با مدیر سامانه بازسازی کنید."))
        KeyPair.objects.filter(pk=keypair.pk).update(
            password_salt=salt,
            password_box=crypto.wrap_private_key(
                crypto.derive_key(password, salt=salt, cost=cost), private_key
            ),
        )
        integrity_audit_record(actor=user, action="keys.recover")
    return private_key


# --- The unlocked key in the session ------------------------------------------------------------


def session_unlock(request: HttpRequest, response: HttpResponse, private_key: PrivateKey) -> None:
    """Keep ``private_key`` for this session: ciphertext in the session, its key in a cookie."""
    client_key = crypto.new_file_key()
    request.session[SESSION_BOX] = crypto.b64(crypto.box_encrypt(client_key, bytes(private_key)))
    request.session[SESSION_SEEN] = int(time.time())
    response.set_cookie(
        COOKIE,
        crypto.b64(client_key),
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def session_lock(request: HttpRequest, response: HttpResponse | None = None) -> None:
    request.session.pop(SESSION_BOX, None)
    request.session.pop(SESSION_SEEN, None)
    if response is not None:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")


def session_private_key(request: HttpRequest) -> PrivateKey | None:
    """The unlocked private key of this session, or None (never unlocked, lapsed, or a cookie that
    does not fit the session). Touching it extends the unlock window."""
    box = request.session.get(SESSION_BOX)
    cookie = request.COOKIES.get(COOKIE)
    if not box or not cookie:
        return None
    seen = int(request.session.get(SESSION_SEEN, 0))
    now = int(time.time())
    if now - seen > _unlock_seconds():
        session_lock(request)
        return None
    try:
        private_key = PrivateKey(crypto.box_decrypt(crypto.unb64(cookie), crypto.unb64(box)))
    except (crypto.DecryptionFailed, ValueError, TypeError):
        return None
    keypair = keypair_for(request.user)
    if keypair is None or not crypto.constant_time_equal(
        bytes(private_key.public_key), bytes(keypair.public_key)
    ):
        return None
    if now - seen > 60:
        request.session[SESSION_SEEN] = now
    return private_key
