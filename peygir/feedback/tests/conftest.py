from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.cases.models import Case
from peygir.cases.services import case_submit, case_transition

POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)
PHONE = "09121112233"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.PEYGIR = {**settings.PEYGIR, "SITE_URL": "https://137.tehran.ir"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submit(org_tree: Any) -> Any:
    def _submit(**overrides: Any) -> Case:
        lat, lon = overrides.pop("point", POINT_6)
        fields: dict[str, Any] = {
            "channel": Case.Channel.WEB,
            "message_type": "request",
            "category": "waste",
            "description": "زباله‌های کوچه جمع‌آوری نشده است.",
            "lat": lat,
            "lon": lon,
            "contact_phone": PHONE,
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


@pytest.fixture
def case6(org_tree: Any, citizen: Any) -> Case:
    return case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="زباله‌های کوچه جمع‌آوری نشده است.",
        lat=POINT_6[0],
        lon=POINT_6[1],
        citizen=citizen,
        contact_phone=PHONE,
    ).case


def respond_case(case: Case, officer: Any, note: str = "رفع شد.") -> Case:
    case = case_transition(case=case, action="accept", actor=officer)
    return case_transition(case=case, action="respond", actor=officer, resolution="fixed", note=note)


@pytest.fixture
def responded(case6: Case, officer6: Any) -> Case:
    return respond_case(case6, officer6)


@pytest.fixture
def respond() -> Any:
    return respond_case


def sign_in(client: Client, user: Any) -> Client:
    """Sign ``user`` in, past the TOTP second factor (every staff persona here may need it)."""
    client.force_login(user)
    if user.memberships.exists() or user.is_superuser:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_supervisor(client: Client, supervisor: Any) -> Client:
    return sign_in(client, supervisor)
