"""Open311 GeoReport v2 endpoints: parse, call a selector or service, serialise. Nothing else.

Every endpoint answers in the format of its suffix (``.xml`` or ``.json``); errors come back in the
spec's ``<errors>`` shape with the HTTP status of the spec. These are an API for outside
applications that authenticate by ``api_key``, not by a session: CSRF does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from peygir.core.errors import ApplicationError

from . import parsing, selectors, services, shapes
from .errors import Open311Error, from_application_error
from .serializers import XML, Document, errors_document, response

Handler = Callable[..., Document]
View = Callable[..., HttpResponse]


def _error_response(error: Open311Error, fmt: str) -> HttpResponse:
    answer = response(errors_document(error.status, error.errors), fmt)
    if error.status == 405:
        answer["Allow"] = "GET, POST"
    return answer


def endpoint(*methods: str) -> Callable[[Handler], View]:
    """Method check, format suffix, ``jurisdiction_id``, and errors in the spec's shape."""

    def decorate(view: Handler) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            chosen = XML
            try:
                chosen = parsing.fmt_clean(fmt)
                if request.method not in methods:
                    raise Open311Error(
                        405, _("روش %(method)s اینجا پذیرفته نیست.") % {"method": request.method}
                    )
                args = parsing.arguments(request)
                jurisdiction = parsing.optional(args, "jurisdiction_id")
                if jurisdiction is not None and jurisdiction != selectors.jurisdiction_id():
                    raise Open311Error(404, _("jurisdiction_id «%(id)s» شناخته نیست.") % {"id": jurisdiction})
                document = view(request, args, **kwargs)
            except Open311Error as error:
                return _error_response(error, chosen)
            except ApplicationError as error:
                return _error_response(from_application_error(error), chosen)
            return response(document, chosen)

        return wrapper

    return decorate


def _endpoint_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0]


@endpoint("GET")
def discovery(request: HttpRequest, args: Any) -> Document:
    return Document(
        "discovery", shapes.discovery(url=_endpoint_url(request), changeset=selectors.catalog_changeset())
    )


@endpoint("GET")
def service_list(request: HttpRequest, args: Any) -> Document:
    return Document("services", [shapes.service_item(service) for service in selectors.services_published()])


@endpoint("GET")
def service_definition(request: HttpRequest, args: Any, service_code: str) -> Document:
    service = selectors.service_published(service_code)
    return Document("service_definition", shapes.service_definition(service))


def _request_items(request: HttpRequest, cases: list[Any], *, extensions: bool) -> list[dict[str, Any]]:
    photos = selectors.public_photos(cases)
    events = selectors.public_events(cases) if extensions else None
    return [
        shapes.request_item(
            case,
            photos=photos.get(case.pk, []),
            absolute=request.build_absolute_uri,
            events=events.get(case.pk, []) if events is not None else None,
        )
        for case in cases
    ]


def _submit(request: HttpRequest, args: Any) -> Document:
    client = services.open311_client_authenticate(parsing.optional(args, "api_key"))
    services.open311_client_throttle(client=client)
    submission = parsing.request_submission(args, request.FILES)
    result = services.open311_request_submit(client=client, submission=submission)
    notice = _("پیام شما با کد رهگیری %(code)s ثبت شد؛ پیگیری در سامانه ۱۳۷ یا با همین کد.") % {
        "code": result.case.tracking_code
    }
    item = {"service_request_id": result.case.tracking_code, "service_notice": notice, "account_id": None}
    return Document("service_requests", [item])


@endpoint("GET", "POST")
def requests(request: HttpRequest, args: Any) -> Document:
    if request.method == "POST":
        return _submit(request, args)
    query = parsing.request_query(args, now=timezone.now())
    cases = selectors.requests_find(query)
    return Document("service_requests", _request_items(request, cases, extensions=query.extensions))


@endpoint("GET")
def request_detail(request: HttpRequest, args: Any, request_id: str) -> Document:
    case = selectors.request_find(request_id)
    items = _request_items(request, [case], extensions=parsing.flag(args, "extensions"))
    return Document("service_requests", items)


@endpoint("GET")
def token(request: HttpRequest, args: Any, token: str) -> Document:
    case = selectors.token_find(token)
    return Document("service_requests", [{"service_request_id": case.tracking_code, "token": token}])


@endpoint("GET", "POST")
def request_updates(request: HttpRequest, args: Any) -> Document:
    if request.method == "POST":
        client = services.open311_client_authenticate(parsing.optional(args, "api_key"))
        services.open311_client_throttle(client=client)
        result = services.open311_update_submit(client=client, submission=parsing.update_submission(args))
        return Document("service_request_updates", [{"update_id": result.update_id}])
    start, end = parsing.date_window(
        parsing.datetime_arg(args, "start_date"), parsing.datetime_arg(args, "end_date"), now=timezone.now()
    )
    updates = selectors.updates_find(start=start, end=end)
    return Document(
        "service_request_updates",
        [shapes.update_item(event, case, update_id) for event, case, update_id in updates],
    )
