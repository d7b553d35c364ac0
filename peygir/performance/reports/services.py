"""Writes of reports: generate one file, and the monthly automatic run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peygir.audit.services import audit_record
from peygir.core.errors import ValidationError
from peygir.org.models import Unit

from ..models import Report
from ..periods import Period, current_month
from .data import report_data
from .excel import render_xlsx
from .pdf import render_pdf

RENDERERS = {Report.Format.XLSX: render_xlsx, Report.Format.PDF: render_pdf}


def report_dir() -> Path:
    return Path(getattr(settings, "PEYGIR_PERFORMANCE", {}).get("REPORT_DIR", "var/reports"))


def report_path(report: Report) -> Path:
    """Where the report's file lies (its stored name is relative to the report directory)."""
    return report_dir() / report.file


def report_generate(
    *, unit: Unit, period: Period, fmt: str, actor: Any = None, automatic: bool = False
) -> Report:
    """Write the Excel or PDF report of ``unit`` over ``period`` and record it (a second call
    replaces the file and keeps one row per unit, period and format). Audited.

    Raises ValidationError for an unknown format. Sets off nothing.
    """
    if fmt not in RENDERERS:
        raise ValidationError("unknown report format", code="bad_format")
    content = RENDERERS[Report.Format(fmt)](report_data(unit=unit, period=period))
    name = f"{period.key}/{unit.code}.{fmt}"
    path = report_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)
    with transaction.atomic():
        report, _created = Report.objects.update_or_create(
            unit=unit,
            period=period.key,
            format=fmt,
            defaults={
                "file": name,
                "size": len(content),
                "automatic": automatic,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
                "created_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="performance.report",
            object_type="performance.report",
            object_id=str(report.pk),
            after={"unit": unit.code, "period": period.key, "format": fmt, "size": len(content)},
        )
    return report


def monthly_reports_ensure(*, today: dt.date | None = None) -> list[Report]:
    """Make the reports of the month that just ended (the center and every district, Excel and
    PDF) when they do not exist yet: on the first day of a Jalali month, and on a later day if
    the worker was down then. Idempotent. Returns the reports written now."""
    period = current_month(today).previous()
    units = list(
        Unit.objects.filter(is_active=True, kind__in=[Unit.Kind.CENTER, Unit.Kind.DISTRICT]).order_by("path")
    )
    have = set(Report.objects.filter(period=period.key).values_list("unit_id", "format"))
    made = []
    for unit in units:
        for fmt in (Report.Format.XLSX, Report.Format.PDF):
            if (unit.pk, fmt) not in have:
                made.append(report_generate(unit=unit, period=period, fmt=fmt, automatic=True))
    return made
