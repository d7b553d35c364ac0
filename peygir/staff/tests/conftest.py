from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.core.testing.auth import sign_in

# Points inside the demo polygons of districts 6 and 7.
POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    # Rate-limit counters live in the shared cache, which is not rolled back with the test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


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
            "contact_phone": "09121112233",
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


@pytest.fixture
def case6(submit: Any) -> Case:
    return submit()


@pytest.fixture
def case7(submit: Any) -> Case:
    return submit(point=POINT_7)


@pytest.fixture
def as_officer6(officer6: Any) -> Client:
    return sign_in(Client(), officer6)


@pytest.fixture
def as_officer7(officer7: Any) -> Client:
    return sign_in(Client(), officer7)


@pytest.fixture
def as_supervisor(supervisor: Any) -> Client:
    return sign_in(Client(), supervisor)


@pytest.fixture
def as_manager6(manager6: Any) -> Client:
    return sign_in(Client(), manager6)
