"""What handlers and custodians do with a report: status, messages, access, decisions, identity.

Every function takes the acting user and checks their access itself (NotFound outside it), seals
whatever is written to the report and appends to the channel's audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from peygir.core.db import compare_and_swap
from peygir.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from peygir.core.text import normalize_text

from . import crypto
from .audit import integrity_audit_record
from .keys import has_role, keypair_for
from .models import Decision, IdentityRequest, IntegrityRole, KeyPair, Message, Report, ReportAccess
from .selectors import access_report, identity_approved_for, report_private_key
from .services import MAX_TEXT, pack, unpack

S = Report.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.INVESTIGATING, S.REFERRED, S.CLOSED}),
    S.INVESTIGATING: frozenset({S.REFERRED, S.CLOSED}),
    S.REFERRED: frozenset({S.INVESTIGATING, S.CLOSED}),
    S.CLOSED: frozenset(),
}


def retention_days() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("RETENTION_DAYS", 90))


def _checked(user: Any, report: Report) -> Report:
    """Reload ``report`` through the access gate (NotFound for anyone without access)."""
    return access_report(user, report.public_id)


def report_status_set(*, report: Report, handler: Any, status: str, outcome: str = "") -> Report:
    """Move a report to ``status`` (see TRANSITIONS). Acknowledging dates the acknowledgment;
    referring or closing counts as feedback to the reporter; closing needs an ``outcome`` and
    starts the retention period. Raises NotFound without access, Conflict for a move the table does
    not allow or a report changed meanwhile, ValidationError for a missing outcome."""
    report = _checked(handler, report)
    if status not in TRANSITIONS.get(report.status, frozenset()):
        raise Conflict(_("این تغییر وضعیت ممکن نیست."), code="bad_transition")
    today = timezone.localdate()
    changes: dict[str, Any] = {"status": status, "version": report.version + 1}
    if report.acknowledged_on is None:
        changes["acknowledged_on"] = today
    if status in (S.REFERRED, S.CLOSED) and report.feedback_on is None:
        changes["feedback_on"] = today
    if status == S.CLOSED:
        if outcome not in Report.Outcome.values or not outcome:
            raise ValidationError(_("نتیجه بررسی را انتخاب کنید."), code="outcome_required")
        changes.update(
            outcome=outcome, closed_on=today, expires_on=today + dt.timedelta(days=retention_days())
        )
    with transaction.atomic():
        if not compare_and_swap(
            Report,
            pk=report.pk,
            expected={"version": report.version, "status": report.status},
            changes=changes,
        ):
            raise Conflict()
        integrity_audit_record(
            actor=handler,
            action="report.status",
            report=report,
            data={"from": report.status, "to": status, "outcome": changes.get("outcome", "")},
        )
    report.refresh_from_db()
    return report


def handler_message_post(*, report: Report, handler: Any, text: str, is_feedback: bool = False) -> Message:
    """A handler writes to the reporter; ``is_feedback`` marks it as the feedback on actions taken
    (the 3-month deadline). Raises NotFound without access, ValidationError for an empty text,
    Conflict on a closed report."""
    report = _checked(handler, report)
    if report.status == S.CLOSED:
        raise Conflict(_("این گزارش بسته شده است."))
    body = normalize_text(text)[:MAX_TEXT]
    if not body:
        raise ValidationError(_("متن پیام را بنویسید."), code="text_required")
    today = timezone.localdate()
    with transaction.atomic():
        message = Message.objects.create(
            report=report,
            author=Message.Author.HANDLER,
            handler=handler,
            box=crypto.seal(bytes(report.public_key), pack({"text": body})),
            is_feedback=is_feedback,
            created_on=today,
        )
        changes: dict[str, Any] = {"updated_on": today}
        if is_feedback and report.feedback_on is None:
            changes["feedback_on"] = today
        Report.objects.filter(pk=report.pk).update(**changes)
        integrity_audit_record(
            actor=handler, action="message.handler", report=report, data={"feedback": is_feedback}
        )
    return message


def access_grant(*, report: Report, handler: Any, handler_key: PrivateKey, target: Any) -> ReportAccess:
    """Give ``target`` (an active handler with keys) access: the report's private key, opened with
    ``handler``'s key, is sealed again to ``target``'s public key. Raises NotFound without access,
    ValidationError when the target is no handler or has no keys, Conflict when they have access."""
    report = _checked(handler, report)
    if target is None or not has_role(target, IntegrityRole.Role.HANDLER):
        raise ValidationError(_("این کاربر رسیدگی‌کننده کانال سلامت نیست."), code="not_handler")
    target_keys: KeyPair | None = keypair_for(target)
    if target_keys is None:
        raise ValidationError(_("این رسیدگی‌کننده هنوز کلید نساخته است."), code="no_keys")
    report_key = report_private_key(report, handler, handler_key)
    try:
        with transaction.atomic():
            access = ReportAccess.objects.create(
                report=report,
                user=target,
                sealed_key=crypto.seal(bytes(target_keys.public_key), bytes(report_key)),
                granted_on=timezone.localdate(),
            )
            integrity_audit_record(
                actor=handler, action="access.grant", report=report, data={"to": target.pk}
            )
    except IntegrityError:
        raise Conflict(_("این رسیدگی‌کننده پیش‌تر دسترسی دارد.")) from None
    return access


def decision_record(*, report: Report, handler: Any, kind: str, authority: str, text: str) -> Decision:
    """Record a decision (sealed to the report). A referral names the competent authority and moves
    the report to ``referred`` when the table allows it. Raises NotFound without access,
    ValidationError for a missing kind, text or (for referrals) authority."""
    report = _checked(handler, report)
    body = normalize_text(text)[:MAX_TEXT]
    authority = normalize_text(authority)[:300]
    if kind not in Decision.Kind.values:
        raise ValidationError(_("نوع تصمیم را انتخاب کنید."), code="kind_required")
    if not body:
        raise ValidationError(_("متن تصمیم را بنویسید."), code="text_required")
    if kind == Decision.Kind.REFERRAL and not authority:
        raise ValidationError(_("مرجع صالح را بنویسید."), code="authority_required")
    with transaction.atomic():
        decision = Decision.objects.create(
            report=report,
            kind=kind,
            handler=handler,
            box=crypto.seal(bytes(report.public_key), pack({"authority": authority, "text": body})),
            created_on=timezone.localdate(),
        )
        integrity_audit_record(actor=handler, action="decision.record", report=report, data={"kind": kind})
        if kind == Decision.Kind.REFERRAL and S.REFERRED in TRANSITIONS[report.status]:
            report_status_set(report=report, handler=handler, status=S.REFERRED)
    return decision


# --- Identity ------------------------------------------------------------------------------------


def _custodian_keys() -> list[KeyPair]:
    user_ids = IntegrityRole.objects.filter(
        role=IntegrityRole.Role.CUSTODIAN, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(KeyPair.objects.filter(user_id__in=list(user_ids)).order_by("user_id"))


def identity_request(*, report: Report, handler: Any, reason: str) -> IdentityRequest:
    """Ask to see the reporter's identity, with a reason sealed to the report and to every
    custodian with keys. Raises NotFound without access, Conflict when the reporter gave no
    identity or a request is pending or approved already, ValidationError without a reason."""
    report = _checked(handler, report)
    if not report.has_identity:
        raise Conflict(_("گزارش‌دهنده هویتی نداده است."), code="no_identity")
    reason = normalize_text(reason)[:2000]
    if not reason:
        raise ValidationError(_("دلیل درخواست را بنویسید."), code="reason_required")
    if IdentityRequest.objects.filter(
        report=report,
        requester=handler,
        status__in=[IdentityRequest.Status.PENDING, IdentityRequest.Status.APPROVED],
    ).exists():
        raise Conflict(_("درخواست شما پیش‌تر ثبت شده است."), code="already_requested")
    sealed = pack({"reason": reason})
    try:
        with transaction.atomic():
            request = IdentityRequest.objects.create(
                report=report,
                requester=handler,
                reason_box=crypto.seal(bytes(report.public_key), sealed),
                custodian_boxes={
                    str(keys.user_id): crypto.b64(crypto.seal(bytes(keys.public_key), sealed))
                    for keys in _custodian_keys()
                    if keys.user_id != handler.pk
                },
                requested_on=timezone.localdate(),
            )
            integrity_audit_record(
                actor=handler,
                action="identity.request",
                report=report,
                data={"request": str(request.public_id)},
            )
    except IntegrityError:
        raise Conflict(_("درخواست شما پیش‌تر ثبت شده است."), code="already_requested") from None
    return request


def identity_request_reason(
    request: IdentityRequest, custodian: Any, custodian_key: PrivateKey | None
) -> str | None:
    """The reason as the custodian may read it (None without their sealed copy or an unlocked key)."""
    sealed = request.custodian_boxes.get(str(custodian.pk))
    if not sealed or custodian_key is None:
        return None
    try:
        return str(unpack(crypto.unseal(custodian_key, crypto.unb64(sealed)))["reason"])
    except crypto.DecryptionFailed:
        return None


def identity_decide(*, request: IdentityRequest, custodian: Any, approve: bool) -> IdentityRequest:
    """A custodian approves or denies a pending request. Raises NotFound for anyone who is not an
    active custodian, PermissionDenied for the requester deciding their own request, Conflict when
    it was decided already."""
    if not has_role(custodian, IntegrityRole.Role.CUSTODIAN):
        raise NotFound(_("درخواستی با این شناسه پیدا نشد."))
    if request.requester_id == custodian.pk:
        raise PermissionDenied(_("درخواست خود را نمی‌توانید تأیید کنید."))
    status = IdentityRequest.Status.APPROVED if approve else IdentityRequest.Status.DENIED
    with transaction.atomic():
        if not compare_and_swap(
            IdentityRequest,
            pk=request.pk,
            expected={"status": IdentityRequest.Status.PENDING},
            changes={"status": status, "custodian_id": custodian.pk, "decided_on": timezone.localdate()},
        ):
            raise Conflict(_("این درخواست پیش‌تر بررسی شده است."))
        integrity_audit_record(
            actor=custodian,
            action=f"identity.{status}",
            report=request.report,
            data={"request": str(request.public_id), "requester": request.requester_id},
        )
    request.refresh_from_db()
    return request


def identity_reveal(*, report: Report, handler: Any, report_key: PrivateKey) -> dict[str, str]:
    """The reporter's identity for a handler whose request a custodian approved; every reveal is
    logged. Raises NotFound without access, PermissionDenied without an approved request."""
    report = _checked(handler, report)
    if not identity_approved_for(report, handler):
        raise PermissionDenied(_("دیدن هویت گزارش‌دهنده تأیید امین را لازم دارد."))
    identity = getattr(report, "identity", None)
    if identity is None:
        raise NotFound(_("گزارش‌دهنده هویتی نداده است."))
    with transaction.atomic():
        integrity_audit_record(actor=handler, action="identity.viewed", report=report)
    return dict(unpack(crypto.unseal(report_key, bytes(identity.box))))


def report_key_for_handler(report: Report, handler: Any, handler_key: PrivateKey | None) -> PrivateKey:
    """The report's private key for a handler with an unlocked key. Raises PermissionDenied while
    the handler's key is locked."""
    if handler_key is None:
        raise PermissionDenied(_("نخست کلید خود را باز کنید."), code="locked")
    try:
        return report_private_key(report, handler, handler_key)
    except crypto.DecryptionFailed:
        raise PermissionDenied(_("کلید شما این گزارش را باز نمی‌کند."), code="locked") from None
