from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from PIL import Image

from peygir.intake.channels.open311.services import open311_client_create

BASE = "/open311/v2"
# Points well inside the demo polygons of districts 6 and 7.
POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def api_key(org_tree: Any) -> str:
    _client, key = open311_client_create(name="اپ شهر من", rate_limit_per_minute=100)
    return key


@pytest.fixture
def submit(org_tree: Any) -> Any:
    """Register a case through the real service, as the web portal would."""
    from peygir.cases.services import case_submit

    def _submit(**overrides: Any) -> Any:
        lat, lon = overrides.pop("point", POINT_6)
        fields: dict[str, Any] = {
            "channel": "web",
            "message_type": "request",
            "category": "roads",
            "service_code": "roads-pothole",
            "attributes": {"pothole_size": "small"},
            "description": "چاله جلوی مدرسه پر نشده است.",
            "lat": lat,
            "lon": lon,
            "address": "خیابان فاطمی",
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


@pytest.fixture
def respond() -> Any:
    """Take a case through accept and respond as ``officer``."""
    from peygir.cases.services import case_transition

    def _respond(case: Any, officer: Any, text: str = "چاله با آسفالت گرم پر شد.") -> Any:
        case = case_transition(case=case, action="accept", actor=officer)
        return case_transition(case=case, action="respond", actor=officer, resolution="fixed", note=text)

    return _respond


def xml_of(response: Any) -> ET.Element:
    """Parse an answer with a real XML parser, after checking the declaration and content type."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    return ET.fromstring(body)


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def _merge(shapes: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for shape in shapes:
        for key, child in shape.items():
            merged[key] = _merge([merged[key], child]) if key in merged else child
    return merged


def xml_shape(element: ET.Element) -> dict[str, Any]:
    """The tag tree of an element: {tag: shape of its children}, repeated siblings merged."""
    children: dict[str, list[dict[str, Any]]] = {}
    for child in element:
        children.setdefault(child.tag, []).append(xml_shape(child))
    return {tag: _merge(shapes) for tag, shapes in children.items()}


def json_shape(value: Any) -> Any:
    """The key tree of a JSON value: objects by key, every array's items merged under "[]"."""
    if isinstance(value, dict):
        return {key: json_shape(child) for key, child in value.items()}
    if isinstance(value, list):
        return {"[]": _merge([shape for shape in (json_shape(item) for item in value) if shape])}
    return {}


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0), 3: "E", 4: (51.0, 24.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def request_form(key: str, /, **overrides: Any) -> dict[str, Any]:
    """A valid POST Service Request for a pothole in district 6."""
    lat, lon = POINT_6
    form: dict[str, Any] = {
        "api_key": key,
        "jurisdiction_id": "tehran.ir",
        "service_code": "roads-pothole",
        "lat": str(lat),
        "long": str(lon),
        "address_string": "خیابان کارگر شمالی، نبش کوچه دوم",
        "description": "چاله بزرگ وسط خیابان خطرناک است.",
        "attribute[pothole_size]": "large",
        "first_name": "زهرا",
        "last_name": "احمدی",
        "phone": "۰۹۱۲۳۴۵۶۷۸۹",
        "email": "zahra@example.com",
    }
    for key, value in overrides.items():
        if value is None:
            form.pop(key, None)
        else:
            form[key] = value
    return form
