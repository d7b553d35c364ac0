from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.staff.selectors import two_factor_required

POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture(autouse=True)
def _report_dir(settings: Any, tmp_path: Any) -> None:
    settings.PEYGIR_PERFORMANCE = {**settings.PEYGIR_PERFORMANCE, "REPORT_DIR": str(tmp_path / "reports")}


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
            "contact_phone": "09121112233",
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


def sign_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
