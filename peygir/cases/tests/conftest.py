from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_submit

# Points well inside the demo (approximate) polygons of districts 6 and 7: their inside points.
POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def submit(org_tree: Any) -> Any:
    """Register a case through the real service; keyword overrides on sensible defaults."""

    def _submit(**overrides: Any) -> Case:
        lat, lon = overrides.pop("point", POINT_6)
        fields: dict[str, Any] = {
            "channel": Case.Channel.WEB,
            "message_type": "request",
            "category": "waste",
            "description": "زباله‌های کوچه جمع‌آوری نشده است.",
            "lat": lat,
            "lon": lon,
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


@pytest.fixture
def case6(submit: Any, citizen: Any) -> Case:
    return submit(citizen=citizen)


@pytest.fixture
def case7(submit: Any, citizen_b: Any) -> Case:
    return submit(citizen=citizen_b, point=POINT_7)
