"""Public reads of the Open311 channel: what is published (active services, public case fields),
and the rules of what may be seen. No citizen contact data is ever selected for an answer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from peygir.cases.models import Attachment, Case, CaseEvent
from peygir.cases.tracking import clean_tracking_code
from peygir.catalog.models import Category, Service, ServiceAttribute
from peygir.catalog.selectors import service_get, services_active
from peygir.core.errors import NotFound, ValidationError

from .parsing import MAX_RESULTS, RequestQuery

DEFAULT_JURISDICTION_ID = "tehran.ir"
# When the catalog was last changed if the admin's log has no record of it (the seeded catalog).
DEFAULT_CHANGESET = dt.datetime(2025, 3, 21, tzinfo=dt.UTC)
# Categories whose cases are listed without their description: complaints about staff name people.
DEFAULT_PRIVATE_CATEGORIES = frozenset({"staff"})
# Kinds never published even if a future change marks them public.
_NEVER_PUBLIC = {CaseEvent.Kind.NOTE, CaseEvent.Kind.SLA_WARNING, CaseEvent.Kind.OVERDUE}
CLOSED_PHASES = (Case.Phase.RESPONDED, Case.Phase.CLOSED)


def jurisdiction_id() -> str:
    """The one jurisdiction this server answers for (setting ``OPEN311_JURISDICTION_ID``)."""
    return str(getattr(settings, "OPEN311_JURISDICTION_ID", DEFAULT_JURISDICTION_ID))


def private_categories() -> frozenset[str]:
    """Category codes whose case descriptions are withheld (setting ``OPEN311_PRIVATE_CATEGORIES``)."""
    return frozenset(getattr(settings, "OPEN311_PRIVATE_CATEGORIES", DEFAULT_PRIVATE_CATEGORIES))


def open311_status(phase: str) -> str:
    """``closed`` for responded and closed cases, ``open`` for every other phase."""
    return "closed" if phase in CLOSED_PHASES else "open"


def services_published() -> QuerySet[Service]:
    """The service list: active services under active categories, in catalog order."""
    return services_active().order_by("category__order", "category__code", "order", "service_code")


def service_published(service_code: str) -> Service:
    """An active service by code; NotFound (404) when unknown or inactive."""
    try:
        return service_get(service_code)
    except ValidationError as exc:
        raise NotFound(exc.detail) from exc


def catalog_changeset() -> dt.datetime:
    """When the published catalog last changed: the admin's latest edit of a category, service or
    attribute, else DEFAULT_CHANGESET. Clients use it to know when to read the service list again."""
    types = ContentType.objects.get_for_models(Category, Service, ServiceAttribute).values()
    latest = LogEntry.objects.filter(content_type__in=list(types)).aggregate(latest=Max("action_time"))[
        "latest"
    ]
    return max(latest, DEFAULT_CHANGESET) if latest else DEFAULT_CHANGESET


def _cases() -> QuerySet[Case]:
    # The phone is never read; the contact name only to redact it from published text.
    return Case.objects.select_related("service", "category", "unit").defer(
        "contact_phone", "citizen", "search_text"
    )


def requests_find(query: RequestQuery) -> list[Case]:
    """GET Service Requests: the ids asked for, or the filtered window; newest first, at most 1,000
    (one page of ``page_size`` with the pagination extension)."""
    cases = _cases()
    if query.ids:
        codes = [code for code in (clean_tracking_code(value) for value in query.ids) if code]
        return list(cases.filter(tracking_code__in=codes).order_by("-created_at", "-id")[:MAX_RESULTS])
    if query.service_codes:
        cases = cases.filter(service__service_code__in=query.service_codes)
    if query.statuses and set(query.statuses) != {"open", "closed"}:
        if "open" in query.statuses:
            cases = cases.filter(phase__in=Case.OPEN_PHASES)
        else:
            cases = cases.filter(phase__in=CLOSED_PHASES)
    if query.start is not None and query.end is not None:
        cases = cases.filter(created_at__gte=query.start, created_at__lte=query.end)
    if query.updated_after is not None:
        cases = cases.filter(updated_at__gte=query.updated_after)
    if query.updated_before is not None:
        cases = cases.filter(updated_at__lte=query.updated_before)
    offset = (query.page - 1) * query.page_size
    return list(cases.order_by("-created_at", "-id")[offset : offset + query.page_size])


def request_find(service_request_id: str) -> Case:
    """One request by its id (the tracking code); NotFound (404) otherwise."""
    code = clean_tracking_code(service_request_id)
    case = _cases().filter(tracking_code=code).first() if code else None
    if case is None:
        raise NotFound(_("درخواستی با شناسه «%(id)s» پیدا نشد.") % {"id": service_request_id})
    return case


def token_find(token: str) -> Case:
    """The request registered with this token: ``<key prefix>-<client_request_id>``, i.e. the case's
    Open311 channel message id. NotFound (404) otherwise."""
    case = _cases().filter(channel=Case.Channel.OPEN311, external_id=token).first() if token else None
    if case is None:
        raise NotFound(_("توکن «%(token)s» پیدا نشد.") % {"token": token})
    return case


def public_photos(cases: Iterable[Case]) -> dict[int, list[Attachment]]:
    """Each case's public photos, oldest first (one query)."""
    photos: dict[int, list[Attachment]] = defaultdict(list)
    ids = [case.pk for case in cases]
    for photo in Attachment.objects.filter(case_id__in=ids, is_public=True).order_by("created_at", "id"):
        photos[photo.case_id].append(photo)
    return photos


def _public_events() -> QuerySet[CaseEvent]:
    # Only the public note is read: internal notes and actors never leave the staff side.
    return (
        CaseEvent.objects.filter(is_public=True)
        .exclude(kind__in=_NEVER_PUBLIC)
        .only("id", "case_id", "kind", "public_note", "data", "created_at")
    )


def public_events(cases: Iterable[Case]) -> dict[int, list[CaseEvent]]:
    """Each case's public timeline, oldest first (one query)."""
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    ids = [case.pk for case in cases]
    for event in _public_events().filter(case_id__in=ids).order_by("created_at", "id"):
        events[event.case_id].append(event)
    return events


def update_public_id(case: Case, event: CaseEvent) -> str:
    """An update's public id: ``<tracking code>-<n>``, its place on the case's public timeline (no
    database key is ever exposed)."""
    earlier = (
        _public_events()
        .filter(case_id=case.pk)
        .filter(Q(created_at__lt=event.created_at) | Q(created_at=event.created_at, id__lte=event.pk))
        .count()
    )
    return f"{case.tracking_code}-{earlier}"


def updates_find(*, start: dt.datetime, end: dt.datetime) -> list[tuple[CaseEvent, Case, str]]:
    """mySociety's GET servicerequestupdates: public timeline events in the window, oldest first,
    at most 1,000, each with its case and its public id."""
    events = list(
        _public_events()
        .filter(created_at__gte=start, created_at__lte=end)
        .order_by("created_at", "id")[:MAX_RESULTS]
    )
    cases = {case.pk: case for case in _cases().filter(pk__in={event.case_id for event in events})}
    ordinals: dict[int, int] = {}
    counters: dict[int, int] = defaultdict(int)
    rows = (
        _public_events()
        .filter(case_id__in=list(cases), created_at__lte=end)
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "id")
    )
    for case_id, event_id in rows:
        counters[case_id] += 1
        ordinals[event_id] = counters[case_id]
    return [
        (event, cases[event.case_id], f"{cases[event.case_id].tracking_code}-{ordinals[event.pk]}")
        for event in events
    ]
