"""API authentication: bearer tokens (apps, integrations) or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from peygir.core.errors import NotAuthenticated, PermissionDenied

from .services import api_token_authenticate


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = api_token_authenticate(token)
        except NotAuthenticated:
            return None  # the next method is tried, then 401
        request.user = user
        return user


# Ninja's SessionAuth checks the CSRF token on unsafe methods, as on any Django form.
API_AUTH: list[AuthBase] = [BearerAuth(), SessionAuth()]


def optional_user(request: HttpRequest) -> Any:
    """The signed-in user for endpoints open to anonymous callers too (registering, tracking).

    A bad bearer token is an error rather than silently anonymous; a session user writing
    through the API must send the CSRF token.
    """
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(header[7:].strip())
        request.user = user
        return user
    session_user: Any = getattr(request, "user", None)
    if session_user is None or not session_user.is_authenticated:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
        raise PermissionDenied("CSRF")
    return session_user
