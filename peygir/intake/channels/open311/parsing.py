"""Reading Open311 calls: the format suffix, optional arguments (empty = absent), dates, the POST form.

Every problem is an ``Open311Error`` (400 unless said otherwise) with a Persian description. Nothing
here touches the database: the rules that need it live in ``selectors`` and ``services``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from peygir.core.geo import valid_lat_lon
from peygir.core.text import to_latin_digits

from .errors import Open311Error
from .serializers import FORMATS

DESCRIPTION_MAX = 4000
WINDOW_DAYS = 90
MAX_RESULTS = 1000
MAX_IDS = 1000
STATUSES = ("open", "closed")
# A client's own request id becomes part of a URL (the token lookup): keep it URL-safe.
CLIENT_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
_ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_TRUE = {"true", "1", "yes"}


def fmt_clean(value: str) -> str:
    """``xml`` or ``json``; anything else is a 400 (answered in XML, the format every client reads)."""
    fmt = (value or "").lower()
    if fmt not in FORMATS:
        raise Open311Error(400, _("قالب «%(fmt)s» پشتیبانی نمی‌شود؛ xml یا json بخواهید.") % {"fmt": value})
    return fmt


def arguments(request: HttpRequest) -> QueryDict:
    """The call's arguments: the query string, and on POST the body too (the body wins)."""
    if request.method != "POST":
        return request.GET
    merged = request.GET.copy()
    for key in request.POST:
        merged.setlist(key, request.POST.getlist(key))
    return merged


def optional(args: Mapping[str, Any], name: str) -> str | None:
    """The argument stripped, or None when absent or empty (the spec treats both alike)."""
    value = args.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def flag(args: Mapping[str, Any], name: str) -> bool:
    value = optional(args, name)
    return value is not None and value.lower() in _TRUE


def datetime_arg(args: Mapping[str, Any], name: str) -> dt.datetime | None:
    """A W3C date-time (``Z`` or ``±HH:MM``; without an offset it is Tehran time) or a bare date
    (midnight in Tehran). Fractional seconds are accepted on input."""
    text = optional(args, name)
    if text is None:
        return None
    text = to_latin_digits(text).replace(" ", "+") if "T" in text else to_latin_digits(text)
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("«%(name)s» باید تاریخ و زمان W3C باشد، مانند 2026-03-21T10:30:00+03:30.") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def positive_int(args: Mapping[str, Any], name: str, *, maximum: int) -> int | None:
    text = optional(args, name)
    if text is None:
        return None
    text = to_latin_digits(text)
    if not text.isdigit() or not 1 <= int(text) <= maximum:
        raise Open311Error(
            400, _("«%(name)s» باید عددی از ۱ تا %(max)s باشد.") % {"name": name, "max": maximum}
        )
    return int(text)


def comma_list(args: Mapping[str, Any], name: str) -> list[str]:
    text = optional(args, name)
    if text is None:
        return []
    items: list[str] = []
    for item in text.split(","):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


@dataclass(frozen=True)
class RequestQuery:
    """GET Service Requests, interpreted: ids override everything else; otherwise a window on
    ``requested_datetime`` (none when only ``updated_after``/``updated_before`` are given)."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    updated_after: dt.datetime | None = None
    updated_before: dt.datetime | None = None
    page: int = 1
    page_size: int = MAX_RESULTS
    extensions: bool = False


def date_window(
    start: dt.datetime | None, end: dt.datetime | None, *, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The requested window: both ends given, one end and 90 days, or the last 90 days.

    A window longer than 90 days, or one that ends before it starts, is a 400 (not clipped).
    """
    span = dt.timedelta(days=WINDOW_DAYS)
    if start is None and end is None:
        return now - span, now
    if start is None:
        assert end is not None
        return end - span, end
    if end is None:
        return start, start + span
    if end < start:
        raise Open311Error(400, _("end_date نباید پیش از start_date باشد."))
    if end - start > span:
        raise Open311Error(400, _("بازه start_date تا end_date نباید بیش از ۹۰ روز باشد."))
    return start, end


def request_query(args: Mapping[str, Any], *, now: dt.datetime) -> RequestQuery:
    """Read GET Service Requests' arguments (and the extensions ``page``, ``page_size``,
    ``updated_after``, ``updated_before``, ``extensions``)."""
    extensions = flag(args, "extensions")
    ids = comma_list(args, "service_request_id")
    if len(ids) > MAX_IDS:
        raise Open311Error(400, _("حداکثر ۱۰۰۰ شناسه در یک درخواست پذیرفته می‌شود."))
    if ids:
        return RequestQuery(ids=ids, extensions=extensions)
    statuses = [status.lower() for status in comma_list(args, "status")]
    for status in statuses:
        if status not in STATUSES:
            raise Open311Error(400, _("status باید open یا closed باشد، نه «%(value)s».") % {"value": status})
    updated_after = datetime_arg(args, "updated_after")
    updated_before = datetime_arg(args, "updated_before")
    if updated_after and updated_before and updated_before < updated_after:
        raise Open311Error(400, _("updated_before نباید پیش از updated_after باشد."))
    start = datetime_arg(args, "start_date")
    end = datetime_arg(args, "end_date")
    window: tuple[dt.datetime | None, dt.datetime | None] = (None, None)
    if start or end or not (updated_after or updated_before):
        window = date_window(start, end, now=now)
    return RequestQuery(
        service_codes=comma_list(args, "service_code"),
        statuses=statuses,
        start=window[0],
        end=window[1],
        updated_after=updated_after,
        updated_before=updated_before,
        page=positive_int(args, "page", maximum=1_000_000) or 1,
        page_size=positive_int(args, "page_size", maximum=MAX_RESULTS) or MAX_RESULTS,
        extensions=extensions,
    )


