"""Reads that carry rules: who may see a case, what a kartable holds, what a citizen may see."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peygir.core.errors import NotFound, ValidationError
from peygir.core.text import normalize_for_search
from peygir.org.models import Membership, Unit

from .models import Case, CaseEvent
from .tracking import clean_tracking_code
from .workflow import ActorRole, actions_available

_ROLE_MAP = {
    Membership.Role.OFFICER: ActorRole.OFFICER,
    Membership.Role.MANAGER: ActorRole.MANAGER,
    Membership.Role.SUPERVISOR: ActorRole.SUPERVISOR,
}


@dataclass(frozen=True)
class StaffScope:
    """A staff member's active memberships as (role, unit path) pairs, loaded once per request."""

    memberships: tuple[tuple[str, str], ...]

    @property
    def is_staff(self) -> bool:
        return bool(self.memberships)

    def paths(self, roles: set[str] | None = None) -> list[str]:
        return [path for role, path in self.memberships if roles is None or role in roles]

    def roles_for_unit_path(self, unit_path: str) -> set[ActorRole]:
        roles: set[ActorRole] = set()
        for role, path in self.memberships:
            if role == Membership.Role.AGENT:
                roles.add(ActorRole.AGENT)  # agents answer the phone for the whole city
            elif role in _ROLE_MAP and unit_path.startswith(path):
                roles.add(_ROLE_MAP[Membership.Role(role)])
        return roles


def staff_scope(user: Any) -> StaffScope:
    """The user's memberships, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return StaffScope(())
    cached = getattr(user, "_peygir_scope", None)
    if cached is None:
        rows = Membership.objects.filter(user=user, is_active=True, unit__is_active=True).values_list(
            "role", "unit__path"
        )
        cached = StaffScope(tuple(sorted(rows)))
        user._peygir_scope = cached
    return cached


def actor_roles_for_case(user: Any, case: Case) -> set[ActorRole]:
    """How ``user`` stands towards ``case``: citizen owner, and/or staff roles reaching its unit."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = staff_scope(user).roles_for_unit_path(case.unit.path)
    if case.citizen_id is not None and case.citizen_id == user.pk:
        roles.add(ActorRole.CITIZEN)
    return roles


def access_case(*, user: Any, public_id: Any) -> Case:
    """The case, if ``user`` may see it; otherwise NotFound (never reveal that it exists)."""
    not_found = NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise not_found from exc
    try:
        case = Case.objects.select_related("unit", "category", "message_type", "district", "area").get(
            public_id=key
        )
    except Case.DoesNotExist as exc:
        raise not_found from exc
    if not actor_roles_for_case(user, case):
        raise not_found
    return case


def case_actions_for(user: Any, case: Case) -> list[str]:
    return [str(action) for action in actions_available(case.phase, actor_roles_for_case(user, case))]


def case_get_by_tracking_code(code: str) -> Case:
    """The case with this tracking code, for public tracking. A mistyped code is a ValidationError."""
    cleaned = clean_tracking_code(code)
    if cleaned is None:
        raise ValidationError(
            _("کد رهگیری نادرست است؛ لطفاً آن را دوباره بررسی کنید."), code="bad_tracking_code"
        )
    try:
        return Case.objects.select_related("category", "message_type", "unit").get(tracking_code=cleaned)
    except Case.DoesNotExist as exc:
        raise NotFound(_("پرونده‌ای با این کد رهگیری پیدا نشد.")) from exc


def case_public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """Only what the citizen may read: public events, no actors, no internal notes."""
    return case.events.filter(is_public=True).order_by("created_at", "id")


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "from_unit", "to_unit").order_by("created_at", "id")


def cases_of_citizen(user: Any) -> QuerySet[Case]:
    return (
        Case.objects.filter(citizen=user).select_related("category", "message_type").order_by("-created_at")
    )


def units_in_scope(user: Any) -> QuerySet[Unit]:
    """Units whose cases the staff member works: the subtree of each officer/manager/supervisor membership."""
    paths = staff_scope(user).paths(set(_ROLE_MAP))
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


KARTABLE_TABS = {
    "new": Q(phase__in=[Case.Phase.REGISTERED, Case.Phase.ASSIGNED]),
    "in_progress": Q(phase=Case.Phase.IN_PROGRESS),
    "awaiting_citizen": Q(phase=Case.Phase.AWAITING_CITIZEN),
    "overdue": Q(overdue_at__isnull=False, phase__in=Case.OPEN_PHASES),
    "returned": Q(phase=Case.Phase.RETURNED),
    "responded": Q(phase=Case.Phase.RESPONDED),
    "closed": Q(phase=Case.Phase.CLOSED),
    "open": Q(phase__in=Case.OPEN_PHASES),
}


def case_list_for_unit(
    *,
    user: Any,
    tab: str | None = None,
    category: str | None = None,
    message_type: str | None = None,
    channel: str | None = None,
    priority: str | None = None,
    unit: str | None = None,
    special: bool | None = None,
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
    query: str | None = None,
    order: str = "deadline",
) -> QuerySet[Case]:
    """The kartable: cases owned by the user's units (and their subtrees), filtered and sorted.

    Raises ValidationError for an unknown tab or sort order.
    """
    qs = Case.objects.filter(unit_id__in=units_in_scope(user).values("id"))
    if tab:
        if tab not in KARTABLE_TABS:
            raise ValidationError(_("زبانه کارتابل نامعتبر است."), code="bad_tab")
        qs = qs.filter(KARTABLE_TABS[tab])
    if category:
        qs = qs.filter(category__code=category)
    if message_type:
        qs = qs.filter(message_type__code=message_type)
    if channel:
        qs = qs.filter(channel=channel)
    if priority:
        qs = qs.filter(priority__code=priority)
    if unit:
        qs = qs.filter(Q(unit__code=unit) | Q(district__code=unit) | Q(area__code=unit))
    if special is not None:
        qs = qs.filter(is_special=special)
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    if query:
        folded = normalize_for_search(query)
        if folded.isdigit():
            qs = qs.filter(Q(tracking_code=folded) | Q(search_text__contains=folded))
        else:
            for word in folded.split()[:8]:
                qs = qs.filter(search_text__contains=word)
    orders = {
        "deadline": ("respond_by", "id"),
        "-created": ("-created_at", "-id"),
        "created": ("created_at", "id"),
    }
    if order not in orders:
        raise ValidationError(_("ترتیب مرتب‌سازی نامعتبر است."), code="bad_order")
    return qs.select_related("category", "message_type", "unit", "district", "priority").order_by(
        *orders[order]
    )
