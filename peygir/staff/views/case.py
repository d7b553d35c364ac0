"""The staff case page: every fact, the map, photos, the full timeline and the actions allowed now."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from peygir.cases.models import Case
from peygir.cases.selectors import (
    access_case,
    actor_roles_for_case,
    case_actions_for,
    case_get_by_tracking_code,
    case_timeline,
    officers_for_case,
    response_template_context,
)
from peygir.cases.services import case_add_note, case_transition
from peygir.cases.workflow import REJECT_RESOLUTIONS, RESPONSE_RESOLUTIONS, Action, ActorRole
from peygir.catalog.models import Category, ResponseTemplate
from peygir.catalog.services import response_template_render
from peygir.core.errors import ApplicationError, Conflict, NotFound, ValidationError
from peygir.core.text import to_persian_digits
from peygir.org.models import Unit

from ..decorators import staff_required
from .common import safe_next, staff_render

ACTION_LABELS = {
    Action.ASSIGN: _("سپردن به کارشناس"),
    Action.ACCEPT: _("پذیرش"),
    Action.REFER: _("ارجاع به واحد دیگر"),
    Action.RETURN_TO_CENTER: _("بازگشت به مرکز ۱۳۷"),
    Action.REQUEST_INFO: _("درخواست اطلاعات از شهروند"),
    Action.CITIZEN_REPLY: _("ثبت پاسخ شهروند"),
    Action.RESPOND: _("پاسخ به شهروند"),
    Action.CLOSE: _("بستن پرونده"),
    Action.OBJECT: _("ثبت اعتراض شهروند"),
    Action.REJECT: _("رد پیام"),
    Action.MERGE: _("ادغام با پرونده دیگر"),
    Action.CLASSIFY: _("تعیین یا اصلاح دسته"),
}
SUCCESS = {
    Action.ASSIGN: _("پرونده به کارشناس سپرده شد."),
    Action.ACCEPT: _("پرونده را پذیرفتید."),
    Action.REFER: _("پرونده ارجاع شد."),
    Action.RETURN_TO_CENTER: _("پرونده به مرکز ۱۳۷ بازگشت."),
    Action.REQUEST_INFO: _("پرسش برای شهروند فرستاده شد."),
    Action.CITIZEN_REPLY: _("پاسخ شهروند ثبت شد."),
    Action.RESPOND: _("پاسخ ثبت و برای شهروند فرستاده شد."),
    Action.CLOSE: _("پرونده بسته شد."),
    Action.OBJECT: _("اعتراض ثبت شد و پرونده دوباره باز شد."),
    Action.REJECT: _("پیام رد شد."),
    Action.MERGE: _("پرونده ادغام شد."),
    Action.CLASSIFY: _("دسته پرونده ثبت شد."),
}
# Withdrawal is never a plain button: it happens only with the move into the integrity channel.
HIDDEN_ACTIONS = {Action.WITHDRAW}
NOTE = "note"
STAFF_ROLES = {ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR, ActorRole.AGENT}


def _load(request: HttpRequest, public_id: Any) -> Case:
    try:
        return access_case(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc


def _response_templates(case: Case) -> list[dict[str, str]]:
    """Active response templates for the case's category (or any category), filled in for this case."""
    templates = ResponseTemplate.objects.filter(
        Q(category__isnull=True) | Q(category_id=case.category_id), is_active=True
    ).order_by("title")
    variables = response_template_context(case)
    return [
        {
            "code": template.code,
            "title": template.title,
            "resolution": template.resolution,
            "body": response_template_render(template=template, context=variables),
        }
        for template in templates
    ]


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    actions = [code for code in case_actions_for(user, case) if code not in HIDDEN_ACTIONS]
    resolutions = dict(Case.Resolution.choices)
    context: dict[str, Any] = {
        "case": case,
        "now": timezone.now(),
        "actions": [{"code": code, "label": ACTION_LABELS[Action(code)]} for code in actions],
        "action_codes": set(actions),
        "can_note": bool(actor_roles_for_case(user, case) & STAFF_ROLES),
        "timeline": case_timeline(case),
        "photos": list(case.attachments.all()),
        "failed": failed,
        "error": error,
        "posted": request.POST if failed else {},
        "response_resolutions": [
            (code, resolutions[code]) for code in Case.Resolution.values if code in RESPONSE_RESOLUTIONS
        ],
        "reject_resolutions": [
            (code, resolutions[code]) for code in Case.Resolution.values if code in REJECT_RESOLUTIONS
        ],
    }
    if Action.ASSIGN in actions:
        context["officers"] = list(officers_for_case(case))
    if Action.REFER in actions:
        context["refer_units"] = list(
            Unit.objects.filter(is_active=True)
            .exclude(pk=case.unit_id)
            .order_by("path")
            .only("code", "name", "kind")
        )
    if Action.RESPOND in actions:
        context["templates"] = _response_templates(case)
    if Action.CLASSIFY in actions:
        context["categories"] = list(
            Category.objects.filter(is_active=True)
            .exclude(pk__in=[case.category_id] if case.category_id else [])
            .order_by("order", "code")
        )
    return staff_render(request, "staff/case.html", context, status=status)


