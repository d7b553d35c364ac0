"""Writes an agent makes on the console: register a case for the caller, add a follow-up note, link
a case, transfer, and close the call with its disposition."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.cases.models import Case
from peygir.cases.selectors import access_case
from peygir.cases.services import case_add_note, case_submit
from peygir.core.errors import Conflict, ValidationError
from peygir.core.geo import geometry_from_geojson
from peygir.core.text import normalize_mobile, normalize_text, to_latin_digits
from peygir.org.models import Unit

from .models import Call, PbxCommand

MAX_CALL_NOTE = 2000


def unit_point(unit: Unit) -> tuple[float, float] | None:
    """A point surely inside the unit's boundary (lat, lon), or None for a unit without one."""
    if not unit.boundary:
        return None
    point = geometry_from_geojson(unit.boundary).representative_point()
    return round(point.y, 6), round(point.x, 6)


def call_register_case(
    *,
    call: Call,
    actor: Any,
    category: str,
    message_type: str,
    description: str,
    place: Unit | None = None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Case:
    """Register a case on the caller's behalf (channel "phone") and link it to the call.

    ``place`` (a district or an area) routes the case as a point inside it would. The caller's mobile
    number is the contact unless the agent typed another. Idempotent per call and description: a
    double-submitted form returns the first case. Raises ValidationError (from case_submit too).
    Sets off: the citizen's confirmation SMS (case_submit).
    """
    phone = contact_phone or call.caller_number
    if phone and normalize_mobile(phone) is None:
        if contact_phone:
            raise ValidationError(_("شماره تلفن همراه نامعتبر است؛ مانند ۰۹۱۲۱۲۳۴۵۶۷."), code="bad_phone")
        phone = ""  # a landline caller: no SMS contact
    lat = lon = None
    if place is not None:
        point = unit_point(place)
        if point is None:
            raise ValidationError(_("برای این منطقه مرزی ثبت نشده است."), code="bad_place")
        lat, lon = point
    citizen = call.citizen if call.citizen is not None and call.citizen.mobile == phone else None
    digest = hashlib.sha256(normalize_text(description).encode()).hexdigest()[:16]
    external_id = f"call:{call.public_id}:{digest}"
    with transaction.atomic():
        result = case_submit(
            channel=Case.Channel.PHONE,
            message_type=message_type,
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            address=address,
            citizen=citizen,
            contact_name=contact_name,
            contact_phone=phone,
            external_id=external_id,
            actor=actor,
        )
        call.cases.add(result.case)
        if result.created:
            audit_record(
                actor=actor,
                action="callcenter.call_case",
                object_type="callcenter.call",
                object_id=str(call.public_id),
                after={"case": str(result.case.public_id)},
            )
    return result.case


def call_follow_up(*, call: Call, actor: Any, case_public_id: Any, note: str) -> Case:
    """Link an existing case to the call and add the agent's follow-up note to its timeline.

    Raises NotFound when the agent may not see the case, ValidationError for an empty note.
    """
    case = access_case(user=actor, public_id=case_public_id)
    with transaction.atomic():
        case_add_note(case=case, actor=actor, internal_note=note)
        call.cases.add(case)
    return case


def call_transfer(*, call: Call, actor: Any, target: str) -> Call:
    """Ask the PBX to move the caller to ``target`` (an extension or a queue's dial-in number).

    Raises ValidationError for a bad target, Conflict when the call is not in progress.
    Sets off: an AMI ``Redirect`` action (sent by run_ami).
    """
    target = to_latin_digits(normalize_text(target)).replace(" ", "")
    if not target.isascii() or not target.isdigit() or len(target) > 20:
        raise ValidationError(_("شماره داخلی مقصد را درست وارد کنید."), code="bad_target")
    if call.status != Call.Status.ANSWERED:
        raise Conflict(_("فقط تماس در جریان را می‌توان منتقل کرد."), code="not_in_progress")
    with transaction.atomic():
        PbxCommand.objects.create(
            action="Redirect",
            fields={
                "Channel": f"linkedid:{call.linkedid}",
                "Exten": target,
                "Context": "from-internal",
                "Priority": 1,
            },
        )
        Call.objects.filter(pk=call.pk).update(transferred_to=target)
        audit_record(
            actor=actor,
            action="callcenter.call_transfer",
            object_type="callcenter.call",
            object_id=str(call.public_id),
            after={"target": target},
        )
    call.refresh_from_db()
    return call


def call_close(*, call: Call, actor: Any, disposition: str, note: str = "") -> Call:
    """Record the call's disposition (and the after-call-work time the agent took).

    "case registered" needs a case registered on the call, "follow-up" a linked case. Raises
    ValidationError for a bad disposition or a missing case, Conflict for a call already closed or
    still ringing.
    """
    if disposition not in Call.Disposition.values:
        raise ValidationError(_("نتیجه تماس را انتخاب کنید."), code="bad_disposition")
    note = normalize_text(note)
    if len(note) > MAX_CALL_NOTE:
        raise ValidationError(_("یادداشت تماس بیش از حد طولانی است."), code="note_too_long")
    if call.closed_at is not None:
        raise Conflict(_("نتیجه این تماس پیش‌تر ثبت شده است."), code="already_closed")
    if call.status in (Call.Status.QUEUED, Call.Status.RINGING, Call.Status.ABANDONED):
        raise Conflict(_("این تماس هنوز پاسخ داده نشده است."), code="not_answered")
    needs_case = disposition in (Call.Disposition.CASE_REGISTERED, Call.Disposition.FOLLOW_UP)
    if needs_case and not call.cases.exists():
        raise ValidationError(_("برای این نتیجه، ابتدا پرونده‌ای را ثبت یا پیوند کنید."), code="case_required")
    now = timezone.now()
    wrap = int((now - call.ended_at).total_seconds()) if call.ended_at else 0
    with transaction.atomic():
        changed = Call.objects.filter(pk=call.pk, closed_at__isnull=True).update(
            disposition=disposition, note=note, closed_at=now, wrap_seconds=max(0, wrap)
        )
        if not changed:
            raise Conflict(_("نتیجه این تماس پیش‌تر ثبت شده است."), code="already_closed")
        audit_record(
            actor=actor,
            action="callcenter.call_close",
            object_type="callcenter.call",
            object_id=str(call.public_id),
            after={"disposition": disposition},
        )
    call.refresh_from_db()
    return call
