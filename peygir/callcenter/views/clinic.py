"""The consultation clinic's pages: supervisors run it, experts record outcomes, agents and citizens book."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peygir.audit.services import audit_record
from peygir.core.errors import ApplicationError, NotFound
from peygir.staff.decorators import staff_required, supervisor_required
from peygir.staff.selectors import is_staff_member, is_supervisor
from peygir.staff.views.common import staff_render

from ..clinic import (
    access_booking,
    clinic_book,
    clinic_cancel,
    clinic_record_outcome,
    clinic_slots_open,
    clinic_slots_publish,
    clinic_stats,
)
from ..forms import AgentBookingForm, BookingForm, ExpertForm, OutcomeForm, PeriodForm, SlotPublishForm
from ..models import Booking, ClinicSlot, Expert
from .common import category_choices, console_required


def _slot(public_id: Any) -> ClinicSlot:
    slot = ClinicSlot.objects.select_related("expert").filter(public_id=public_id).first()
    if slot is None:
        raise Http404
    return slot


def _booking(request: HttpRequest, public_id: Any) -> Booking:
    try:
        return access_booking(user=request.user, public_id=public_id, supervisor=is_supervisor(request.user))
    except NotFound as exc:
        raise Http404 from exc


# --- supervisors ---------------------------------------------------------------------------------


def _admin_page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    period = PeriodForm(request.GET or {})
    period.is_valid()
    today = timezone.localdate()
    start = period.cleaned_data.get("start") or today - dt.timedelta(days=30)
    end = period.cleaned_data.get("end") or today + dt.timedelta(days=30)
    aware = timezone.make_aware
    stats = clinic_stats(
        start=aware(dt.datetime.combine(start, dt.time.min)), end=aware(dt.datetime.combine(end, dt.time.max))
    )
    upcoming = (
        Booking.objects.filter(status=Booking.Status.BOOKED)
        .select_related("slot", "slot__expert")
        .order_by("slot__starts_at")[:50]
    )
    context = {
        "nav_section": "clinic",
        "experts": Expert.objects.select_related("user"),
        "expert_form": forms.get("expert_form") or ExpertForm(),
        "publish_form": forms.get("publish_form") or SlotPublishForm(),
        "stats": stats,
        "upcoming": upcoming,
        "period": period,
        "error": forms.get("error", ""),
    }
    return staff_render(request, "callcenter/clinic_admin.html", context, status=status)


@supervisor_required
@require_GET
def clinic_admin(request: HttpRequest) -> HttpResponse:
    return _admin_page(request)


@supervisor_required
@require_POST
def clinic_expert_add(request: HttpRequest) -> HttpResponse:
    form = ExpertForm(request.POST)
    if not form.is_valid():
        return _admin_page(request, status=422, expert_form=form)
    user = get_user_model().objects.filter(username=form.cleaned_data["username"], is_active=True).first()
    if user is None or not is_staff_member(user):
        form.add_error("username", _("کارمندی با این نام کاربری پیدا نشد."))
        return _admin_page(request, status=422, expert_form=form)
    from django.db import transaction

    with transaction.atomic():
        expert, _created = Expert.objects.update_or_create(
            user=user,
            defaults={
                "topic": form.cleaned_data["topic"],
                "title": form.cleaned_data["title"],
                "is_active": True,
            },
        )
        audit_record(
            actor=request.user,
            action="callcenter.expert_save",
            object_type="callcenter.expert",
            object_id=str(expert.pk),
            after={"user": user.pk, "topic": expert.topic},
        )
    messages.success(request, _("کارشناس مشاوره ثبت شد."))
    return redirect("callcenter:clinic_admin")


@supervisor_required
@require_POST
def clinic_publish(request: HttpRequest) -> HttpResponse:
    form = SlotPublishForm(request.POST)
    if not form.is_valid():
        return _admin_page(request, status=422, publish_form=form)
    data = form.cleaned_data
    try:
        created = clinic_slots_publish(
            expert=data["expert"],
            actor=request.user,
            first=data["first"],
            count=data["count"],
            minutes=data["minutes"],
        )
    except ApplicationError as exc:
        return _admin_page(request, status=422, publish_form=form, error=str(exc.detail))
    messages.success(request, _("%(n)s نوبت منتشر شد.") % {"n": len(created)})
    return redirect("callcenter:clinic_admin")


# --- experts -------------------------------------------------------------------------------------


@staff_required
@require_GET
def clinic_mine(request: HttpRequest) -> HttpResponse:
    expert = Expert.objects.filter(user_id=request.user.pk or 0, is_active=True).first()
    if expert is None:
        raise Http404
    bookings = (
        Booking.objects.filter(slot__expert=expert)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot", "case")
        .order_by("-slot__starts_at")[:100]
    )
    return staff_render(
        request,
        "callcenter/clinic_mine.html",
        {"nav_section": "clinic", "expert": expert, "bookings": bookings},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def clinic_booking(request: HttpRequest, public_id: str) -> HttpResponse:
    booking = _booking(request, public_id)
    form = OutcomeForm(request.POST or None, categories=category_choices())
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clinic_record_outcome(
                booking=booking,
                actor=request.user,
                outcome=data["outcome"],
                no_show=data["no_show"],
                case_category=data["case_category"],
                case_description=data["case_description"],
            )
        except ApplicationError as exc:
            error = str(exc.detail)
        else:
            messages.success(request, _("نتیجه مشاوره ثبت شد."))
            return redirect("callcenter:clinic_booking", public_id=booking.public_id)
    status = 422 if request.method == "POST" else 200
    return staff_render(
        request,
        "callcenter/clinic_booking.html",
        {"nav_section": "clinic", "booking": booking, "form": form, "error": error},
        status=status,
    )


@staff_required
@require_POST
def clinic_booking_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    booking = _booking(request, public_id)
    try:
        clinic_cancel(booking=booking, actor=request.user)
        messages.success(request, _("رزرو لغو شد."))
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    return redirect("callcenter:clinic_booking", public_id=booking.public_id)


# --- agents book on the phone ---------------------------------------------------------------------


@console_required
@require_http_methods(["GET", "POST"])
def clinic_agent_book(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")[:20]
    form = AgentBookingForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST":
        slot = _slot(request.POST.get("slot", "") or "00000000-0000-0000-0000-000000000000")
        if form.is_valid():
            try:
                booking = clinic_book(
                    slot=slot,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    phone=form.cleaned_data["phone"],
                    name=form.cleaned_data["name"],
                    channel=Booking.Channel.AGENT,
                )
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                messages.success(request, _("نوبت مشاوره برای شهروند رزرو شد."))
                return redirect(f"{reverse('callcenter:clinic_agent_book')}?booked={booking.public_id}")
        else:
            status = 422
    return staff_render(
        request,
        "callcenter/clinic_agent_book.html",
        {
            "nav_section": "console",
            "slots": clinic_slots_open(topic=topic)[:60],
            "topics": Expert.Topic.choices,
            "topic": topic,
            "form": form,
            "error": error,
        },
        status=status,
    )


# --- citizens (portal) ---------------------------------------------------------------------------


@require_GET
def portal_clinic(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")[:20]
    return render(
        request,
        "callcenter/portal_clinic.html",
        {
            "nav": "clinic",
            "slots": clinic_slots_open(topic=topic)[:60],
            "topics": Expert.Topic.choices,
            "topic": topic,
        },
    )


def _citizen_or_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated or not getattr(request.user, "mobile", None):
        return redirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")
    return None


@require_http_methods(["GET", "POST"])
def portal_book(request: HttpRequest, public_id: str) -> HttpResponse:
    gate = _citizen_or_login(request)
    if gate is not None:
        return gate
    slot = _slot(public_id)
    form = BookingForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                clinic_book(
                    slot=slot, actor=request.user, subject=form.cleaned_data["subject"], citizen=request.user
                )
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                messages.success(request, _("نوبت مشاوره شما ثبت شد؛ پیامک یادآوری هم خواهد آمد."))
                return redirect("callcenter:portal_clinic_mine")
        else:
            status = 422
    return render(
        request,
        "callcenter/portal_book.html",
        {"nav": "clinic", "slot": slot, "form": form, "error": error},
        status=status,
    )


@require_GET
def portal_clinic_mine(request: HttpRequest) -> HttpResponse:
    gate = _citizen_or_login(request)
    if gate is not None:
        return gate
    bookings = (
        Booking.objects.filter(citizen_id=request.user.pk or 0)
        .select_related("slot", "slot__expert")
        .order_by("-slot__starts_at")
    )
    return render(request, "callcenter/portal_clinic_mine.html", {"nav": "clinic", "bookings": bookings})


@require_POST
def portal_booking_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    gate = _citizen_or_login(request)
    if gate is not None:
        return gate
    try:
        booking = access_booking(user=request.user, public_id=public_id)
        if booking.citizen_id != request.user.pk:
            raise NotFound(_("رزروی با این شناسه پیدا نشد."))
    except NotFound as exc:
        raise Http404 from exc
    try:
        clinic_cancel(booking=booking, actor=request.user)
        messages.success(request, _("رزرو لغو شد."))
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    return redirect("callcenter:portal_clinic_mine")
