"""The handlers' and custodians' pages at /staff/integrity/.

Only people with an integrity role get in (404 for everyone else, signed in or not after the
sign-in redirect); a report opens only for a handler with access to it and an unlocked key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peygir.core.errors import ApplicationError, NotFound, PermissionDenied
from peygir.staff.decorators import second_factor_redirect
from peygir.staff.selectors import otp_verified
from peygir.staff.views.common import safe_next, staff_render

from .. import crypto
from ..audit import integrity_audit_record
from ..forms import (
    DecisionForm,
    GrantForm,
    HandlerMessageForm,
    IdentityRequestForm,
    PasswordForm,
    RecoverForm,
    StatusForm,
)
from ..handling import (
    access_grant,
    decision_record,
    handler_message_post,
    identity_decide,
    identity_request,
    identity_request_reason,
    identity_reveal,
    report_key_for_handler,
    report_status_set,
)
from ..keys import (
    has_role,
    keypair_for,
    keypair_recover,
    keypair_setup,
    keypair_unlock,
    session_lock,
    session_private_key,
    session_unlock,
)
from ..models import IdentityRequest, IntegrityAuditEntry, IntegrityRole, Report
from ..selectors import (
    access_report,
    custodian_requests,
    evidence_get,
    identity_approved_for,
    report_deadlines,
    report_read,
    reports_for_handler,
)
from ..storage import blob_read

View = Callable[..., HttpResponseBase]


def integrity_required(role: str | None = None) -> Callable[[View], View]:
    """Signed in (else the staff sign-in page) with an active integrity role (``role`` or any), else 404."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise Http404
            if not otp_verified(request.user):
                return second_factor_redirect(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return staff_render(
        request, f"integrity/staff/{template}", {"nav_section": "integrity", **context}, status=status
    )


def _to_keys(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('integrity:keys')}?next={request.get_full_path()}")


@integrity_required()
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    reports = list(reports_for_handler(user)[:500])
    rows = [(report, report_deadlines(report)) for report in reports]
    context = {
        "rows": rows,
        "has_keys": keypair_for(user) is not None,
        "unlocked": session_private_key(request) is not None,
        "is_handler": has_role(user, IntegrityRole.Role.HANDLER),
        "is_custodian": has_role(user, IntegrityRole.Role.CUSTODIAN),
        "pending": custodian_requests(user).filter(status=IdentityRequest.Status.PENDING).count(),
    }
    return _render(request, "dashboard.html", context)


# --- Keys ----------------------------------------------------------------------------------------


def _keys_page(
    request: HttpRequest, *, error: str = "", status: int = 200, recovery: str = ""
) -> HttpResponse:
    context = {
        "has_keys": keypair_for(request.user) is not None,
        "unlocked": session_private_key(request) is not None,
        "setup_form": PasswordForm(),
        "unlock_form": PasswordForm(),
        "recover_form": RecoverForm(),
        "next": safe_next(
            request, request.GET.get("next") or request.POST.get("next"), reverse("integrity:dashboard")
        ),
        "error": error,
        "recovery_groups": crypto.recovery_key_groups(recovery) if recovery else [],
    }
    return _render(request, "keys.html", context, status=status)


@integrity_required()
def keys(request: HttpRequest) -> HttpResponse:
    return _keys_page(request)


@integrity_required()
@require_POST
def keys_setup(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, error=_("گذرواژه را بنویسید."), status=422)
    try:
        recovery = keypair_setup(user=request.user, password=form.cleaned_data["password"])
        private_key = keypair_unlock(user=request.user, password=form.cleaned_data["password"])
    except ApplicationError as exc:
        return _keys_page(request, error=str(exc.detail), status=exc.status)
    response = _keys_page(request, recovery=recovery, status=201)
    session_unlock(request, response, private_key)
    return response


@integrity_required()
@require_POST
def keys_unlock(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, error=_("گذرواژه را بنویسید."), status=422)
    try:
        private_key = keypair_unlock(user=request.user, password=form.cleaned_data["password"])
    except ApplicationError as exc:
        return _keys_page(request, error=str(exc.detail), status=exc.status)
    response = HttpResponseRedirect(
        safe_next(request, request.POST.get("next"), reverse("integrity:dashboard"))
    )
    session_unlock(request, response, private_key)
    return response


@integrity_required()
@require_POST
def keys_recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, error=_("گذرواژه و کلید بازیابی را بنویسید."), status=422)
    try:
        private_key = keypair_recover(
            user=request.user,
            recovery_key=form.cleaned_data["recovery_key"],
            password=form.cleaned_data["password"],
        )
    except ApplicationError as exc:
        return _keys_page(request, error=str(exc.detail), status=exc.status)
    response = HttpResponseRedirect(reverse("integrity:dashboard"))
    session_unlock(request, response, private_key)
    return response


