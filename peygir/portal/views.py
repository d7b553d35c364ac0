"""The citizen portal's public pages: home, register, confirmation, tracking and case photos.

Views stay thin: they parse a form, call a service or selector, and render. Every rule lives in
peygir.cases, peygir.catalog and the portal's own selectors and services.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peygir.cases.models import Case
from peygir.cases.schemas import PUBLIC_STATUS
from peygir.cases.selectors import case_get_by_tracking_code, case_public_timeline, case_track
from peygir.catalog.selectors import categories_active, message_types_all
from peygir.core.errors import ApplicationError, NotFound, RateLimited, ValidationError

from .forms import RegisterForm, TrackForm
from .selectors import case_for_confirmation, case_public_photo, case_public_photos
from .services import portal_case_register

SESSION_REGISTERED = "portal_registered"
# Enough for a busy afternoon of reports from one browser; older confirmations go to tracking.
SESSION_REGISTERED_KEEP = 20

# Which field a domain error from case_submit belongs to on the form (None: the form as a whole).
ERROR_FIELDS = {
    "bad_category": "category",
    "bad_type": "message_type",
    "description_short": "description",
    "description_long": "description",
    "bad_phone": "contact_phone",
    "contact_required": "contact_phone",
    "too_many_photos": "photos",
    "photo_too_large": "photos",
    "photo_type": "photos",
    "photo_invalid": "photos",
}


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"categories": categories_active(), "track_form": TrackForm(), "nav": "home"},
    )


def _register_form(request: HttpRequest) -> RegisterForm:
    kwargs: dict[str, Any] = {
        "categories": list(categories_active()),
        "message_types": list(message_types_all()),
    }
    if request.method == "POST":
        return RegisterForm(request.POST, request.FILES, **kwargs)
    chosen = request.GET.get("category")
    return RegisterForm(initial={"category": chosen} if chosen else None, **kwargs)


def register(request: HttpRequest) -> HttpResponse:
    form = _register_form(request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = portal_case_register(
                    token=str(data["token"]),
                    message_type=data["message_type"],
                    category=data["category"],
                    description=data["description"],
                    lat=data["lat"],
                    lon=data["lon"],
                    address=data["address"],
                    photos=data["photos"],
                    user=request.user,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    anonymous=data["anonymous"],
                )
            except ApplicationError as exc:
                form.add_error(ERROR_FIELDS.get(exc.code), str(exc.detail))
            else:
                public_id = str(result.case.public_id)
                kept = [pid for pid in request.session.get(SESSION_REGISTERED, []) if pid != public_id]
                request.session[SESSION_REGISTERED] = [*kept, public_id][-SESSION_REGISTERED_KEEP:]
                return redirect("portal:registered", public_id=public_id)
        status = 422
    return render(request, "portal/register.html", {"form": form, "nav": "register"}, status=status)


def registered(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        case = case_for_confirmation(
            user=request.user,
            public_id=public_id,
            registered_here=request.session.get(SESSION_REGISTERED, []),
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    return render(request, "portal/registered.html", {"case": case, "nav": "register"})


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "-"


def _track_form_page(request: HttpRequest, form: TrackForm, status: int = 200) -> HttpResponse:
    return render(request, "portal/track_form.html", {"form": form, "nav": "track"}, status=status)


def track(request: HttpRequest) -> HttpResponse:
    """The tracking form; a submitted code goes to the case's tracking page."""
    if "code" not in request.GET:
        return _track_form_page(request, TrackForm())
    form = TrackForm(request.GET)
    if not form.is_valid():
        return _track_form_page(request, form, status=422)
    try:
        case = case_track(code=form.cleaned_data["code"], client=_client(request))
    except RateLimited as exc:
        form.add_error("code", str(exc.detail))
        return _track_form_page(request, form, status=429)
    except ValidationError as exc:
        form.add_error("code", str(exc.detail))
        return _track_form_page(request, form, status=422)
    except NotFound as exc:
        form.add_error("code", str(exc.detail))
        return _track_form_page(request, form, status=404)
    return redirect("portal:track_case", code=case.tracking_code)


def case_public_context(case: Case) -> dict[str, Any]:
    """What every citizen-facing case page shows: status, response, public timeline, public photos."""
    return {
        "case": case,
        "status_text": PUBLIC_STATUS.get(Case.Phase(case.phase), ""),
        "timeline": case_public_timeline(case).select_related("to_unit"),
        "photos": case_public_photos(case),
        "show_response": case.phase in (Case.Phase.RESPONDED, Case.Phase.CLOSED) and bool(case.response_text),
    }


def track_case(request: HttpRequest, code: str) -> HttpResponse:
    try:
        case = case_track(code=code, client=_client(request))
    except (ValidationError, NotFound, RateLimited) as exc:
        form = TrackForm({"code": code})
        form.is_valid()
        form.add_error("code", str(exc.detail))
        return _track_form_page(request, form, status=exc.status)
    if case.tracking_code != code:
        return redirect("portal:track_case", code=case.tracking_code)
    return render(request, "portal/track.html", {**case_public_context(case), "nav": "track"})


def track_photo(request: HttpRequest, code: str, photo_id: str) -> FileResponse:
    """A public photo of a case, served only through the case's tracking code."""
    try:
        case = case_get_by_tracking_code(code)
        photo = case_public_photo(case, photo_id)
    except (ValidationError, NotFound) as exc:
        raise Http404(str(exc.detail)) from exc
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
