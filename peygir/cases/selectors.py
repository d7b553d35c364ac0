"""Reads that carry rules: who may see a case, what a kartable holds, what a citizen may see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.core.errors import NotFound, ValidationError
from peygir.core.jalali import format_date
from peygir.core.ratelimit import attempt_record, check_not_exceeded
from peygir.core.text import normalize_for_search, to_persian_digits
from peygir.org.models import Membership, Unit

from .models import Case, CaseEvent
from .tracking import clean_tracking_code
from .workflow import Action, ActorRole, actions_available

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


def objection_deadline(case: Case) -> dt.datetime | None:
    """The last moment the citizen may object to the current response, or None when there is none.

    The rule ``case_transition(action="object")`` enforces: the response time plus
    ``PEYGIR["OBJECTION_WINDOW_DAYS"]``, for a case that is responded or closed.
    """
    if case.phase not in (Case.Phase.RESPONDED, Case.Phase.CLOSED) or case.responded_at is None:
        return None
    return case.responded_at + dt.timedelta(days=settings.PEYGIR["OBJECTION_WINDOW_DAYS"])


def case_actions_for(user: Any, case: Case) -> list[str]:
    """The actions ``user`` may take on ``case`` now from a page or the API (withdrawal is taken only
    together with the move into the integrity channel, never on its own)."""
    return [
        str(action)
        for action in actions_available(case.phase, actor_roles_for_case(user, case))
        if action is not Action.WITHDRAW
    ]


def case_get_by_tracking_code(code: str) -> Case:
    """The case with this tracking code (staff look-ups, the portal). A mistyped code is a
    ValidationError; an unknown one NotFound."""
    cleaned = _cleaned_tracking_code(code)
    try:
        return Case.objects.select_related("category", "message_type", "unit").get(tracking_code=cleaned)
    except Case.DoesNotExist as exc:
        raise NotFound(_("پرونده‌ای با این کد رهگیری پیدا نشد.")) from exc


def _cleaned_tracking_code(code: str) -> str:
    cleaned = clean_tracking_code(code)
    if cleaned is None:
        raise ValidationError(
            _("کد رهگیری نادرست است؛ لطفاً آن را دوباره بررسی کنید."), code="bad_tracking_code"
        )
    return cleaned


@dataclass(frozen=True, slots=True)
class PublicEvent:
    """One public timeline entry as public tracking shows it: no actor, no internal note."""

    kind: str
    created_at: dt.datetime
    public_note: str
    to_unit_name: str  # the unit the step sent the case to ("" for none); shown only where it applies


@dataclass(frozen=True, slots=True)
class PublicCase:
    """What public tracking may show of a case (``schemas.track_out``), and nothing more."""

    tracking_code: str
    phase: str
    created_at: dt.datetime
    respond_by: dt.datetime | None
    resolution: str
    response_text: str
    type_name: str
    category_name: str
    timeline: tuple[PublicEvent, ...]

    @property
    def is_open(self) -> bool:
        return self.phase in Case.OPEN_PHASES


_PUBLIC_SQL: dict[str, str] = {}


def _public_case_sql(connection: Any) -> str:
    """The case, its type and category names and its public events in one statement, built once
    per database vendor from the models' own tables and columns."""
    sql = _PUBLIC_SQL.get(connection.vendor)
    if sql is not None:
        return sql
    from peygir.catalog.models import Category, MessageType

    q = connection.ops.quote_name

    def col(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    case, event = Case._meta.db_table, CaseEvent._meta.db_table
    sql = (
        f"SELECT c.{col(Case, 'tracking_code')}, c.{col(Case, 'phase')}, c.{col(Case, 'created_at')}, "
        f"c.{col(Case, 'respond_by')}, c.{col(Case, 'resolution')}, c.{col(Case, 'response_text')}, "
        f"t.{col(MessageType, 'name')}, g.{col(Category, 'name')}, "
        f"e.{col(CaseEvent, 'kind')}, e.{col(CaseEvent, 'created_at')}, e.{col(CaseEvent, 'public_note')}, "
        f"u.{col(Unit, 'name')} "
        f"FROM {q(case)} c "
        f"JOIN {q(MessageType._meta.db_table)} t ON t.id = c.{col(Case, 'message_type')} "
        f"LEFT JOIN {q(Category._meta.db_table)} g ON g.id = c.{col(Case, 'category')} "
        f"LEFT JOIN {q(event)} e ON e.{col(CaseEvent, 'case')} = c.id AND e.{col(CaseEvent, 'is_public')} = %s "
        f"LEFT JOIN {q(Unit._meta.db_table)} u ON u.id = e.{col(CaseEvent, 'to_unit')} "
        f"WHERE c.{col(Case, 'tracking_code')} = %s "
        f"ORDER BY e.{col(CaseEvent, 'created_at')}, e.id"
    )
    _PUBLIC_SQL[connection.vendor] = sql
    return sql


def _aware(value: Any) -> Any:
    # SQLite hands back naive UTC datetimes to a plain cursor; the ORM would make them aware.
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


def case_get_public(code: str) -> PublicCase:
    """The public face of the case with this tracking code, read in one statement: the busiest read
    there is, so it builds no model instances. A mistyped code is a ValidationError; an unknown one
    NotFound."""
    from django.db import connection

    cleaned = _cleaned_tracking_code(code)
    with connection.cursor() as cursor:
        cursor.execute(_public_case_sql(connection), [True, cleaned])
        rows = cursor.fetchall()
    if not rows:
        raise NotFound(_("پرونده‌ای با این کد رهگیری پیدا نشد."))
    first = rows[0]
    return PublicCase(
        tracking_code=first[0],
        phase=first[1],
        created_at=_aware(first[2]),
        respond_by=_aware(first[3]),
        resolution=first[4],
        response_text=first[5],
        type_name=first[6],
        category_name=first[7] or "",
        timeline=tuple(
            PublicEvent(
                kind=row[8],
                created_at=_aware(row[9]),
                public_note=row[10],
                to_unit_name=row[11] or "",
            )
            for row in rows
            if row[8] is not None
        ),
    )


TRACK_FAILURES_ALLOWED = 30
TRACK_FAILURE_WINDOW_SECONDS = 600


def case_track(*, code: str, client: str) -> Case:
    """Public tracking by code, with guessing slowed down: after 30 wrong or unknown codes from one
    client in 10 minutes, every lookup from it is refused for the rest of the window.

    Raises RateLimited, ValidationError (mistyped code), NotFound.
    """
    return _guarded(client, case_get_by_tracking_code, code)


def case_track_public(*, code: str, client: str) -> PublicCase:
    """``case_track`` for the public tracking API: only what a citizen may see (``case_get_public``)."""
    return _guarded(client, case_get_public, code)


T = TypeVar("T")


def _guarded(client: str, lookup: Callable[[str], T], code: str) -> T:
    key = f"track:{client}"
    check_not_exceeded(
        key,
        limit=TRACK_FAILURES_ALLOWED,
        message=_("تعداد کدهای نادرست از این نشانی زیاد بوده است؛ چند دقیقه دیگر دوباره تلاش کنید."),
    )
    try:
        return lookup(code)
    except (ValidationError, NotFound):
        attempt_record(key, window_seconds=TRACK_FAILURE_WINDOW_SECONDS)
        raise


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


def _kartable_scope(user: Any, *, keep_units: bool = False) -> list[int] | None:
    """The primary keys of units_in_scope(user), read now; None when they are every unit there is.

    The kartable queries take this list rather than a subquery: the planner cannot estimate
    ``path LIKE '…%'`` (it guesses one unit where a supervisor has every unit) and then picks
    nested loops over a million cases; with the ids it sees how much of the table is in scope.
    Every case belongs to a unit, so for a scope that holds the whole tree (the 137 center's
    supervisor) ``unit_id IN (…every unit…)`` filters nothing: None drops it, and the planner walks
    the (phase, …) indexes instead of one index range per unit. ``keep_units`` keeps the list even
    then, for a date range: the (unit, phase, created_at) index reads only the rows in the range.
    """
    ids, whole_tree = _scope_units(user)
    return None if whole_tree and not keep_units else ids


def _scope_units(user: Any) -> tuple[list[int], bool]:
    """The ids of units_in_scope(user) (one query over the few hundred units) and whether they
    are every unit there is."""
    paths = staff_scope(user).paths(set(_ROLE_MAP))
    units = list(Unit.objects.values_list("id", "path"))
    ids = [pk for pk, path in units if any(path.startswith(prefix) for prefix in paths)]
    return ids, bool(ids) and len(ids) == len(units)


def _in_units(qs: QuerySet[Case], unit_ids: list[int] | None) -> QuerySet[Case]:
    return qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)