@integrity_required()
@require_POST
def keys_lock(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(reverse("integrity:dashboard"))
    session_lock(request, response)
    return response


# --- A report ------------------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, public_id: Any) -> Report:
    try:
        return access_report(request.user, public_id)
    except NotFound as exc:
        raise Http404 from exc


def _report_page(
    request: HttpRequest, report: Report, *, error: str = "", status: int = 200, **forms: Any
) -> HttpResponse:
    handler_key = session_private_key(request)
    if handler_key is None:
        return _to_keys(request)
    try:
        report_key = report_key_for_handler(report, request.user, handler_key)
    except PermissionDenied:
        return _to_keys(request)
    view = report_read(report, report_key, for_handler=True)
    identity = None
    approved = identity_approved_for(report, request.user)
    if approved and report.has_identity:
        identity = identity_reveal(report=report, handler=request.user, report_key=report_key)
    requests = IdentityRequest.objects.filter(report=report).select_related("requester", "custodian")
    context = {
        "report": report,
        "view": view,
        "deadlines": report_deadlines(report),
        "identity": identity,
        "identity_requests": requests,
        "error": error,
        "message_form": forms.get("message_form") or HandlerMessageForm(),
        "status_form": forms.get("status_form") or StatusForm(),
        "grant_form": forms.get("grant_form") or GrantForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "identity_form": forms.get("identity_form") or IdentityRequestForm(),
        "handlers": [access.user for access in report.accesses.select_related("user")],
    }
    return _render(request, "report.html", context, status=status)


@integrity_required(IntegrityRole.Role.HANDLER)
@require_GET
def report_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _report_page(request, _report_or_404(request, public_id))


def _act(
    request: HttpRequest,
    public_id: Any,
    form_class: type,
    form_name: str,
    action: Callable[[Report, Any], Any],
) -> HttpResponse:
    report = _report_or_404(request, public_id)
    if session_private_key(request) is None:
        return _to_keys(request)
    form = form_class(request.POST)
    if not form.is_valid():
        return _report_page(request, report, error=_("فرم را کامل کنید."), status=422, **{form_name: form})
    try:
        action(report, form.cleaned_data)
    except ApplicationError as exc:
        return _report_page(request, report, error=str(exc.detail), status=exc.status, **{form_name: form})
    return HttpResponseRedirect(reverse("integrity:report", args=[report.public_id]))


@integrity_required(IntegrityRole.Role.HANDLER)
@require_POST
def report_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _act(
        request,
        public_id,
        StatusForm,
        "status_form",
        lambda report, data: report_status_set(
            report=report, handler=request.user, status=data["status"], outcome=data.get("outcome", "")
        ),
    )


@integrity_required(IntegrityRole.Role.HANDLER)
@require_POST
def report_message(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _act(
        request,
        public_id,
        HandlerMessageForm,
        "message_form",
        lambda report, data: handler_message_post(
            report=report, handler=request.user, text=data["text"], is_feedback=data.get("is_feedback", False)
        ),
    )


@integrity_required(IntegrityRole.Role.HANDLER)
@require_POST
def report_grant(request: HttpRequest, public_id: Any) -> HttpResponse:
    def grant(report: Report, data: dict[str, Any]) -> None:
        target = get_user_model().objects.filter(username=data["username"]).first()
        handler_key = session_private_key(request)
        if handler_key is None:
            raise PermissionDenied(_("نخست کلید خود را باز کنید."))
        access_grant(report=report, handler=request.user, handler_key=handler_key, target=target)

    return _act(request, public_id, GrantForm, "grant_form", grant)


@integrity_required(IntegrityRole.Role.HANDLER)
@require_POST
def report_decision(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _act(
        request,
        public_id,
        DecisionForm,
        "decision_form",
        lambda report, data: decision_record(
            report=report,
            handler=request.user,
            kind=data["kind"],
            authority=data.get("authority", ""),
            text=data["text"],
        ),
    )


@integrity_required(IntegrityRole.Role.HANDLER)
@require_POST
def report_identity(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _act(
        request,
        public_id,
        IdentityRequestForm,
        "identity_form",
        lambda report, data: identity_request(report=report, handler=request.user, reason=data["reason"]),
    )


@integrity_required(IntegrityRole.Role.HANDLER)
@require_GET
def report_file(request: HttpRequest, public_id: Any, file_id: Any) -> HttpResponseBase:
    """An evidence file, decrypted while it streams out (always as a download, never rendered)."""
    report = _report_or_404(request, public_id)
    handler_key = session_private_key(request)
    if handler_key is None:
        return _to_keys(request)
    try:
        evidence = evidence_get(report, file_id)
    except NotFound as exc:
        raise Http404 from exc
    report_key = report_key_for_handler(report, request.user, handler_key)
    from ..services import unpack

    meta = unpack(crypto.unseal(report_key, bytes(evidence.meta_box)))
    file_key = crypto.unseal(report_key, bytes(evidence.key_box))
    from django.db import transaction

    with transaction.atomic():
        integrity_audit_record(actor=request.user, action="evidence.download", report=report)
    response = StreamingHttpResponse(
        blob_read(str(evidence.blob.name), file_key), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(True, meta.get("name") or "evidence")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Custodians ----------------------------------------------------------------------------------


@integrity_required(IntegrityRole.Role.CUSTODIAN)
@require_GET
def custody(request: HttpRequest) -> HttpResponse:
    key = session_private_key(request)
    rows = [
        (item, identity_request_reason(item, request.user, key))
        for item in custodian_requests(request.user)[:200]
    ]
    return _render(
        request,
        "custody.html",
        {"rows": rows, "unlocked": key is not None, "has_keys": keypair_for(request.user) is not None},
    )


@integrity_required(IntegrityRole.Role.CUSTODIAN)
@require_POST
def custody_decide(request: HttpRequest, request_id: Any) -> HttpResponse:
    item = IdentityRequest.objects.filter(public_id=request_id).select_related("report").first()
    if item is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "deny"):
        return HttpResponseRedirect(reverse("integrity:custody"))
    try:
        identity_decide(request=item, custodian=request.user, approve=decision == "approve")
    except ApplicationError as exc:
        rows = [
            (row, identity_request_reason(row, request.user, session_private_key(request)))
            for row in custodian_requests(request.user)[:200]
        ]
        return _render(
            request,
            "custody.html",
            {"rows": rows, "error": str(exc.detail), "unlocked": True, "has_keys": True},
            status=exc.status,
        )
    return HttpResponseRedirect(reverse("integrity:custody"))


@integrity_required(IntegrityRole.Role.CUSTODIAN)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    from ..audit import integrity_audit_verify

    entries = IntegrityAuditEntry.objects.order_by("-id")[:300]
    return _render(request, "audit.html", {"entries": entries, "broken": integrity_audit_verify()})
