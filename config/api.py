"""The REST API at /api/v1/ (OpenAPI docs at /api/v1/docs).

Every error is an RFC 7807 ``application/problem+json`` body with a Persian title and detail.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from peygir.accounts.api import router as auth_router
from peygir.cases.api import router as cases_router
from peygir.core.errors import ApplicationError
from peygir.core.problem import problem_response

api = NinjaAPI(
    title="Peygir API",
    version="1.0.0",
    description="سامانه ارتباط شهروندی و نظارت همگانی — ثبت، پیگیری و رسیدگی به پیام‌های شهروندان.",
    urls_namespace="api-v1",
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return problem_response(exc.as_problem(instance=request.path), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")
        ]
        errors.append(
            {"field": ".".join(location), "message": error.get("msg", ""), "type": error.get("type", "")}
        )
    fields = "، ".join(sorted({e["field"] for e in errors if e["field"]}))
    detail = (
        _("این موارد را بررسی کنید: %(fields)s") % {"fields": fields}
        if fields
        else _("بدنه درخواست نامعتبر است.")
    )
    problem = {
        "type": "https://peygir.example/problems/invalid",
        "title": _("اطلاعات واردشده معتبر نیست."),
        "status": 422,
        "detail": detail,
        "code": "invalid",
        "instance": request.path,
        "errors": errors,
    }
    return problem_response(problem, status=422)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    problem = {
        "type": "https://peygir.example/problems/not_authenticated",
        "title": _("ابتدا وارد شوید."),
        "status": 401,
        "detail": _("برای این درخواست باید وارد شده باشید."),
        "code": "not_authenticated",
        "instance": request.path,
    }
    return problem_response(problem, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    problem = {
        "type": "https://peygir.example/problems/http",
        "title": str(exc),
        "status": exc.status_code,
        "detail": str(exc),
        "code": "http_error",
        "instance": request.path,
    }
    return problem_response(problem, status=exc.status_code)


api.add_router("/auth/", auth_router, tags=["auth"])
api.add_router("/", cases_router, tags=["cases"])
