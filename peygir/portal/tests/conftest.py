from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from peygir.cases.models import Case
from peygir.cases.services import case_submit, case_transition

POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
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


@pytest.fixture
def respond() -> Any:
    """Take a case through accept and respond as ``officer``."""

    def _respond(case: Case, officer: Any, text: str = "مخزن تخلیه و کوچه شسته شد.") -> Case:
        case = case_transition(case=case, action="accept", actor=officer)
        return case_transition(case=case, action="respond", actor=officer, resolution="fixed", note=text)

    return _respond


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0), 3: "E", 4: (51.0, 24.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
