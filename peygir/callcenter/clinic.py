"""The consultation clinic's writes and reads: publish slots, book, remind, cancel, record outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.audit.services import audit_record
from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.core.errors import Conflict, NotFound, ValidationError
from peygir.core.jalali import format_datetime
from peygir.core.text import normalize_mobile, normalize_text
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue

from .models import Booking, ClinicSlot, Expert

MAX_SLOTS_PER_PUBLISH = 40


def _audit(actor: Any, action: str, booking: Booking, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=f"callcenter.{action}",
        object_type="callcenter.booking",
        object_id=str(booking.public_id),
        after={"status": booking.status, **after},
    )


def clinic_slots_publish(
    *, expert: Expert, actor: Any, first: dt.datetime, count: int, minutes: int, gap_minutes: int = 0
) -> list[ClinicSlot]:
    """Publish ``count`` consecutive slots of ``minutes`` from ``first`` (a start already taken is
    skipped). Raises ValidationError for a time in the past or odd numbers."""
    if first <= timezone.now():
        raise ValidationError(_("زمان نوبت باید در آینده باشد."), code="past")
    if not 1 <= count <= MAX_SLOTS_PER_PUBLISH or not 5 <= minutes <= 120 or not 0 <= gap_minutes <= 120:
        raise ValidationError(_("تعداد یا مدت نوبت‌ها نامعتبر است."), code="bad_slots")
    created = []
    with transaction.atomic():
        for index in range(count):
            starts = first + dt.timedelta(minutes=index * (minutes + gap_minutes))
            slot, made = ClinicSlot.objects.get_or_create(
                expert=expert, starts_at=starts, defaults={"minutes": minutes}
            )
            if made:
                created.append(slot)
        audit_record(
            actor=actor,
            action="callcenter.clinic_publish",
            object_type="callcenter.expert",
            object_id=str(expert.pk),
            after={"slots": len(created), "first": first},
        )
    return created


def clinic_slots_open(*, topic: str = "", now: dt.datetime | None = None) -> QuerySet[ClinicSlot]:
    """Future slots of active experts that nobody holds, soonest first."""
    now = now or timezone.now()
    held = Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING)
    qs = ClinicSlot.objects.filter(starts_at__gt=now, is_withdrawn=False, expert__is_active=True).exclude(
        Exists(held)
    )
    if topic:
        qs = qs.filter(expert__topic=topic)
    return qs.select_related("expert", "expert__user").order_by("starts_at", "id")


def _reminder_text(booking: Booking) -> str:
    return _("یادآوری: مشاوره تلفنی شما با %(expert)s در %(when)s است. کارشناس با شما تماس می‌گیرد.") % {
        "expert": booking.slot.expert.title,
        "when": format_datetime(booking.slot.starts_at),
    }


def clinic_book(
    *,
    slot: ClinicSlot,
    actor: Any,
    subject: str,
    phone: str = "",
    name: str = "",
    citizen: Any = None,
    channel: str = Booking.Channel.PORTAL,
) -> Booking:
    """Book ``slot`` for a citizen (from the portal, or by an agent on the phone).

    Raises ValidationError for a bad phone or subject, Conflict when the slot is taken, past or
    withdrawn (the database constraint decides a race between two bookings). Sets off: a
    confirmation SMS.
    """
    if citizen is not None:
        phone = citizen.mobile or phone
        name = name or citizen.display_name
    mobile = normalize_mobile(phone)
    if mobile is None:
        raise ValidationError(_("شماره تلفن همراه نامعتبر است؛ مانند ۰۹۱۲۱۲۳۴۵۶۷."), code="bad_phone")
    subject = normalize_text(subject)
    if len(subject) < 5 or len(subject) > 1000:
        raise ValidationError(_("موضوع مشاوره را در ۵ تا ۱۰۰۰ نویسه بنویسید."), code="bad_subject")
    if slot.is_withdrawn or slot.starts_at <= timezone.now():
        raise Conflict(_("این نوبت دیگر در دسترس نیست."), code="slot_unavailable")
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot,
                citizen=citizen,
                phone=mobile,
                name=normalize_text(name)[:150],
                subject=subject,
                channel=channel,
                booked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            with override(settings.LANGUAGE_CODE):
                notification_enqueue(
                    channel=Notification.Channel.SMS,
                    to_phone=mobile,
                    kind="clinic_booked",
                    body=_("نوبت مشاوره تلفنی شما با %(expert)s برای %(when)s ثبت شد.")
                    % {"expert": slot.expert.title, "when": format_datetime(slot.starts_at)},
                    dedupe_key=f"clinic_booked:{booking.public_id}:sms:{mobile}",
                    fresh_event=True,
                )
            _audit(actor, "clinic_book", booking, slot=str(slot.public_id))
    except IntegrityError as exc:
        raise Conflict(_("این نوبت هم‌اکنون رزرو شد؛ نوبت دیگری انتخاب کنید."), code="slot_taken") from exc
    return booking


def clinic_cancel(*, booking: Booking, actor: Any) -> Booking:
    """Cancel a booking (the citizen, an agent or the expert); the slot is free again.

    Raises Conflict when the booking is no longer open.
    """
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, finished_at=timezone.now()
        ):
            raise Conflict(_("این رزرو دیگر قابل لغو نیست."), code="not_open")
        booking.refresh_from_db()
        _audit(actor, "clinic_cancel", booking)
    return booking


def clinic_record_outcome(
    *,
    booking: Booking,
    actor: Any,
    outcome: str = "",
    no_show: bool = False,
    case_category: str = "",
    case_description: str = "",
) -> Booking:
    """The expert records how the consultation went (or that the citizen did not answer), and may
    open a case from it. Raises Conflict for a booking not open or not yet due, ValidationError for
    a missing outcome (or from case_submit)."""
    if booking.status != Booking.Status.BOOKED:
        raise Conflict(_("نتیجه این رزرو پیش‌تر ثبت شده است."), code="not_open")
    if booking.slot.starts_at > timezone.now():
        raise Conflict(_("زمان این مشاوره هنوز نرسیده است."), code="not_due")
    outcome = normalize_text(outcome)
    if not no_show and len(outcome) < 5:
        raise ValidationError(_("نتیجه مشاوره را بنویسید."), code="outcome_required")
    with transaction.atomic():
        case: Case | None = None
        if case_category and not no_show:
            case = case_submit(
                channel=Case.Channel.PHONE,
                message_type="request",
                category=case_category,
                description=case_description or outcome,
                citizen=booking.citizen,
                contact_name=booking.name,
                contact_phone=booking.phone,
                external_id=f"clinic:{booking.public_id}",
                actor=actor,
            ).case
        status = Booking.Status.NO_SHOW if no_show else Booking.Status.DONE
        if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=status, outcome=outcome, case=case, finished_at=timezone.now()
        ):
            raise Conflict(_("نتیجه این رزرو پیش‌تر ثبت شده است."), code="not_open")
        booking.refresh_from_db()
        _audit(actor, "clinic_outcome", booking, case=str(case.public_id) if case else None)
    return booking


def clinic_reminders_send(*, now: dt.datetime | None = None) -> int:
    """A reminder SMS for each booking starting within ``CLINIC_REMINDER_HOURS``; once per booking."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=int(settings.PEYGIR["CLINIC_REMINDER_HOURS"]))
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=horizon,
    ).select_related("slot", "slot__expert")
    sent = 0
    for booking in due:
        with transaction.atomic(), override(settings.LANGUAGE_CODE):
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            notification_enqueue(
                channel=Notification.Channel.SMS,
                to_phone=booking.phone,
                kind="clinic_reminder",
                body=_reminder_text(booking),
                dedupe_key=f"clinic_reminder:{booking.public_id}:sms:{booking.phone}",
            )
        sent += 1
    return sent


