"""API shapes for cases. Schemas only shape data; the rules live in services and selectors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from peygir.core.jalali import format_datetime

from .models import Case, CaseEvent

if TYPE_CHECKING:
    from .selectors import PublicCase


class CaseSubmitIn(Schema):
    type: str = Field(..., max_length=32, description="کد نوع پیام، مانند request یا complaint")
    category: str = Field(..., max_length=32, description="کد دسته موضوعی، مانند waste")
    description: str = Field(..., max_length=10000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=500)
    service_code: str | None = Field(None, max_length=64)
    attributes: dict[str, Any] = Field(default_factory=dict)
    priority: str | None = Field(None, max_length=32)
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=20)
    anonymous: bool = False
    channel: str = Field("app", max_length=16, description="web یا app؛ کارکنان: phone یا staff")


class CaseCreatedOut(Schema):
    tracking_code: str
    public_id: uuid.UUID
    phase: str
    phase_label: str
    unit: str
    respond_by: dt.datetime | None
    respond_by_jalali: str
    created: bool


# What the citizen reads about each phase.
PUBLIC_STATUS = {
    Case.Phase.REGISTERED: _("پیام شما ثبت شد و به واحد مسئول فرستاده شده است."),
    Case.Phase.ASSIGNED: _("پیام شما به کارشناس واحد مسئول سپرده شده است."),
    Case.Phase.IN_PROGRESS: _("کارشناس واحد مسئول در حال رسیدگی به پیام شماست."),
    Case.Phase.AWAITING_CITIZEN: _("برای ادامه رسیدگی، اطلاعات بیشتری از شما خواسته شده است."),
    Case.Phase.RETURNED: _("پیام شما در مرکز ۱۳۷ در حال بررسی برای ارجاع به واحد درست است."),
    Case.Phase.RESPONDED: _("به پیام شما پاسخ داده شده است."),
    Case.Phase.CLOSED: _("رسیدگی به پیام شما پایان یافته است."),
}


class PublicEventOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    at_jalali: str
    note: str
    unit: str


class TrackOut(Schema):
    tracking_code: str
    type: str
    category: str
    phase: str
    phase_label: str
    status: str
    created_at: dt.datetime
    created_at_jalali: str
    respond_by: dt.datetime | None
    respond_by_jalali: str
    resolution: str
    resolution_label: str
    response: str
    timeline: list[PublicEventOut]


class CaseSummaryOut(Schema):
    public_id: uuid.UUID
    tracking_code: str
    type: str
    category: str
    phase: str
    phase_label: str
    unit: str
    district: str
    channel: str
    is_special: bool
    created_at: dt.datetime
    created_at_jalali: str
    respond_by: dt.datetime | None
    respond_by_jalali: str
    is_overdue: bool
    description: str


class StaffEventOut(PublicEventOut):
    is_public: bool
    actor: str
    internal_note: str
    from_phase: str
    to_phase: str


class CaseDetailOut(CaseSummaryOut):
    area: str
    address: str
    lat: float | None
    lon: float | None
    h3_cell: str
    contact_name: str
    contact_phone: str
    is_anonymous: bool
    assignee: str
    resolution: str
    response_text: str
    resolve_by: dt.datetime | None
    sla_paused: bool
    version: int
    attributes: dict[str, Any]
    actions: list[str]
    timeline: list[StaffEventOut]


class ActionIn(Schema):
    note: str = Field("", max_length=10000, description="متنی که شهروند می‌بیند (پاسخ، پرسش، دلیل اعتراض)")
    internal_note: str = Field("", max_length=10000, description="یادداشت داخلی؛ شهروند نمی‌بیند")
    unit: str | None = Field(None, max_length=64, description="کد واحد مقصد برای ارجاع")
    assignee: str | None = Field(None, max_length=150, description="نام کاربری کارشناس برای تخصیص")
    resolution: str = Field("", max_length=20)
    target: str | None = Field(None, max_length=20, description="کد رهگیری پرونده اصلی برای ادغام")
    category: str | None = Field(None, max_length=32, description="کد دسته موضوعی برای تعیین دسته")
    version: int | None = Field(
        None, description="نسخه‌ای که دیده‌اید؛ اگر پرونده تغییر کرده باشد ۴۰۹ برمی‌گردد"
    )


class NoteIn(Schema):
    internal_note: str = Field(..., max_length=10000)


def _label(choices: Any, value: str) -> str:
    # The choice's label without ``get_FOO_display()``, which hashes every lazy label on each call.
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def phase_label(phase: str) -> str:
    return _label(Case.Phase, phase)


def _jalali(value: dt.datetime | None) -> str:
    return format_datetime(value) if value else ""


# Public steps that name the unit the case went to.
_UNIT_SHOWN_FOR = frozenset({CaseEvent.Kind.REGISTERED, CaseEvent.Kind.REFERRED})


def _event_out(kind: str, at: dt.datetime, note: str, to_unit_name: str) -> PublicEventOut:
    return PublicEventOut(
        kind=kind,
        label=_label(CaseEvent.Kind, kind),
        at=at,
        at_jalali=_jalali(at),
        note=note,
        unit=to_unit_name if kind in _UNIT_SHOWN_FOR else "",
    )


def public_event(event: CaseEvent) -> PublicEventOut:
    to_unit = event.to_unit.name if event.to_unit is not None else ""
    return _event_out(event.kind, event.created_at, event.public_note, to_unit)


def track_out(case: PublicCase) -> TrackOut:
    return TrackOut(
        tracking_code=case.tracking_code,
        type=case.type_name,
        category=case.category_name,
        phase=case.phase,
        phase_label=phase_label(case.phase),
        status=str(PUBLIC_STATUS[Case.Phase(case.phase)]),
        created_at=case.created_at,
        created_at_jalali=_jalali(case.created_at),
        respond_by=case.respond_by if case.is_open else None,
        respond_by_jalali=_jalali(case.respond_by) if case.is_open else "",
        resolution=case.resolution,
        resolution_label=_label(Case.Resolution, case.resolution) if case.resolution else "",
        response=case.response_text if case.phase in (Case.Phase.RESPONDED, Case.Phase.CLOSED) else "",
        timeline=[
            _event_out(event.kind, event.created_at, event.public_note, event.to_unit_name)
            for event in case.timeline
        ],
    )


def summary_fields(case: Case) -> dict[str, Any]:
    return {
        "public_id": case.public_id,
        "tracking_code": case.tracking_code,
        "type": case.message_type.code,
        "category": case.category.code if case.category is not None else "",
        "phase": case.phase,
        "phase_label": phase_label(case.phase),
        "unit": case.unit.name,
        "district": case.district.name if case.district is not None else "",
        "channel": case.channel,
        "is_special": case.is_special,
        "created_at": case.created_at,
        "created_at_jalali": _jalali(case.created_at),
        "respond_by": case.respond_by,
        "respond_by_jalali": _jalali(case.respond_by),
        "is_overdue": case.overdue_at is not None and case.is_open,
        "description": case.description[:300],
    }


def detail_out(case: Case, events: list[CaseEvent], actions: list[str]) -> CaseDetailOut:
    return CaseDetailOut(
        **summary_fields(case),
        area=case.area.name if case.area is not None else "",
        address=case.address,
        lat=case.lat,
        lon=case.lon,
        h3_cell=case.h3_cell,
        contact_name=case.contact_name,
        contact_phone=case.contact_phone,
        is_anonymous=case.is_anonymous,
        assignee=str(case.assignee) if case.assignee_id else "",
        resolution=case.resolution,
        response_text=case.response_text,
        resolve_by=case.resolve_by,
        sla_paused=case.sla_paused_at is not None,
        version=case.version,
        attributes=case.attributes,
        actions=actions,
        timeline=[
            StaffEventOut(
                **public_event(event).dict(),
                is_public=event.is_public,
                actor=str(event.actor) if event.actor_id else "",
                internal_note=event.internal_note,
                from_phase=event.from_phase,
                to_phase=event.to_phase,
            )
            for event in events
        ],
    )
