"""The kartable (a unit's work inbox), bulk assignment and the notifications list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, ExpressionWrapper, F, OrderBy, QuerySet, Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peygir.cases.models import Case
from peygir.cases.selectors import (
    KARTABLE_BOUNDED_TABS,
    KARTABLE_COUNT_LIMIT,
    KARTABLE_PAGE_TABS,
    KartableCounts,
    access_case,
    case_count_up_to,
    case_list_for_unit,
    case_list_referred_out,
    kartable_count_limit,
    kartable_counts,
    kartable_scope_is_whole_tree,
    officers_for_user_units,
    units_in_scope,
)
from peygir.cases.services import case_transition
from peygir.catalog.models import MessageType, Priority
from peygir.catalog.selectors import categories_active
from peygir.core.errors import ApplicationError
from peygir.core.text import to_persian_digits
from peygir.notifications.selectors import notifications_for_user
from peygir.notifications.services import notification_mark_all_read

from ..decorators import staff_required
from ..forms import KartableFilterForm
from ..selectors import is_supervisor
from .common import safe_next, staff_render

PAGE_SIZE = 25
MAX_BULK = 100

TAB_LABELS = {
    "open": _("همه باز"),
    "new": _("جدید"),
    "in_progress": _("در حال رسیدگی"),
    "awaiting_citizen": _("در انتظار شهروند"),
    "overdue": _("دارای تأخیر"),
    "returned": _("بازگشته به مرکز"),
    "referred_out": _("ارجاع‌شده به بیرون"),
    "responded": _("پاسخ داده‌شده"),
    "closed": _("بسته‌شده"),
}
# Only the 137 center works the returned queue.
SUPERVISOR_TABS = frozenset({"returned"})

# htmx polls these element ids; each gets only its fragment of the page back.
PARTIALS = {"kartable-counts": "counts", "kartable-rows": "rows"}


def _unit_choices(user: Any) -> list[tuple[str, str]]:
    return [
        (code, name)
        for code, name in units_in_scope(user)
        .filter(is_active=True)
        .order_by("path")
        .values_list("code", "name")
    ]


def _filter_form(request: HttpRequest) -> KartableFilterForm:
    return KartableFilterForm(
        request.GET,
        types=[
            (code, name)
            for code, name in MessageType.objects.order_by("order", "code").values_list("code", "name")
        ],
        categories=[(c.code, c.name) for c in categories_active()],
        priorities=[
            (code, name)
            for code, name in Priority.objects.order_by("weight", "code").values_list("code", "name")
        ],
        units=_unit_choices(request.user),
    )


def _more_than(tab: str, count: int, limit: int | None = KARTABLE_COUNT_LIMIT) -> str | None:
    """The label "بیش از ۱۰٬۰۰۰" when ``tab`` is counted only up to ``limit`` and its count went
    past it (see kartable_counts), else None: the open tabs are counted exactly."""
    if tab not in KARTABLE_BOUNDED_TABS or limit is None or count <= limit:
        return None
    return _("بیش از %(count)s") % {"count": number_format(limit, force_grouping=True)}


def _count_label(tab: str, counts: KartableCounts) -> str | int:
    count = counts.counts[tab]
    if tab in counts.at_least:
        return _("دست‌کم %(count)s") % {"count": number_format(count, force_grouping=True)}
    return _more_than(tab, count, counts.limit) or count


def _tabs(user: Any, current: str, counts: KartableCounts) -> list[dict[str, Any]]:
    supervisor = is_supervisor(user)
    return [
        {
            "code": tab,
            "label": TAB_LABELS[tab],
            "count": _count_label(tab, counts),
            "current": tab == current,
        }
        for tab in KARTABLE_PAGE_TABS
        if supervisor or tab not in SUPERVISOR_TABS or tab == current
    ]


def _unindexed(term: str) -> OrderBy:
    """The same sort key as ``term`` ("respond_by", "-created_at", "id"), in a form no index matches."""
    name = term.lstrip("-")
    key = F(name) if name == "id" else ExpressionWrapper(F(name) + Value(dt.timedelta(0)), DateTimeField())
    return OrderBy(key, descending=term.startswith("-"))


class _CountedPaginator(Paginator):
    """A paginator given its count (the tab count already read, or a bounded one) instead of
    counting the list again. ``more_than`` is set when the count stopped at the limit."""

    def __init__(
        self,
        cases: QuerySet[Case],
        per_page: int,
        *,
        tab: str,
        count: int,
        limit: int | None = KARTABLE_COUNT_LIMIT,
        sort_all: bool = False,
    ):
        super().__init__(cases, per_page)
        self.cases = cases
        self._given_count = count
        self._sort_all = sort_all
        self._exact = limit is None or count <= limit
        self.more_than = _more_than(tab, count, limit)

    @cached_property
    def count(self) -> int:
        return self._given_count

    def page(self, number: Any) -> Page:
        """The page's ids first (a narrow query the kartable indexes answer alone, even deep in a
        tab of a million cases), then those rows with their related names."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids_query = self.cases.values_list("pk", flat=True)
        if self._sort_all or (self._exact and self._given_count <= KARTABLE_COUNT_LIMIT):
            # Few enough rows to sort them all (or a date range, which the (unit, phase,
            # created_at) index reads alone). Without this the planner may walk the deadline
            # index of a million cases in order, hoping to meet a selective filter (a date range,
            # a category) early, and read most of the table before it fills a page: a date range
            # matches only at the far end of it, deadlines following creation.
            ids_query = ids_query.order_by(*[_unindexed(str(term)) for term in self.cases.query.order_by])
        ids = list(ids_query[bottom : bottom + self.per_page])
        rows = {case.pk: case for case in self.cases.filter(pk__in=ids)}
        # A case that left the list between the two reads is simply not shown.
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