def access_booking(*, user: Any, public_id: Any, supervisor: bool = False) -> Booking:
    """A booking its citizen, its expert or (``supervisor``) a supervisor may act on; else NotFound."""
    booking = (
        Booking.objects.select_related("slot", "slot__expert", "slot__expert__user", "case")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None or not (
        supervisor
        or (booking.citizen_id is not None and booking.citizen_id == getattr(user, "pk", None))
        or booking.slot.expert.user_id == getattr(user, "pk", None)
    ):
        raise NotFound(_("رزروی با این شناسه پیدا نشد."))
    return booking


def clinic_stats(*, start: dt.datetime, end: dt.datetime) -> dict[str, list[dict[str, Any]]]:
    """Bookings by status, and cases opened, per expert and per topic, for slots in [start, end)."""
    qs = Booking.objects.filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
    measures = {
        "booked": Count("id", filter=Q(status=Booking.Status.BOOKED)),
        "done": Count("id", filter=Q(status=Booking.Status.DONE)),
        "no_show": Count("id", filter=Q(status=Booking.Status.NO_SHOW)),
        "cancelled": Count("id", filter=Q(status=Booking.Status.CANCELLED)),
        "cases": Count("case", distinct=True),
    }
    by_expert: list[dict[str, Any]] = [
        dict(row)
        for row in qs.values("slot__expert_id", "slot__expert__title")
        .annotate(**measures)
        .order_by("slot__expert__title")
    ]
    by_topic: list[dict[str, Any]] = [
        dict(row)
        for row in qs.values("slot__expert__topic").annotate(**measures).order_by("slot__expert__topic")
    ]
    labels = dict(Expert.Topic.choices)
    for row in by_topic:
        row["label"] = labels.get(row["slot__expert__topic"], row["slot__expert__topic"])
    return {"experts": by_expert, "topics": by_topic}
