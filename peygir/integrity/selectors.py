"""Reads of the integrity channel that carry rules: who may open which report, what it says once
decrypted, which deadlines are near."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from peygir.core.errors import NotFound

from . import crypto
from .keys import has_role
from .models import Decision, EvidenceFile, IdentityRequest, IntegrityRole, Message, Report, ReportAccess
from .services import unpack

ACK_DAYS = 7
FEEDBACK_MONTHS = 3
ACK_WARN_DAYS = 2
FEEDBACK_WARN_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadlines:
    """The Directive's two deadlines for one report, and whether each is near or missed."""

    ack_due: dt.date
    feedback_due: dt.date
    ack_state: str  # "", "done", "near", "late"
    feedback_state: str


def report_deadlines(report: Report, today: dt.date | None = None) -> Deadlines:
    today = today or timezone.localdate()
    ack_due = report.created_on + dt.timedelta(days=ACK_DAYS)
    feedback_due = add_months(report.created_on, FEEDBACK_MONTHS)

    def state(done: bool, due: dt.date, warn: int) -> str:
        if done:
            return "done"
        if today > due:
            return "late"
        if (due - today).days <= warn:
            return "near"
        return ""

    closed = report.status == Report.Status.CLOSED
    return Deadlines(
        ack_due=ack_due,
        feedback_due=feedback_due,
        ack_state=state(report.acknowledged_on is not None or closed, ack_due, ACK_WARN_DAYS),
        feedback_state=state(report.feedback_on is not None or closed, feedback_due, FEEDBACK_WARN_DAYS),
    )


def reports_for_handler(user: Any) -> QuerySet[Report]:
    """The reports ``user`` was given access to (none without an active handler role)."""
    if not has_role(user, IntegrityRole.Role.HANDLER):
        return Report.objects.none()
    return Report.objects.filter(accesses__user=user).order_by("-created_on", "-id")


def access_report(user: Any, public_id: Any) -> Report:
    """The report with this id if ``user`` is an active handler with access to it; NotFound
    otherwise, whether it exists or not."""
    report = reports_for_handler(user).filter(public_id=public_id).first()
    if report is None:
        raise NotFound(_("گزارشی با این شناسه پیدا نشد."))
    return report


def report_private_key(report: Report, user: Any, handler_key: PrivateKey) -> PrivateKey:
    """Open the report's private key from the copy sealed to ``user``. Raises NotFound without access."""
    access = ReportAccess.objects.filter(report=report, user=user).first()
    if access is None:
        raise NotFound(_("گزارشی با این شناسه پیدا نشد."))
    return crypto.open_private_key(handler_key, bytes(access.sealed_key))


@dataclass
class ReportView:
    """A report as its reader sees it, decrypted."""

    report: Report
    answers: dict[str, str]
    messages: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)


def report_read(report: Report, report_key: PrivateKey, *, for_handler: bool) -> ReportView:
    """Decrypt answers, conversation, file names and (for handlers) decision records."""
    view = ReportView(report=report, answers=unpack(crypto.unseal(report_key, bytes(report.answers))))
    for message in Message.objects.filter(report=report).select_related("handler"):
        view.messages.append(
            {
                "author": message.author,
                "handler": str(message.handler) if for_handler and message.handler else "",
                "text": unpack(crypto.unseal(report_key, bytes(message.box)))["text"],
                "on": message.created_on,
                "is_feedback": message.is_feedback,
            }
        )
    for evidence in EvidenceFile.objects.filter(report=report):
        meta = unpack(crypto.unseal(report_key, bytes(evidence.meta_box)))
        view.files.append(
            {"id": evidence.public_id, "author": evidence.author, "on": evidence.created_on, **meta}
        )
    if for_handler:
        for decision in Decision.objects.filter(report=report).select_related("handler"):
            view.decisions.append(
                {
                    "kind": decision.get_kind_display(),
                    "handler": str(decision.handler),
                    "on": decision.created_on,
                    **unpack(crypto.unseal(report_key, bytes(decision.box))),
                }
            )
    return view


def evidence_get(report: Report, file_id: Any) -> EvidenceFile:
    evidence = EvidenceFile.objects.filter(report=report, public_id=file_id).first()
    if evidence is None:
        raise NotFound(_("پرونده پیدا نشد."))
    return evidence


def identity_approved_for(report: Report, user: Any) -> bool:
    """True when a custodian approved ``user``'s request to see this report's reporter identity."""
    return IdentityRequest.objects.filter(
        report=report, requester=user, status=IdentityRequest.Status.APPROVED
    ).exists()


def custodian_requests(user: Any) -> QuerySet[IdentityRequest]:
    """Identity requests a custodian decides (none for anyone else)."""
    if not has_role(user, IntegrityRole.Role.CUSTODIAN):
        return IdentityRequest.objects.none()
    return IdentityRequest.objects.select_related("report", "requester", "custodian").order_by("-id")
