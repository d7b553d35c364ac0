from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.core.testing.auth import sign_in  # noqa: F401 - used by this app's tests

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