def _case_list(user: Any, form: KartableFilterForm) -> Any:
    tab, order, filters = form.current_tab(), form.current_order(), form.filters()
    if tab == "referred_out":
        return case_list_referred_out(user=user, order=order, **filters)
    return case_list_for_unit(user=user, tab=tab, order=order, **filters)


@staff_required
def kartable(request: HttpRequest) -> HttpResponse:
    """The signed-in person's kartable: tabs with live counts, filters, search, sort and paging."""
    user = request.user
    form = _filter_form(request)
    tab = form.current_tab()
    partial = PARTIALS.get(request.htmx.target or "") if request.htmx else None  # type: ignore[attr-defined]
    context: dict[str, Any] = {"form": form, "tab": tab, "now": timezone.now()}
    filters = form.filters()
    counts = None
    if partial != "rows":
        counts = kartable_counts(user=user, limit=KARTABLE_COUNT_LIMIT, **filters)
        context["tabs"] = _tabs(user, tab, counts)
    if partial != "counts":
        cases = _case_list(user, form)
        # The tab count is the list's length (same filters): no second count of the same rows.
        if counts is not None and tab not in counts.at_least:
            total, limit = counts.counts[tab], counts.limit
        else:
            bounded = tab in KARTABLE_BOUNDED_TABS
            whole_tree = counts is None and bounded and kartable_scope_is_whole_tree(user)
            limit = (
                counts.limit
                if counts is not None
                else kartable_count_limit(whole_tree=whole_tree, limit=KARTABLE_COUNT_LIMIT, **filters)
            )
            total = case_count_up_to(cases, limit=limit if bounded else None)
        # A date range is read from the (unit, phase, created_at) index: sort all its matches
        # rather than walk the deadline order (see _CountedPaginator.page).
        sort_all = bool(filters["created_from"] or filters["created_to"])
        page = _CountedPaginator(
            cases, PAGE_SIZE, tab=tab, count=total, limit=limit, sort_all=sort_all
        ).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = page.object_list
        context["can_assign"] = tab != "referred_out"
    if partial:
        return render(request, f"staff/kartable.html#{partial}", context)
    context["officers"] = list(officers_for_user_units(user))
    context["nav_section"] = "kartable"
    return staff_render(request, "staff/kartable.html", context)


@staff_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the chosen cases to one officer, case by case; every failure is reported with its reason."""
    user = request.user
    back = safe_next(request, request.POST.get("next"))
    ids = request.POST.getlist("cases")[:MAX_BULK]
    assignee = request.POST.get("assignee") or ""
    officer = officers_for_user_units(user).filter(pk=assignee).first() if assignee.isdigit() else None
    if officer is None:
        messages.error(request, _("کارشناس را انتخاب کنید."))
        return HttpResponseRedirect(back)
    if not ids:
        messages.error(request, _("هیچ پرونده‌ای انتخاب نشده است."))
        return HttpResponseRedirect(back)
    done, failed = 0, []
    for public_id in ids:
        label = public_id
        try:
            case = access_case(user=user, public_id=public_id)
            label = case.tracking_code
            case_transition(case=case, action="assign", actor=user, assignee=officer)
        except ApplicationError as exc:
            failed.append(f"{to_persian_digits(label)}: {exc.detail}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(count)s پرونده به %(name)s سپرده شد.", "%(count)s پرونده به %(name)s سپرده شد.", done)
            % {"count": to_persian_digits(str(done)), "name": officer},
        )
    if failed:
        messages.error(
            request,
            _("%(count)s پرونده سپرده نشد — %(reasons)s")
            % {"count": to_persian_digits(str(len(failed))), "reasons": "؛ ".join(failed)},
        )
    return HttpResponseRedirect(back)


@staff_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's in-app notices, newest first, unread ones marked."""
    page = Paginator(notifications_for_user(request.user), 30).get_page(request.GET.get("page"))
    return staff_render(request, "staff/notifications.html", {"page": page, "nav_section": "notifications"})


@staff_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=request.user)
    messages.success(
        request,
        _("%(count)s اعلان خوانده‌شده علامت خورد.") % {"count": to_persian_digits(str(count))},
    )
    return redirect("staff:notifications")
