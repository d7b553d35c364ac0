"""The daily work of the channel: deadline warnings, retention warnings and erasure.

A closed report expires ``RETENTION_DAYS`` after closure. Its handlers are warned
``RETENTION_WARN_DAYS`` before; on the day it expires its evidence blobs are deleted and its rows
(keys, sealed copies, ciphertext) removed, which destroys every copy of its private key. Only the
channel's audit log keeps that the report existed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .audit import integrity_audit_record
from .models import EvidenceFile, Report
from .selectors import report_deadlines
from .services import _handlers_of, _notify
from .storage import blob_delete


@dataclass(frozen=True)
class DailyResult:
    deadline_warnings: int
    retention_warnings: int
    erased: int


def _warn_days() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("RETENTION_WARN_DAYS", 7))


def report_erase(*, report: Report, actor: Any = None) -> None:
    """Destroy a report: its blobs, then its keys and ciphertext (cascading rows), in one
    transaction with an audit entry. Files are removed after commit so a rollback keeps them."""
    names = list(EvidenceFile.objects.filter(report=report).values_list("blob", flat=True))
    with transaction.atomic():
        integrity_audit_record(actor=actor, action="report.erased", report=report, data={"files": len(names)})
        Report.objects.filter(pk=report.pk).delete()

        def _remove() -> None:
            for name in names:
                blob_delete(name)

        transaction.on_commit(_remove)


def integrity_daily(today: dt.date | None = None) -> DailyResult:
    """Warn about deadlines and coming erasures, and erase expired reports. Idempotent per day."""
    today = today or timezone.localdate()
    deadline_warnings = retention_warnings = erased = 0
    with override("fa"):
        for report in Report.objects.exclude(status=Report.Status.CLOSED).iterator():
            deadlines = report_deadlines(report, today)
            for name, state, due, text in (
                (
                    "ack",
                    deadlines.ack_state,
                    deadlines.ack_due,
                    _("مهلت تأیید دریافت گزارش %(ref)s تا %(due)s است."),
                ),
                (
                    "feedback",
                    deadlines.feedback_state,
                    deadlines.feedback_due,
                    _("مهلت بازخورد به گزارش‌دهنده در گزارش %(ref)s تا %(due)s است."),
                ),
            ):
                if state not in ("near", "late"):
                    continue
                with transaction.atomic():
                    _notify(
                        _handlers_of(report),
                        kind=f"integrity_{name}_due",
                        report=report,
                        subject=_("هشدار مهلت کانال سلامت"),
                        body=text % {"ref": report.reference, "due": due.isoformat()},
                        key=f"{name}:{state}",
                    )
                deadline_warnings += 1
        warn_from = today + dt.timedelta(days=_warn_days())
        for report in Report.objects.filter(
            expires_on__isnull=False,
            expires_on__gt=today,
            expires_on__lte=warn_from,
            retention_warned_on__isnull=True,
        ).iterator():
            with transaction.atomic():
                _notify(
                    _handlers_of(report),
                    kind="integrity_retention",
                    report=report,
                    subject=_("پاک‌شدن گزارش نزدیک است"),
                    body=_("گزارش %(ref)s در %(day)s برای همیشه پاک می‌شود.")
                    % {
                        "ref": report.reference,
                        "day": report.expires_on.isoformat() if report.expires_on else "",
                    },
                    key="retention",
                )
                Report.objects.filter(pk=report.pk).update(retention_warned_on=today)
                integrity_audit_record(actor=None, action="report.retention_warned", report=report)
            retention_warnings += 1
    for report in Report.objects.filter(expires_on__isnull=False, expires_on__lte=today).iterator():
        report_erase(report=report)
        erased += 1
    return DailyResult(deadline_warnings, retention_warnings, erased)