def _has_date_range(filters: dict[str, Any]) -> bool:
    return bool(filters.get("created_from") or filters.get("created_to"))


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


KARTABLE_ORDERS = {
    "deadline": ("respond_by", "id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
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
    keep_units = bool(created_from or created_to)
    qs = _in_units(Case.objects.all(), _kartable_scope(user, keep_units=keep_units))
    if tab:
        if tab not in KARTABLE_TABS:
            raise ValidationError(_("زبانه کارتابل نامعتبر است."), code="bad_tab")
        qs = qs.filter(KARTABLE_TABS[tab])
    if order not in KARTABLE_ORDERS:
        raise ValidationError(_("ترتیب مرتب‌سازی نامعتبر است."), code="bad_order")
    qs = _kartable_filter(
        qs,
        category=category,
        message_type=message_type,
        channel=channel,
        priority=priority,
        unit=unit,
        special=special,
        created_from=created_from,
        created_to=created_to,
        query=query,
    )
    return qs.select_related("category", "message_type", "unit", "district", "priority").order_by(
        *KARTABLE_ORDERS[order]
    )


# --- Staff pages: the referred-out list, tab counts, officers to assign -------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _kartable_filter(
    qs: QuerySet[Case],
    *,
    category: str | None = None,
    message_type: str | None = None,
    channel: str | None = None,
    priority: str | None = None,
    unit: str | None = None,
    special: bool | None = None,
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
    query: str | None = None,
) -> QuerySet[Case]:
    """The kartable's filters (the same meaning as in case_list_for_unit) applied to ``qs``."""
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
    # Local calendar days as a created_at range (what ``created_at__date`` means), so that the
    # created_at index can serve it instead of converting every row's timestamp.
    if created_from:
        qs = qs.filter(created_at__gte=_day_start(created_from))
    if created_to:
        qs = qs.filter(created_at__lt=_day_start(created_to + dt.timedelta(days=1)))
    if query:
        folded = normalize_for_search(query)
        if folded.isdigit():
            qs = qs.filter(Q(tracking_code=folded) | Q(search_text__contains=folded))
        else:
            for word in folded.split()[:8]:
                qs = qs.filter(search_text__contains=word)
    return qs


def _referrals_from(unit_ids: list[int] | None) -> QuerySet[CaseEvent]:
    """Referral events from the given units (None: from any unit, the whole tree)."""
    referrals = CaseEvent.objects.filter(kind=CaseEvent.Kind.REFERRED)
    if unit_ids is None:
        return referrals.filter(from_unit_id__isnull=False)
    return referrals.filter(from_unit_id__in=unit_ids)


def _referred_by_scope(unit_ids: list[int] | None) -> Exists:
    return Exists(_referrals_from(unit_ids).filter(case_id=OuterRef("pk")))


def case_list_referred_out(*, user: Any, order: str = "deadline", **filters: Any) -> QuerySet[Case]:
    """Cases that one of the user's units referred to another unit, wherever they are now.

    A case counts when it has a ``referred`` event whose ``from_unit`` is in ``units_in_scope(user)``.
    Takes the filters and orders of case_list_for_unit (no tab). Raises ValidationError for an unknown
    order. The user may no longer be able to open such a case (access_case decides).
    """
    if order not in KARTABLE_ORDERS:
        raise ValidationError(_("ترتیب مرتب‌سازی نامعتبر است."), code="bad_order")
    if not staff_scope(user).paths(set(_ROLE_MAP)):
        return Case.objects.none()
    qs = _kartable_filter(Case.objects.filter(_referred_by_scope(_kartable_scope(user))), **filters)
    return qs.select_related("category", "message_type", "unit", "district", "priority").order_by(
        *KARTABLE_ORDERS[order]
    )


# The kartable tabs the staff pages show, in order; "referred_out" is case_list_referred_out.
KARTABLE_PAGE_TABS = (
    "open",
    "new",
    "in_progress",
    "awaiting_citizen",
    "overdue",
    "returned",
    "referred_out",
    "responded",
    "closed",
)


# The finished tabs (and the referred-out one) grow by the hundred thousand; their counts stop here.
KARTABLE_COUNT_LIMIT = 10_000
# Tabs of open cases: a few thousand per district, counted exactly in one aggregate.
_OPEN_TABS = ("open", "new", "in_progress", "awaiting_citizen", "overdue", "returned")
# The tabs kartable_tab_counts counts only up to its limit.
KARTABLE_BOUNDED_TABS = frozenset({"responded", "closed", "referred_out"})


def case_count_up_to(cases: QuerySet[Case], *, limit: int | None) -> int:
    """How many cases ``cases`` holds, counting no further than ``limit + 1``.

    A result above ``limit`` means "more than ``limit``": the database stops reading there, which is
    what keeps a count over a million closed cases cheap. ``limit=None`` counts them all.
    """
    cases = cases.order_by()
    if limit is None:
        return cases.count()
    return cases.values("pk")[: limit + 1].count()


# Under a filter across the whole tree (the 137 center's supervisor) the bounded tabs stop here
# instead: no unit narrows the (unit, phase, …) indexes, so every match of a category or a search
# word is a read of the table; 10,000 of them cost more than the whole page may.
KARTABLE_CITY_FILTER_LIMIT = 1_000
# Under a filter across the whole tree, the referred-out count looks at the cases of this many of
# the newest referrals only (each one a read of the table: 20,000 take about 100 ms); where there
# are more, the count is a lower bound ("at least").
KARTABLE_REFERRALS_EXAMINED = 2_000


@dataclass(frozen=True)
class KartableCounts:
    """The tab counts of a kartable and how to read them.

    ``counts[tab]`` above ``limit`` for a tab of KARTABLE_BOUNDED_TABS means "more than ``limit``";
    a tab in ``at_least`` was counted over part of its cases only: it holds at least that many.
    """

    counts: dict[str, int]
    limit: int | None
    at_least: frozenset[str] = frozenset()


def _has_filter(filters: dict[str, Any]) -> bool:
    return any(value is not None for value in filters.values())


def kartable_count_limit(*, whole_tree: bool, limit: int | None, **filters: Any) -> int | None:
    """The limit the bounded tabs are counted to: ``limit``, or KARTABLE_CITY_FILTER_LIMIT under a
    filter across the whole tree."""
    if whole_tree and _has_filter(filters) and limit is not None:
        return min(limit, KARTABLE_CITY_FILTER_LIMIT)
    return limit


def kartable_scope_is_whole_tree(user: Any) -> bool:
    """Whether the user's kartable scope holds every unit (the 137 center's supervisor)."""
    return _scope_units(user)[1]


def kartable_counts(*, user: Any, limit: int | None = KARTABLE_COUNT_LIMIT, **filters: Any) -> KartableCounts:
    """How many cases each tab of KARTABLE_PAGE_TABS holds under the same filters.

    The counts are the lengths of case_list_for_unit(tab=…) and case_list_referred_out with the same
    filters. The open tabs are counted exactly (one aggregate over the open cases); the responded,
    closed and referred_out tabs up to the limit (kartable_count_limit: ``limit``, or 1,000 under
    a filter across the whole tree), as case_count_up_to does: a count above it means "more than
    the limit". Under a filter across the whole tree the referred-out tab is counted over the cases
    of the newest KARTABLE_REFERRALS_EXAMINED referrals; where there are more it is in ``at_least``.
    Five or six queries; a user with no case-working membership gets zeros without a query.
    """
    if not staff_scope(user).paths(set(_ROLE_MAP)):
        return KartableCounts(dict.fromkeys(KARTABLE_PAGE_TABS, 0), limit)
    all_ids, whole_tree = _scope_units(user)
    unit_ids = None if whole_tree else all_ids
    limit = kartable_count_limit(whole_tree=whole_tree, limit=limit, **filters)
    in_scope = _kartable_filter(
        _in_units(Case.objects.all(), all_ids if _has_date_range(filters) else unit_ids), **filters
    )
    counts: dict[str, Any] = in_scope.filter(KARTABLE_TABS["open"]).aggregate(
        # COUNT(phase) (never null) rather than COUNT(id): every column read is then in
        # cases_case_open_counts, so the database answers from that small index alone.
        **{tab: Count("phase", filter=KARTABLE_TABS[tab]) for tab in _OPEN_TABS}
    )
    for tab in ("responded", "closed"):
        counts[tab] = case_count_up_to(in_scope.filter(KARTABLE_TABS[tab]), limit=limit)
    at_least: set[str] = set()
    # Unfiltered, the referrals' own index answers (every event has its case).
    cases_referred = _referrals_from(unit_ids).order_by().values("case_id").distinct()
    if not _has_filter(filters):
        counts["referred_out"] = (
            cases_referred.count() if limit is None else cases_referred[: limit + 1].count()
        )
    elif whole_tree and limit is not None:
        # Each referred case is a read of the table, and across the whole tree no unit narrows
        # them: look at the newest ones only, and say "at least" when there are more.
        newest = cases_referred.order_by("-case_id")[: KARTABLE_REFERRALS_EXAMINED + 1]
        examined = list(newest.values_list("case_id", flat=True))
        referred = _kartable_filter(
            Case.objects.filter(pk__in=examined[:KARTABLE_REFERRALS_EXAMINED]), **filters
        )
        counts["referred_out"] = case_count_up_to(referred, limit=limit)
        if len(examined) > KARTABLE_REFERRALS_EXAMINED and counts["referred_out"] <= limit:
            at_least.add("referred_out")
    else:
        referred = _kartable_filter(Case.objects.filter(_referred_by_scope(unit_ids)), **filters)
        counts["referred_out"] = case_count_up_to(referred, limit=limit)
    return KartableCounts(
        {tab: int(counts.get(tab) or 0) for tab in KARTABLE_PAGE_TABS}, limit, frozenset(at_least)
    )


def kartable_tab_counts(
    *, user: Any, limit: int | None = KARTABLE_COUNT_LIMIT, **filters: Any
) -> dict[str, int]:
    """kartable_counts(…).counts: how many cases each tab holds (see there for the limits)."""
    return kartable_counts(user=user, limit=limit, **filters).counts


def officers_for_user_units(user: Any) -> QuerySet[Any]:
    """Active officers and managers with a membership in one of the user's units (bulk assignment).

    Whether one of them may take a given case is still decided by case_transition (their role must
    reach the case's unit).
    """
    User = get_user_model()
    if not staff_scope(user).paths(set(_ROLE_MAP)):
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=[Membership.Role.OFFICER, Membership.Role.MANAGER],
            memberships__unit_id__in=units_in_scope(user).values("id"),
        )
        .distinct()
        .order_by("display_name", "username")
    )


def officers_for_case(case: Case) -> QuerySet[Any]:
    """Active officers and managers whose role reaches the case's unit: those it may be assigned to."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__unit__is_active=True,
            memberships__role__in=[Membership.Role.OFFICER, Membership.Role.MANAGER],
            memberships__unit_id__in=case.unit.ancestor_ids,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def response_template_context(case: Case) -> dict[str, Any]:
    """The values a response template's ``{variables}`` take for ``case`` (catalog's
    response_template_render): Persian digits and a long Jalali date, as the citizen reads them."""
    return {
        "tracking_code": to_persian_digits(case.tracking_code),
        "category": case.category.name if case.category is not None else "",
        "unit": case.unit.name,
        "date": format_date(timezone.now(), long=True),
        # Response templates are written in Persian, for the citizen: the fallback stays Persian too.
        "citizen_name": case.contact_name or (str(case.citizen) if case.citizen_id else "شهروند"),
    }
