"""Rules of the staff pages: who must use a second factor, who is a supervisor, who may come in."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.cases.selectors import staff_scope
from peygir.core.security import two_factor_required_by_rules
from peygir.org.models import Membership

# Roles whose holders see city-wide or unit-wide data and change configuration: a stolen password
# alone must not be enough to act as them.
TWO_FACTOR_ROLES = frozenset({Membership.Role.MANAGER, Membership.Role.SUPERVISOR, Membership.Role.ADMIN})


def two_factor_required(user: Any) -> bool:
    """True when ``user`` must pass a TOTP second factor: superusers, anyone with an active
    manager, supervisor or admin membership, and anyone a registered rule names (core.security)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if any(role in TWO_FACTOR_ROLES for role, _path in staff_scope(user).memberships):
        return True
    return two_factor_required_by_rules(user)


def is_staff_member(user: Any) -> bool:
    """True when ``user`` has at least one active membership (in an active unit): the staff pages' gate."""
    return staff_scope(user).is_staff


def is_supervisor(user: Any) -> bool:
    """True when ``user`` is a 137-center supervisor (an active supervisor membership)."""
    return bool(staff_scope(user).paths({Membership.Role.SUPERVISOR}))


def is_manager(user: Any) -> bool:
    """True when ``user`` manages a unit (an active manager membership)."""
    return bool(staff_scope(user).paths({Membership.Role.MANAGER}))


def totp_device_confirmed(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device (the first one), or None before enrolment."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def otp_verified(user: Any) -> bool:
    """True when this request's user passed a second factor (django-otp's middleware sets it)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False
