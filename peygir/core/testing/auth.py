"""Signing test clients in, past the second factor where the person's role needs one."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.staff.selectors import two_factor_required


def sign_in(client: Client, user: Any, *, verified: bool = True) -> Client:
    """Sign ``user`` in on ``client``; past the second factor too when their role needs it."""
    client.force_login(user)
    if verified and two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