@dataclass(frozen=True)
class RequestSubmission:
    """POST Service Request, read: location and contact as sent, attributes by code."""

    service_code: str
    lat: float | None
    lon: float | None
    address_string: str
    address_id: str
    description: str
    attributes: dict[str, Any]
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    client_request_id: str = ""
    message_type: str = ""
    media: list[bytes] = field(default_factory=list)


def _coordinate(text: str, name: str) -> float:
    try:
        value = float(to_latin_digits(text))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Open311Error(400, _("«%(name)s» باید عدد باشد.") % {"name": name})
    return value


def attributes_read(args: QueryDict) -> dict[str, Any]:
    """``attribute[CODE]=v`` → {CODE: v}; ``attribute[CODE][]=a&attribute[CODE][]=b`` → {CODE: [a, b]}."""
    values: dict[str, Any] = {}
    for key in args:
        match = _ATTRIBUTE_RE.match(key)
        if not match:
            continue
        code, many = match.group(1).strip(), bool(match.group(2))
        items = [item for item in args.getlist(key) if item.strip()]
        if not items:
            continue
        if many or len(items) > 1:
            existing = values.get(code)
            values[code] = [*(existing if isinstance(existing, list) else []), *items]
        else:
            values[code] = items[-1]
    return values


def request_submission(args: QueryDict, files: Any) -> RequestSubmission:
    """Read POST Service Request; what the spec requires of the form itself is checked here:
    ``service_code``, a location (lat+long, address_string or address_id), ``description`` ≤ 4,000,
    a well-formed e-mail and ``media_url``, the extension ``client_request_id``."""
    problems: list[str] = []
    service_code = optional(args, "service_code") or ""
    if not service_code:
        problems.append(_("service_code فرستاده نشده است."))
    lat_text, lon_text = optional(args, "lat"), optional(args, "long")
    lat = lon = None
    if (lat_text is None) != (lon_text is None):
        problems.append(_("lat و long باید با هم فرستاده شوند."))
    elif lat_text is not None and lon_text is not None:
        try:
            lat, lon = _coordinate(lat_text, "lat"), _coordinate(lon_text, "long")
        except Open311Error as error:
            problems.extend(description for _code, description in error.errors)
        else:
            if not valid_lat_lon(lat, lon):
                problems.append(_("مختصات جغرافیایی نامعتبر است."))
    address_string = optional(args, "address_string") or ""
    address_id = optional(args, "address_id") or ""
    if lat_text is None and lon_text is None and not address_string and not address_id:
        problems.append(_("مکان لازم است: lat و long، یا address_string، یا address_id."))
    description = (args.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        problems.append(_("description نباید بیش از ۴۰۰۰ نویسه باشد."))
    email = optional(args, "email") or ""
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            problems.append(_("نشانی email نامعتبر است."))
    media_url = optional(args, "media_url") or ""
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except DjangoValidationError:
            problems.append(_("media_url باید نشانی http یا https باشد."))
    client_request_id = optional(args, "client_request_id") or ""
    if client_request_id and not CLIENT_REQUEST_ID_RE.match(client_request_id):
        problems.append(_("client_request_id باید ۱ تا ۶۴ نویسه از حروف و ارقام لاتین و . _ ~ - باشد."))
    for name in ("device_id", "account_id"):
        if len(optional(args, name) or "") > 100:
            problems.append(_("«%(name)s» بیش از حد طولانی است.") % {"name": name})
    if problems:
        raise Open311Error(400, *problems)
    media = [upload.read() for upload in files.getlist("media")] if files is not None else []
    return RequestSubmission(
        service_code=service_code,
        lat=lat,
        lon=lon,
        address_string=address_string,
        address_id=address_id,
        description=description,
        attributes=attributes_read(args),
        first_name=optional(args, "first_name") or "",
        last_name=optional(args, "last_name") or "",
        phone=optional(args, "phone") or "",
        email=email,
        device_id=optional(args, "device_id") or "",
        account_id=optional(args, "account_id") or "",
        media_url=media_url,
        client_request_id=client_request_id,
        message_type=optional(args, "message_type") or "",
        media=media,
    )


@dataclass(frozen=True)
class UpdateSubmission:
    """mySociety's POST servicerequestupdates, read."""

    service_request_id: str
    update_id: str
    status: str
    updated_datetime: dt.datetime
    description: str


def update_submission(args: QueryDict) -> UpdateSubmission:
    """Read a POSTed update; every required field (``service_request_id``, ``update_id``, ``status``,
    ``updated_datetime``, ``description``) must be there."""
    missing = [
        name
        for name in ("service_request_id", "update_id", "status", "updated_datetime", "description")
        if optional(args, name) is None
    ]
    if missing:
        raise Open311Error(400, *[_("«%(name)s» فرستاده نشده است.") % {"name": name} for name in missing])
    update_id = optional(args, "update_id") or ""
    if len(update_id) > 100:
        raise Open311Error(400, _("update_id بیش از حد طولانی است."))
    moment = datetime_arg(args, "updated_datetime")
    assert moment is not None
    return UpdateSubmission(
        service_request_id=optional(args, "service_request_id") or "",
        update_id=update_id,
        status=(optional(args, "status") or "").upper(),
        updated_datetime=moment,
        description=(args.get("description") or "").strip(),
    )
