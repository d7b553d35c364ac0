"""Writes to the case aggregate: registration and every workflow transition.

``case_submit`` registers; ``case_transition`` is the only code that changes a case's phase. Each
write records a timeline event and an audit entry in the same transaction and enqueues its side
effects (notifications) only after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.catalog.models import Category, Priority, Service
from peygir.catalog.selectors import category_active_find, message_type_id_find, priority_find
from peygir.catalog.services import service_attributes_validate
from peygir.core.db import compare_and_swap, deferred_inserts, insert_row
from peygir.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from peygir.core.geo import h3_cell, valid_lat_lon
from peygir.core.text import normalize_for_search, normalize_mobile, normalize_text
from peygir.org.models import Unit
from peygir.org.selectors import center_unit
from peygir.routing.models import RoutingReason
from peygir.routing.selectors import RoutingDecision, decide_unit, locate
from peygir.sla.services import compute_deadlines, deadline_after_pause, warning_time

from . import notify
from .models import Case, CaseEvent
from .selectors import actor_roles_for_case, objection_deadline
from .signals import case_registered
from .tracking import generate_tracking_code
from .workflow import KEEP_PHASE, REJECT_RESOLUTIONS, RESPONSE_RESOLUTIONS, Action, ActorRole, rule_for

# Actions possible on a case that has no category yet (everything else needs one: deadlines,
# response templates and evaluation are all per category).
_UNCLASSIFIED_ACTIONS = frozenset(
    {Action.CLASSIFY, Action.ASSIGN, Action.REJECT, Action.MERGE, Action.WITHDRAW}
)
STAFF_ROLES = frozenset({ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR})

MAX_DESCRIPTION = 5000
MAX_NOTE = 4000


@dataclass(frozen=True)
class SubmitResult:
    case: Case
    created: bool


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "phase": case.phase,
        "unit": case.unit_id,
        "assignee": case.assignee_id,
        "resolution": case.resolution,
        "respond_by": case.respond_by,
        "resolve_by": case.resolve_by,
        "version": case.version,
    }


def _clean_note(value: str | None, *, required: bool, field_label: str) -> str:
    text = normalize_text(value)
    if required and not text:
        raise ValidationError(_("«%(field)s» را بنویسید.") % {"field": field_label}, code="note_required")
    if len(text) > MAX_NOTE:
        raise ValidationError(
            _("«%(field)s» نباید بیشتر از %(max)s نویسه باشد.") % {"field": field_label, "max": MAX_NOTE},
            code="note_too_long",
        )
    return text


def _deadline_fields(*, category: Category | None, priority: Priority | None, start: Any) -> dict[str, Any]:
    """respond_by, resolve_by and warn_at for a case started at ``start``.

    Without a category (a message waiting at the center to be classified) the center owes a
    classification within ``UNCLASSIFIED_RESPOND_HOURS``, around the clock.
    """
    ratio = settings.PEYGIR["SLA_WARNING_RATIO"]
    if category is None:
        hours = dt.timedelta(hours=settings.PEYGIR["UNCLASSIFIED_RESPOND_HOURS"])
        return {
            "respond_by": start + hours,
            "resolve_by": start + hours * 3,
            "warn_at": start + hours * ratio,
        }
    deadlines = compute_deadlines(category=category, priority=priority, start=start)
    return {
        "respond_by": deadlines.respond_by,
        "resolve_by": deadlines.resolve_by,
        "warn_at": warning_time(
            category=category, priority=priority, start=start, deadline=deadlines.respond_by, ratio=ratio
        ),
    }


def case_submit(
    *,
    channel: str,
    message_type: str,
    category: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    service_code: str | None = None,
    attributes: dict[str, Any] | None = None,
    priority: str | None = None,
    citizen: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    external_id: str = "",
    actor: Any = None,
    unclassified: bool = False,
) -> SubmitResult:
    """Register a citizen contact: validate, route, set deadlines, issue a tracking code.

    With ``unclassified=True`` an empty ``category`` is accepted (a channel that cannot ask for one,
    like an inbound SMS): the case goes to the 137 center to be classified (Action.CLASSIFY).
    Idempotent per (channel, external_id): a retry returns the first case with ``created=False``.
    Raises ValidationError (422) with a Persian message for any bad input and changes nothing then.
    Sets off: the citizen's confirmation SMS (after commit).
    """
    if channel not in Case.Channel.values:
        raise ValidationError(_("کانال ثبت نامعتبر است."), code="bad_channel")
    external_id = (external_id or "").strip()
    if len(external_id) > 100:
        raise ValidationError(_("شناسه پیام کانال بیش از حد طولانی است."), code="bad_external_id")
    # A retried message is recognised by the unique (channel, external_id) index when it is inserted
    # (see below), not by a look-up first: the common case, a new message, then costs no extra query.

    type_id = message_type_id_find(message_type)
    if type_id is None:
        raise ValidationError(_("نوع پیام «%(code)s» شناخته نیست.") % {"code": message_type}, code="bad_type")
    cat = category_active_find(category) if category or not unclassified else None
    if cat is None and not (unclassified and not category):
        raise ValidationError(
            _("دسته موضوعی «%(code)s» شناخته نیست.") % {"code": category}, code="bad_category"
        )
    service = None
    if service_code:
        service = Service.objects.filter(service_code=service_code, is_active=True, category=cat).first()
        if service is None:
            raise ValidationError(
                _("خدمت «%(code)s» در این دسته نیست.") % {"code": service_code}, code="bad_service"
            )
    clean_attributes = (
        service_attributes_validate(service=service, values=attributes or {}) if service else {}
    )
    if attributes and not service:
        raise ValidationError(_("ویژگی‌های اضافه فقط همراه با یک خدمت پذیرفته می‌شوند."), code="bad_attributes")
    prio = None
    if priority:
        prio = priority_find(priority)
        if prio is None:
            raise ValidationError(
                _("اولویت «%(code)s» شناخته نیست.") % {"code": priority}, code="bad_priority"
            )

    text = normalize_text(description)
    if len(text) < 5:
        raise ValidationError(_("شرح پیام را کامل‌تر بنویسید (دست‌کم ۵ نویسه)."), code="description_short")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(_("شرح پیام نباید بیشتر از ۵۰۰۰ نویسه باشد."), code="description_long")
    address = normalize_text(address)[:500]

    if (lat is None) != (lon is None):
        raise ValidationError(_("عرض و طول جغرافیایی باید با هم فرستاده شوند."), code="bad_location")
    if lat is not None and lon is not None and not valid_lat_lon(lat, lon):
        raise ValidationError(_("مختصات جغرافیایی نامعتبر است."), code="bad_location")

    phone = ""
    if citizen is not None and getattr(citizen, "is_authenticated", False):
        phone = citizen.mobile or ""
        anonymous = False
    else:
        citizen = None
        if contact_phone:
            normalized = normalize_mobile(contact_phone)
            if normalized is None:
                raise ValidationError(_("شماره تلفن همراه نامعتبر است؛ مانند ۰۹۱۲۱۲۳۴۵۶۷."), code="bad_phone")
            phone = normalized
        if anonymous:
            phone, contact_name = "", ""
    if not phone and citizen is None and cat is None:
        raise ValidationError(_("برای ثبت پیام بدون دسته، شماره تماس لازم است."), code="contact_required")
    if not phone and citizen is None and cat is not None and not cat.allows_anonymous:
        raise ValidationError(
            _("برای دسته «%(name)s» ثبت بی‌نام ممکن نیست؛ شماره تماس را وارد کنید.") % {"name": cat.name},
            code="contact_required",
        )

    if cat is not None:
        decision = decide_unit(category=cat, lat=lat, lon=lon, channel=channel)
    else:
        district, area = locate(lat=lat, lon=lon)
        decision = RoutingDecision(
            unit=center_unit(), district=district, area=area, rule=None, reason=RoutingReason.CENTER
        )
    now = timezone.now()
    fields: dict[str, Any] = {
        "message_type_id": type_id,
        "category": cat,
        "service": service,
        "priority": prio,
        "channel": channel,
        "external_id": external_id,
        "citizen": citizen,
        "is_anonymous": not phone and citizen is None,
        "contact_name": normalize_text(contact_name)[:150],
        "contact_phone": phone,
        "description": text,
        "search_text": normalize_for_search(f"{text} {address}"),
        "attributes": clean_attributes,
        "lat": lat,
        "lon": lon,
        "h3_cell": h3_cell(lat, lon, settings.PEYGIR["H3_RESOLUTION"])
        if lat is not None and lon is not None
        else "",
        "address": address,
        "district": decision.district,
        "area": decision.area,
        "unit": decision.unit,
        "sla_started_at": now,
        **_deadline_fields(category=cat, priority=prio, start=now),
    }
    for _attempt in range(8):
        try:
            # insert_row: the registration hot path writes its rows without ORM compilation. The
            # event, the SMS task row and the classifier's pending row need no key back: on PostgreSQL
            # they are written with the audit chain's lock, in one round trip (deferred_inserts).
            with transaction.atomic(), deferred_inserts():
                case = insert_row(Case(tracking_code=generate_tracking_code(), **fields))
                insert_row(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.REGISTERED,
                        actor=actor if getattr(actor, "is_authenticated", False) else None,
                        is_public=True,
                        to_phase=case.phase,
                        to_unit=case.unit,
                        data={"route": decision.reason},
                    ),
                    defer=True,
                )
                if phone:
                    notify.case_registered(case)
                case_registered.send(sender=Case, case=case)
                # Last: on PostgreSQL the audit chain's lock is held from here to COMMIT.
                audit_record(
                    actor=actor,
                    action="case.submit",
                    object_type="cases.case",
                    object_id=str(case.public_id),
                    after={**_snapshot(case), "tracking_code": case.tracking_code, "channel": channel},
                )
            return SubmitResult(case, True)
        except IntegrityError:
            if external_id:
                existing = Case.objects.filter(channel=channel, external_id=external_id).first()
                if existing is not None:
                    return SubmitResult(existing, False)
            # Otherwise the random tracking code collided with an existing one: draw again.
    raise Conflict(_("ثبت پیام ممکن نشد؛ دوباره تلاش کنید."), code="tracking_code_exhausted")


def _roles(actor: Any, case: Case, system: bool) -> set[ActorRole]:
    if system:
        return {ActorRole.SYSTEM}
    return actor_roles_for_case(actor, case)


def case_transition(
    *,
    case: Case,
    action: str,
    actor: Any = None,
    note: str = "",
    internal_note: str = "",
    unit: Unit | None = None,
    assignee: Any = None,
    resolution: str = "",
    target: Case | None = None,
    category: Category | None = None,
    system: bool = False,
) -> Case:
    """Take a workflow action on a case: the only writer of ``Case.phase``.

    Checks the table in ``workflow.py`` and the actor's roles, then applies the change with a
    compare-and-swap on (id, phase, version), a timeline event and an audit entry in one transaction.
    Raises NotFound when the actor may not see the case, Conflict (409) when the action is not
    possible in the current phase or the case changed meanwhile, PermissionDenied when the actor may
    see the case but not take this action, ValidationError for missing or bad parameters.
    Sets off: notifications to the citizen and staff after commit.
    """
    roles = _roles(actor, case, system)
    if not roles:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    try:
        act = Action(action)
    except ValueError as exc:
        raise ValidationError(
            _("اقدام «%(action)s» شناخته نیست.") % {"action": action}, code="bad_action"
        ) from exc
    rule = rule_for(case.phase, act)
    if rule is None:
        raise Conflict(
            _("اقدام «%(action)s» در وضعیت «%(phase)s» ممکن نیست.")
            % {"action": act.value, "phase": case.get_phase_display()},
            code="action_not_allowed_in_phase",
        )
    if not rule.roles & roles:
        raise PermissionDenied(_("شما اجازه این اقدام را روی این پرونده ندارید."))
    if case.category_id is None and act not in _UNCLASSIFIED_ACTIONS:
        raise Conflict(_("این پیام هنوز دسته موضوعی ندارد؛ نخست دسته آن را تعیین کنید."), code="unclassified")

    now = timezone.now()
    changes: dict[str, Any] = {"phase": rule.to_phase} if rule.to_phase != KEEP_PHASE else {}
    event: dict[str, Any] = {"kind": rule.event, "is_public": True}
    internal = _clean_note(internal_note, required=False, field_label=_("یادداشت داخلی"))
    notices: list[Any] = []

    if act is Action.ASSIGN:
        if assignee is None:
            raise ValidationError(_("کارشناس را انتخاب کنید."), code="assignee_required")
        assignee_roles = actor_roles_for_case(assignee, case) & {ActorRole.OFFICER, ActorRole.MANAGER}
        if not assignee_roles:
            raise ValidationError(_("این کارشناس عضو واحد مسئول پرونده نیست."), code="bad_assignee")
        changes["assignee_id"] = assignee.pk
        event["is_public"] = False
        event["data"] = {"assignee": assignee.pk}
        note = _clean_note(note, required=False, field_label=_("توضیح"))
    elif act is Action.ACCEPT:
        if case.assignee_id is None and actor is not None:
            changes["assignee_id"] = actor.pk
        note = ""
    elif act in (Action.REFER, Action.RETURN_TO_CENTER):
        if act is Action.REFER:
            if unit is None or not unit.is_active:
                raise ValidationError(_("واحد مقصد ارجاع را انتخاب کنید."), code="unit_required")
            if unit.pk == case.unit_id:
                raise ValidationError(_("پرونده همین حالا در این واحد است."), code="same_unit")
            target_unit = unit
            notices.append(notify.case_referred)
        else:
            target_unit = Unit.objects.get(kind=Unit.Kind.CENTER, parent__isnull=True)
        reason = _clean_note(note or internal, required=True, field_label=_("دلیل ارجاع"))
        changes.update(unit_id=target_unit.pk, assignee_id=None)
        event.update(from_unit=case.unit, to_unit=target_unit, data={"reason": reason})
        # The citizen sees where the case went, not the staff's reasoning.
        note = ""
        internal = reason
    elif act is Action.CLASSIFY:
        if category is None or not category.is_active:
            raise ValidationError(_("دسته موضوعی را انتخاب کنید."), code="category_required")
        if category.pk == case.category_id:
            raise ValidationError(_("پرونده همین حالا در این دسته است."), code="same_category")
        decision = decide_unit(category=category, lat=case.lat, lon=case.lon, channel=case.channel)
        start = case.sla_started_at or case.created_at
        deadline_fields = _deadline_fields(category=category, priority=case.priority, start=start)
        changes.update(category_id=category.pk, **deadline_fields)
        if deadline_fields["respond_by"] > now:
            changes.update(warned_at=None, overdue_at=None)
        moved = decision.unit.pk != case.unit_id
        if moved:
            # The new category belongs elsewhere: it arrives there as a new case.
            changes.update(phase=Case.Phase.REGISTERED, unit_id=decision.unit.pk, assignee_id=None)
            event.update(from_unit=case.unit, to_unit=decision.unit)
        event["data"] = {
            "from_category": case.category.code if case.category is not None else "",
            "to_category": category.code,
            "route": decision.reason if moved else "",
        }
        note = ""
        internal = _clean_note(internal or note, required=False, field_label=_("توضیح"))
    elif act is Action.WITHDRAW:
        # Nothing about why stays on the case: its content is about to be removed by the caller.
        note = _("این پیام از جریان عادی خارج شد و از مسیر دیگری پیگیری می‌شود.")
        internal = ""
        changes.update(closed_at=now, resolution="")
    elif act is Action.REQUEST_INFO:
        note = _clean_note(note, required=True, field_label=_("پرسش از شهروند"))
        changes["sla_paused_at"] = now
        notices.append(notify.info_requested)
    elif act is Action.CITIZEN_REPLY:
        note = _clean_note(note, required=True, field_label=_("پاسخ شهروند"))
        if case.sla_paused_at is not None and case.category is not None:
            for field in ("respond_by", "resolve_by", "warn_at"):
                value = getattr(case, field)
                if value is not None:
                    changes[field] = deadline_after_pause(
                        deadline=value,
                        paused_at=case.sla_paused_at,
                        resumed_at=now,
                        category=case.category,
                        priority=case.priority,
                    )
        changes["sla_paused_at"] = None
    elif act is Action.RESPOND:
        if resolution not in RESPONSE_RESOLUTIONS:
            raise ValidationError(_("نتیجه رسیدگی را انتخاب کنید."), code="resolution_required")
        note = _clean_note(note, required=True, field_label=_("متن پاسخ"))
        changes.update(resolution=resolution, response_text=note, responded_at=now)
        event["data"] = {"resolution": resolution}
        notices.append(notify.case_responded)
    elif act is Action.CLOSE:
        note = _clean_note(note, required=False, field_label=_("توضیح"))
        changes["closed_at"] = now
        notices.append(notify.case_closed)
    elif act is Action.OBJECT:
        deadline = objection_deadline(case)
        if deadline is None or now > deadline:
            raise Conflict(_("مهلت اعتراض به این پاسخ گذشته است."), code="objection_window_closed")
        note = _clean_note(note, required=True, field_label=_("دلیل اعتراض"))
        # Reopening restarts the clock: the unit owes a new answer on the category's terms.
        changes.update(
            resolution="",
            closed_at=None,
            sla_started_at=now,
            **_deadline_fields(category=case.category, priority=case.priority, start=now),
            warned_at=None,
            overdue_at=None,
            sla_paused_at=None,
        )
        changes.update(objected_at=now, objection_count=F("objection_count") + 1)
        event["data"] = {"previous_resolution": case.resolution}
    elif act is Action.REJECT:
        if resolution not in REJECT_RESOLUTIONS:
            raise ValidationError(
                _("دلیل رد را «تکراری» یا «نامعتبر» انتخاب کنید."), code="resolution_required"
            )
        note = _clean_note(note, required=True, field_label=_("توضیح رد"))
        changes.update(resolution=resolution, response_text=note, closed_at=now)
        event["data"] = {"resolution": resolution}
    elif act is Action.MERGE:
        if target is None:
            raise ValidationError(_("پرونده اصلی را برای ادغام مشخص کنید."), code="target_required")
        if target.pk == case.pk:
            raise ValidationError(_("پرونده را نمی‌توان با خودش ادغام کرد."), code="bad_target")
        if target.duplicate_of_id is not None:
            raise ValidationError(_("پرونده مقصد خودش در پرونده دیگری ادغام شده است."), code="bad_target")
        if not system and not actor_roles_for_case(actor, target):
            raise NotFound(_("پرونده مقصد پیدا نشد."))
        note = _clean_note(note, required=False, field_label=_("توضیح"))
        changes.update(
            duplicate_of_id=target.pk,
            resolution=Case.Resolution.DUPLICATE,
            closed_at=now,
            response_text=note
            or _("این پیام با پیام %(code)s یکی است و همراه آن پیگیری می‌شود.")
            % {"code": target.tracking_code},
        )
        event["data"] = {"into": str(target.public_id), "into_tracking_code": target.tracking_code}
        note = changes["response_text"]

    before = _snapshot(case)
    with transaction.atomic():
        changed = compare_and_swap(
            Case,
            pk=case.pk,
            expected={"phase": case.phase, "version": case.version},
            changes={**changes, "version": F("version") + 1, "updated_at": now},
        )
        if not changed:
            raise Conflict(_("پرونده در همین لحظه تغییر کرده است؛ صفحه را تازه کنید و دوباره تلاش کنید."))
        from_phase = case.phase
        case.refresh_from_db()
        is_public = event.pop("is_public")
        CaseEvent.objects.create(
            case=case,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            from_phase=from_phase,
            to_phase=case.phase,
            is_public=is_public,
            public_note=note if is_public else "",
            internal_note=internal if is_public else (internal or note),
            **event,
        )
        for notice in notices:
            notice(case)
        audit_record(
            actor=actor,
            action=f"case.{act.value}",
            object_type="cases.case",
            object_id=str(case.public_id),
            before=before,
            after=_snapshot(case),
        )
    return case


def _cas_update(case: Case, changes: dict[str, Any], now: Any) -> None:
    changed = compare_and_swap(
        Case,
        pk=case.pk,
        expected={"phase": case.phase, "version": case.version},
        changes={**changes, "version": F("version") + 1, "updated_at": now},
    )
    if not changed:
        raise Conflict(_("پرونده در همین لحظه تغییر کرده است؛ صفحه را تازه کنید و دوباره تلاش کنید."))
    case.refresh_from_db()


def case_set_priority(
    *, case: Case, priority: Priority | None, actor: Any = None, reason: str = "", system: bool = False
) -> Case:
    """Raise or lower an open case's priority and move its deadlines to the new priority's terms.

    Staff of the case (or the system, e.g. the urgency detector) only; ``reason`` goes on the
    internal timeline. Raises NotFound / PermissionDenied / Conflict (closed case, concurrent change)
    / ValidationError (same priority). Sets off nothing.
    """
    roles = _roles(actor, case, system)
    if not roles:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    if not roles & {*STAFF_ROLES, ActorRole.SYSTEM}:
        raise PermissionDenied(_("شما اجازه این اقدام را روی این پرونده ندارید."))
    if not case.is_open:
        raise Conflict(_("اولویت پرونده بسته را نمی‌توان تغییر داد."), code="case_closed")
    new_id = priority.pk if priority is not None else None
    if new_id == case.priority_id:
        raise ValidationError(_("پرونده همین حالا این اولویت را دارد."), code="same_priority")
    text = _clean_note(reason, required=False, field_label=_("دلیل"))
    now = timezone.now()
    changes: dict[str, Any] = {"priority_id": new_id}
    if case.category_id is not None and case.sla_paused_at is None:
        start = case.sla_started_at or case.created_at
        fields = _deadline_fields(category=case.category, priority=priority, start=start)
        changes.update(fields)
        if fields["respond_by"] > now:
            changes.update(overdue_at=None)
    before = {**_snapshot(case), "priority": case.priority_id}
    with transaction.atomic():
        _cas_update(case, changes, now)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.PRIORITY_CHANGED,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            internal_note=text,
            data={"from": before["priority"], "to": new_id},
        )
        audit_record(
            actor=actor,
            action="case.priority",
            object_type="cases.case",
            object_id=str(case.public_id),
            before=before,
            after={**_snapshot(case), "priority": case.priority_id},
        )
    return case


def _rials(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("٬", ""))
    except InvalidOperation as exc:
        raise ValidationError(_("«%(field)s» باید عدد باشد.") % {"field": label}, code="bad_amount") from exc
    if amount < 0 or amount != amount.to_integral_value() or amount >= Decimal(10) ** 20:
        raise ValidationError(
            _("«%(field)s» باید عددی درست و نامنفی به ریال باشد.") % {"field": label}, code="bad_amount"
        )
    return amount


def case_set_special(
    *,
    case: Case,
    actor: Any,
    is_special: bool,
    estimated: Any = None,
    realised: Any = None,
    note: str = "",
) -> Case:
    """Flag a case as special (پرونده ویژه) with its financial stakes in rials, or unflag it.

    137-center supervisors only. Raises NotFound / PermissionDenied / Conflict / ValidationError
    (amounts that are not whole non-negative rials). Sets off nothing.
    """
    roles = actor_roles_for_case(actor, case)
    if not roles:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    if ActorRole.SUPERVISOR not in roles:
        raise PermissionDenied(_("فقط ناظران مرکز ۱۳۷ پرونده ویژه تعیین می‌کنند."))
    estimated_value = _rials(estimated, _("ارزش مالی برآوردی"))
    realised_value = _rials(realised, _("ارزش مالی تحقق‌یافته"))
    text = _clean_note(note, required=False, field_label=_("توضیح"))
    now = timezone.now()
    changes = {
        "is_special": bool(is_special),
        "financial_stakes": estimated_value if is_special else None,
        "financial_realised": realised_value if is_special else None,
    }
    before = {
        "is_special": case.is_special,
        "financial_stakes": case.financial_stakes,
        "financial_realised": case.financial_realised,
    }
    with transaction.atomic():
        _cas_update(case, changes, now)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.SPECIAL,
            actor=actor,
            internal_note=text,
            data={key: str(value) if value is not None else None for key, value in changes.items()},
        )
        audit_record(
            actor=actor,
            action="case.special",
            object_type="cases.case",
            object_id=str(case.public_id),
            before=before,
            after=changes,
        )
    return case


def case_add_note(*, case: Case, actor: Any, internal_note: str) -> CaseEvent:
    """An internal note on the timeline (staff only). Raises NotFound / PermissionDenied / ValidationError."""
    roles = actor_roles_for_case(actor, case)
    if not roles:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    if not roles & {ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR, ActorRole.AGENT}:
        raise PermissionDenied(_("یادداشت داخلی فقط برای کارکنان است."))
    text = _clean_note(internal_note, required=True, field_label=_("یادداشت"))
    with transaction.atomic():
        event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, internal_note=text)
        audit_record(
            actor=actor,
            action="case.note",
            object_type="cases.case",
            object_id=str(case.public_id),
            after={"note": event.pk},
        )
    return event


def cases_claim_for_citizen(*, user: Any) -> int:
    """Link the guest cases registered with ``user``'s verified mobile number as contact to ``user``,
    so that they appear among the citizen's own cases. Returns how many were linked.

    Only cases without a citizen and not anonymous; the number's holder already receives every SMS
    about them. Audited (one entry naming the cases). Sets off nothing.
    """
    mobile = getattr(user, "mobile", "") or ""
    if not mobile or getattr(user, "mobile_verified_at", None) is None:
        return 0
    with transaction.atomic():
        ids = list(
            Case.objects.select_for_update()
            .filter(citizen__isnull=True, is_anonymous=False, contact_phone=mobile)
            .values_list("public_id", flat=True)
        )
        if not ids:
            return 0
        linked = Case.objects.filter(public_id__in=ids, citizen__isnull=True).update(citizen=user)
        audit_record(
            actor=user,
            action="case.claim",
            object_type="accounts.user",
            object_id=str(user.pk),
            after={"cases": [str(public_id) for public_id in ids]},
        )
    return linked
