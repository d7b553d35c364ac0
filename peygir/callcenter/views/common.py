"""Gates and helpers shared by the call-center pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

from peygir.catalog.selectors import categories_active
from peygir.org.models import Unit
from peygir.staff.decorators import staff_required, supervisor_required

from ..selectors import can_use_console

View = Callable[..., HttpResponseBase]

__all__ = ["category_choices", "console_required", "place_choices", "supervisor_required"]


def console_required(view: View) -> View:
    """staff_required, and an agent or supervisor membership; anyone else gets 404."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_use_console(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in categories_active()]


def place_choices() -> list[tuple[str, str]]:
    """Districts and their areas with a boundary, as (code, "district — area") for the picker."""
    units = Unit.objects.filter(
        kind__in=[Unit.Kind.DISTRICT, Unit.Kind.AREA], is_active=True, boundary__isnull=False
    ).select_related("parent")
    rows = []
    for unit in units.order_by("path").only("code", "name", "kind", "parent__name", "path"):
        label = (
            unit.name
            if unit.kind == Unit.Kind.DISTRICT
            else f"{unit.parent.name if unit.parent else ''} — {unit.name}"
        )
        rows.append((unit.code, label))
    return rows


def load_call(request: HttpRequest, public_id: Any) -> Any:
    """access_call for a page: 404 outside the user's scope."""
    from peygir.core.errors import NotFound

    from ..selectors import access_call

    try:
        return access_call(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
