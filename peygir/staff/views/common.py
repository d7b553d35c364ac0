"""What every staff page shares: the navigation context and safe redirects."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from peygir.notifications.selectors import notifications_for_user

from ..selectors import is_manager, is_supervisor


def staff_render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    """Render a page behind ``staff_required`` with the staff navigation (unread notices, boards)."""
    user = request.user
    full = {
        "staff_nav": True,
        "nav_is_supervisor": is_supervisor(user),
        "nav_is_manager": is_manager(user),
        "nav_unread": notifications_for_user(user, unread_only=True).count(),
        "nav_section": "",
    }
    full.update(context or {})
    return render(request, template, full, status=status)


def safe_next(request: HttpRequest, value: str | None, default: str | None = None) -> str:
    """``value`` when it is a path on this site, else ``default`` (the kartable)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default or reverse("staff:kartable")


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
