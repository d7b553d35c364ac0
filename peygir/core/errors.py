"""The ApplicationError family: domain failures that reach people as RFC 7807 problem details.

Services raise these; the API renders them as ``application/problem+json`` with a Persian (or the
request's language) ``title`` and ``detail``; the pages render them as messages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    code = "bad_request"
    title: Any = _("درخواست نادرست است.")

    def __init__(self, detail: Any = None, *, code: str | None = None, extra: dict[str, Any] | None = None):
        self.detail = detail if detail is not None else self.title
        if code:
            self.code = code
        self.extra = extra or {}
        super().__init__(str(self.detail))

    def as_problem(self, instance: str = "") -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://peygir.example/problems/{self.code}",
            "title": str(self.title),
            "status": self.status,
            "detail": str(self.detail),
            "code": self.code,
        }
        if instance:
            problem["instance"] = instance
        problem.update(self.extra)
        return problem


class ValidationError(ApplicationError):
    status = 422
    code = "invalid"
    title = _("اطلاعات واردشده معتبر نیست.")


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    title = _("پیدا نشد.")


class PermissionDenied(ApplicationError):
    status = 403
    code = "forbidden"
    title = _("شما اجازه این کار را ندارید.")


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    title = _("ابتدا وارد شوید.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    title = _("وضعیت تغییر کرده است؛ دوباره تلاش کنید.")


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
    title = _("تعداد درخواست‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.")
