"""Writes of the performance app that people make: the composite score's weights.

(The rollups, spike alerts and reports have their own modules: ``rollups``, ``spikes``, ``reports``.)
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.core.errors import PermissionDenied, ValidationError

from .kpis import COMPONENTS, kpi_weights
from .models import KpiWeights
from .selectors import is_center_supervisor


def kpi_weights_update(*, actor: Any, weights: dict[str, int]) -> KpiWeights:
    """Save the composite score's weights (each 0–100, not all zero). 137-center supervisors only.

    Raises PermissionDenied for anyone else and ValidationError (Persian) for bad values; then
    nothing changes. Audited. Sets off nothing.
    """
    if not is_center_supervisor(actor):
        raise PermissionDenied(_("فقط ناظران مرکز ۱۳۷ وزن‌ها را تعیین می‌کنند."))
    clean: dict[str, int] = {}
    for name in COMPONENTS:
        value = weights.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValidationError(_("هر وزن باید عددی از ۰ تا ۱۰۰ باشد."), code="bad_weight")
        clean[name] = value
    if not any(clean.values()):
        raise ValidationError(_("دست‌کم یکی از وزن‌ها باید بیشتر از صفر باشد."), code="all_zero")
    before = kpi_weights()
    with transaction.atomic():
        row, _created = KpiWeights.objects.update_or_create(pk=1, defaults={**clean, "updated_by": actor})
        audit_record(
            actor=actor,
            action="performance.weights",
            object_type="performance.kpiweights",
            object_id="1",
            before=before,
            after=clean,
        )
    return row
