"""Peygir's objects in the shapes of the Open311 spec (element order as in the spec's examples).

Only public fields are read: never the citizen, the contact name or phone, internal notes or actors.
Free text citizens and officers wrote is passed through ``redact`` before it is published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from peygir.cases.models import Attachment, Case, CaseEvent
from peygir.catalog.models import Service, ServiceAttribute
from peygir.core.text import normalize_mobile

from .selectors import open311_status, private_categories
from .serializers import w3c_datetime

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMAT_TYPES = ["text/xml", "application/json"]
REDACTED = "[…]"

_DIGIT = "[0-9\u06f0-\u06f9\u0660-\u0669]"
_PHONE_LIKE = re.compile(rf"\+?{_DIGIT}(?:[\s\-]?{_DIGIT}){{9,13}}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# mySociety's extended status of each public timeline event.
_EVENT_STATUS = {
    CaseEvent.Kind.REGISTERED: "open",
    CaseEvent.Kind.ASSIGNED: "open",
    CaseEvent.Kind.ACCEPTED: "in_progress",
    CaseEvent.Kind.REFERRED: "internal_referral",
    CaseEvent.Kind.RETURNED: "for_triage",
    CaseEvent.Kind.INFO_REQUESTED: "investigating",
    CaseEvent.Kind.CITIZEN_REPLIED: "in_progress",
    CaseEvent.Kind.CLOSED: "closed",
    CaseEvent.Kind.OBJECTED: "reopen",
    CaseEvent.Kind.MERGED: "duplicate",
}
_RESOLUTION_STATUS = {
    Case.Resolution.FIXED: "fixed",
    Case.Resolution.ANSWERED: "closed",
    Case.Resolution.NOT_POSSIBLE: "no_further_action",
    Case.Resolution.NOT_RESPONSIBLE: "not_councils_responsibility",
    Case.Resolution.DUPLICATE: "duplicate",
    Case.Resolution.INVALID: "closed",
}


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with mobile numbers, e-mail addresses and the given names replaced by ``[…]``."""
    if not text:
        return ""
    for name in names:
        if name and len(name.strip()) > 1:
            text = text.replace(name.strip(), REDACTED)
    text = _EMAIL.sub(REDACTED, text)
    return _PHONE_LIKE.sub(
        lambda match: REDACTED if normalize_mobile(match.group(0)) else match.group(0), text
    )


def service_item(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description,
        "metadata": any(True for _attribute in service.attributes.all()),
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.category.name,
    }


def _is_list(attribute: ServiceAttribute) -> bool:
    return attribute.datatype in (
        ServiceAttribute.Datatype.SINGLEVALUELIST,
        ServiceAttribute.Datatype.MULTIVALUELIST,
    )


def service_definition(service: Service) -> dict[str, Any]:
    """``order`` is the attribute's position (1, 2, …): the spec wants positive, unique numbers."""
    attributes = sorted(service.attributes.all(), key=lambda attribute: (attribute.order, attribute.pk))
    return {
        "service_code": service.service_code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": position,
                "description": attribute.description,
                "values": [
                    {"key": str(value.get("key")), "name": str(value.get("name"))}
                    for value in (attribute.values or [])
                    if isinstance(value, dict)
                ]
                if _is_list(attribute)
                else [],
            }
            for position, attribute in enumerate(attributes, start=1)
        ],
    }


def discovery(*, url: str, changeset: dt.datetime) -> dict[str, Any]:
    stamp = w3c_datetime(changeset)
    return {
        "changeset": stamp,
        "contact": _("برای راهنمایی با مرکز سامانه ۱۳۷ پلاس تماس بگیرید: تلفن ۱۳۷."),
        "key_service": _(
            "کلید API را مدیر سامانه در بخش مدیریت (برنامه‌های Open311) یا با فرمان "
            "manage.py create_api_key صادر می‌کند."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": stamp,
                "type": "production",
                "formats": FORMAT_TYPES,
            }
        ],
    }


def photo_url(case: Case, photo: Attachment, absolute: Callable[[str], str]) -> str:
    return absolute(
        reverse("portal:track_photo", kwargs={"code": case.tracking_code, "photo_id": photo.public_id})
    )


def public_description(case: Case) -> str:
    # Unclassified messages (an SMS not yet read by staff) may hold anything: not published either.
    if case.category is None or case.category.code in private_categories():
        return ""
    return redact(case.description, names=[case.contact_name])


def status_notes(case: Case) -> str | None:
    if open311_status(case.phase) != "closed" or not case.response_text:
        return None
    return redact(case.response_text, names=[case.contact_name])


def request_item(
    case: Case,
    *,
    photos: list[Attachment],
    absolute: Callable[[str], str],
    events: list[CaseEvent] | None = None,
) -> dict[str, Any]:
    """One ``<request>``; with ``events`` (the extensions) also ``extended_attributes`` and ``notes``."""
    media = [photo_url(case, photo, absolute) for photo in photos]
    item: dict[str, Any] = {
        "service_request_id": case.tracking_code,
        "status": open311_status(case.phase),
        "status_notes": status_notes(case),
        "service_name": case.service.name
        if case.service
        else (case.category.name if case.category is not None else ""),
        "service_code": case.service.service_code if case.service else None,
        "description": public_description(case),
        "agency_responsible": case.unit.name,
        "service_notice": None,
        "requested_datetime": w3c_datetime(case.created_at),
        "updated_datetime": w3c_datetime(case.updated_at),
        "expected_datetime": w3c_datetime(case.respond_by),
        "address": case.address,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": media[0] if media else None,
    }
    if events is not None:
        item["extended_attributes"] = {
            "detailed_status": case.phase,
            "resolution": case.resolution or None,
            "channel": case.channel,
            "media_urls": media,
        }
        item["notes"] = [
            {
                "datetime": w3c_datetime(event.created_at),
                "summary": str(event.get_kind_display()),
                "description": redact(event.public_note, names=[case.contact_name]) or None,
                "type": event.kind,
            }
            for event in events
        ]
    return item


def event_status(event: CaseEvent) -> str:
    """mySociety's extended status (lower case) for a public timeline event."""
    if event.kind in (CaseEvent.Kind.RESPONDED, CaseEvent.Kind.REJECTED):
        return _RESOLUTION_STATUS.get((event.data or {}).get("resolution", ""), "closed")
    return _EVENT_STATUS.get(CaseEvent.Kind(event.kind), "open")


def update_item(event: CaseEvent, case: Case, update_id: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "service_request_id": case.tracking_code,
        "status": event_status(event),
        "description": redact(event.public_note, names=[case.contact_name]),
        "updated_datetime": w3c_datetime(event.created_at),
        "media_url": None,
        "external_status_code": event.kind,
    }
