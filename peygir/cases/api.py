"""Case endpoints: citizens register, track and follow their cases; staff work their kartable."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from peygir.accounts.auth import API_AUTH, optional_user
from peygir.catalog.models import Category
from peygir.catalog.selectors import category_active_find
from peygir.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from peygir.core.jalali import JalaliParseError, format_datetime, parse_date
from peygir.org.models import Unit

from . import selectors, services
from .models import Case
from .schemas import (
    ActionIn,
    CaseCreatedOut,
    CaseDetailOut,
    CaseSubmitIn,
    CaseSummaryOut,
    NoteIn,
    TrackOut,
    detail_out,
    phase_label,
    summary_fields,
    track_out,
)
from .workflow import Action

router = Router()

CITIZEN_CHANNELS = {Case.Channel.WEB, Case.Channel.APP}
STAFF_CHANNELS = {Case.Channel.PHONE, Case.Channel.STAFF}


@router.post("/cases", response={201: CaseCreatedOut, 200: CaseCreatedOut}, summary="ثبت پیام شهروندی")
def submit_case(request: HttpRequest, payload: CaseSubmitIn) -> Status:
    """Register a case, anonymously or signed in. Send an ``Idempotency-Key`` header to make retries
    safe: the same key returns the first case (200) instead of registering another (201)."""
    user = optional_user(request)
    channel = payload.channel
    on_behalf = False
    if channel in STAFF_CHANNELS:
        if user is None or not selectors.staff_scope(user).is_staff:
            raise PermissionDenied(_("ثبت از کانال تلفن یا کارکنان فقط برای کارکنان است."))
        on_behalf = True
    elif channel not in CITIZEN_CHANNELS:
        raise ValidationError(_("کانال ثبت نامعتبر است."), code="bad_channel")
    result = services.case_submit(
        channel=channel,
        message_type=payload.type,
        category=payload.category,
        description=payload.description,
        lat=payload.lat,
        lon=payload.lon,
        address=payload.address,
        service_code=payload.service_code,
        attributes=payload.attributes,
        priority=payload.priority,
        # Staff registering for a caller record the caller's contact, not their own account.
        citizen=None if on_behalf else user,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        anonymous=payload.anonymous,
        external_id=request.headers.get("Idempotency-Key", ""),
        actor=user,
    )
    case = result.case
    out = CaseCreatedOut(
        tracking_code=case.tracking_code,
        public_id=case.public_id,
        phase=case.phase,
        phase_label=phase_label(case.phase),
        unit=case.unit.name,
        respond_by=case.respond_by,
        respond_by_jalali=format_datetime(case.respond_by) if case.respond_by else "",
        created=result.created,
    )
    return Status(201 if result.created else 200, out)


@router.get("/track/{tracking_code}", response=TrackOut, summary="پیگیری با کد رهگیری")
def track(request: HttpRequest, tracking_code: str) -> TrackOut:
    """Public: the status and public timeline of a case; never names, phones or internal notes."""
    return track_out(
        selectors.case_track_public(code=tracking_code, client=request.META.get("REMOTE_ADDR") or "-")
    )


@router.get("/me/cases", response=list[CaseSummaryOut], auth=API_AUTH, summary="پیام‌های من")
@paginate(LimitOffsetPagination)
def my_cases(request: HttpRequest) -> Any:
    return [
        CaseSummaryOut(**summary_fields(case))
        for case in _with_units(selectors.cases_of_citizen(request.auth))  # type: ignore[attr-defined]
    ]


def _with_units(qs: Any) -> Any:
    return qs.select_related("unit", "district", "message_type", "category")


class KartableFilters(Schema):
    tab: str | None = Field(
        None, description="new, in_progress, awaiting_citizen, overdue, returned, responded, closed, open"
    )
    category: str | None = None
    type: str | None = None
    channel: str | None = None
    priority: str | None = None
    unit: str | None = Field(None, description="کد واحد، منطقه یا ناحیه")
    special: bool | None = None
    created_from: str | None = Field(None, description="تاریخ شمسی، مانند ۱۴۰۵/۰۱/۰۱")
    created_to: str | None = None
    q: str | None = Field(None, max_length=200)
    order: str = "deadline"


def _jalali_filter(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except JalaliParseError as exc:
        raise ValidationError(
            _("تاریخ «%(label)s» نامعتبر است؛ مانند ۱۴۰۵/۰۱/۳۱.") % {"label": label}
        ) from exc


@router.get("/kartable", response=list[CaseSummaryOut], auth=API_AUTH, summary="کارتابل")
@paginate(LimitOffsetPagination)
def kartable(request: HttpRequest, filters: Query[KartableFilters]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.staff_scope(user).is_staff:
        raise PermissionDenied(_("کارتابل فقط برای کارکنان است."))
    qs = selectors.case_list_for_unit(
        user=user,
        tab=filters.tab,
        category=filters.category,
        message_type=filters.type,
        channel=filters.channel,
        priority=filters.priority,
        unit=filters.unit,
        special=filters.special,
        created_from=_jalali_filter(filters.created_from, _("از تاریخ")),
        created_to=_jalali_filter(filters.created_to, _("تا تاریخ")),
        query=filters.q,
        order=filters.order,
    )
    return _SummaryPage(qs)


class _SummaryPage:
    """Lazily turns the sliced page of a queryset into summaries (the paginator slices first)."""

    def __init__(self, qs: Any):
        self.qs = qs

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[CaseSummaryOut]:
        return [CaseSummaryOut(**summary_fields(case)) for case in self.qs[item]]


def _detail(request: HttpRequest, case: Case) -> CaseDetailOut:
    user = request.auth  # type: ignore[attr-defined]
    events = list(selectors.case_timeline(case))
    if not selectors.staff_scope(user).is_staff:
        events = [event for event in events if event.is_public]
    detail = detail_out(case, events, selectors.case_actions_for(user, case))
    if not selectors.staff_scope(user).is_staff:
        # A citizen reading their own case sees no internal notes and no staff names.
        for event in detail.timeline:
            event.actor = ""
            event.internal_note = ""
        detail.assignee = ""
    return detail


@router.get("/cases/{public_id}", response=CaseDetailOut, auth=API_AUTH, summary="جزئیات پرونده")
def case_detail(request: HttpRequest, public_id: str) -> CaseDetailOut:
    case = selectors.access_case(user=request.auth, public_id=public_id)  # type: ignore[attr-defined]
    return _detail(request, case)


def _staff_user(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(_("کارشناس «%(name)s» پیدا نشد.") % {"name": username}, code="bad_assignee")
    return user


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationError(_("واحد «%(code)s» پیدا نشد.") % {"code": code}, code="bad_unit")
    return unit


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    category = category_active_find(code.strip())
    if category is None:
        raise ValidationError(_("دسته موضوعی «%(code)s» شناخته نیست.") % {"code": code}, code="bad_category")
    return category


@router.post(
    "/cases/{public_id}/actions/{action}", response=CaseDetailOut, auth=API_AUTH, summary="اقدام روی پرونده"
)
def case_action(request: HttpRequest, public_id: str, action: str, payload: ActionIn) -> CaseDetailOut:
    """Take a workflow action (assign, accept, refer, return_to_center, request_info, citizen_reply,
    respond, close, object, reject, merge, classify). 404 outside your scope, 409 when the phase does not allow
    it or the case changed since ``version``, 403 when your role may not, 422 for bad input."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.access_case(user=user, public_id=public_id)
    if action not in {a.value for a in Action} or action == Action.WITHDRAW:
        # Withdrawal happens only together with the move into the integrity channel (its own pages).
        raise NotFound(_("اقدام «%(action)s» وجود ندارد.") % {"action": action})
    if payload.version is not None and payload.version != case.version:
        raise Conflict(_("پرونده پس از آخرین بار که آن را دیدید تغییر کرده است؛ دوباره بارگذاری کنید."))
    target = None
    if payload.target:
        try:
            target = selectors.case_get_by_tracking_code(payload.target)
        except NotFound as exc:
            raise ValidationError(_("پرونده اصلی با این کد رهگیری پیدا نشد."), code="bad_target") from exc
    case = services.case_transition(
        case=case,
        action=action,
        actor=user,
        note=payload.note,
        internal_note=payload.internal_note,
        unit=_unit(payload.unit),
        assignee=_staff_user(payload.assignee),
        resolution=payload.resolution,
        target=target,
        category=_category(payload.category) if action == Action.CLASSIFY else None,
    )
    return _detail(request, selectors.access_case(user=user, public_id=case.public_id))


@router.post(
    "/cases/{public_id}/notes", response={201: CaseDetailOut}, auth=API_AUTH, summary="یادداشت داخلی"
)
def add_note(request: HttpRequest, public_id: str, payload: NoteIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.access_case(user=user, public_id=public_id)
    services.case_add_note(case=case, actor=user, internal_note=payload.internal_note)
    return Status(201, _detail(request, case))