@staff_required
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everything about one case in the person's scope (404 outside it)."""
    return _render_case(request, _load(request, public_id))


def _unit(code: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationError(_("واحد مقصد پیدا نشد؛ آن را از فهرست انتخاب کنید."), code="bad_unit")
    return unit


def _assignee(case: Case, value: str) -> Any:
    if not value.isdigit():
        return None
    officer = officers_for_case(case).filter(pk=value).first()
    if officer is None:
        raise ValidationError(_("این کارشناس عضو واحد مسئول پرونده نیست."), code="bad_assignee")
    return officer


def _target(code: str) -> Case | None:
    if not code.strip():
        return None
    try:
        return case_get_by_tracking_code(code)
    except NotFound as exc:
        raise ValidationError(_("پرونده اصلی با این کد رهگیری پیدا نشد."), code="bad_target") from exc


def _category(code: str) -> Category | None:
    if not code:
        return None
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise ValidationError(_("دسته را از فهرست انتخاب کنید."), code="bad_category")
    return category


def _take_action(request: HttpRequest, case: Case, action: str) -> None:
    data = request.POST
    if action == NOTE:
        case_add_note(case=case, actor=request.user, internal_note=data.get("internal_note", ""))
        return
    version = data.get("version", "")
    if not version.isdigit() or int(version) != case.version:
        raise Conflict(
            _("پرونده پس از آخرین بار که آن را دیدید تغییر کرده است؛ صفحه را تازه کنید و دوباره تلاش کنید."),
            code="stale_version",
        )
    case_transition(
        case=case,
        action=action,
        actor=request.user,
        note=data.get("note", ""),
        internal_note=data.get("internal_note", ""),
        unit=_unit(data.get("unit", "")),
        assignee=_assignee(case, data.get("assignee", "")),
        resolution=data.get("resolution", ""),
        target=_target(data.get("target", "")) if action == Action.MERGE else None,
        category=_category(data.get("category", "")) if action == Action.CLASSIFY else None,
    )


@staff_required
@require_POST
def case_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """Take one workflow action (or add an internal note); an error changes nothing and is shown."""
    case = _load(request, public_id)
    if action != NOTE and (action not in {item.value for item in Action} or action in HIDDEN_ACTIONS):
        raise Http404
    next_url = request.POST.get("next")
    try:
        _take_action(request, case, action)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except ApplicationError as exc:
        if next_url:
            messages.error(request, str(exc.detail))
            return HttpResponseRedirect(safe_next(request, next_url))
        return _render_case(request, case, failed=action, error=str(exc.detail), status=exc.status)
    done = _("یادداشت داخلی ثبت شد.") if action == NOTE else SUCCESS[Action(action)]
    messages.success(request, f"{done} ({to_persian_digits(case.tracking_code)})")
    if next_url:
        return HttpResponseRedirect(safe_next(request, next_url))
    try:
        access_case(user=request.user, public_id=case.public_id)
    except NotFound:
        # Referred or returned out of this person's scope: the kartable is where they work next.
        return HttpResponseRedirect(reverse("staff:kartable"))
    return HttpResponseRedirect(reverse("staff:case", args=[case.public_id]))


@staff_required
def case_photo(request: HttpRequest, public_id: str, photo_id: str) -> FileResponse:
    """One photo of a case in the person's scope, served from storage (404 outside scope)."""
    case = _load(request, public_id)
    photo = case.attachments.filter(public_id=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
