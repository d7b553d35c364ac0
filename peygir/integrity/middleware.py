"""Privacy of integrity requests, before anything else sees them.

For paths under ``/integrity/`` and ``/staff/integrity/`` this middleware (first in MIDDLEWARE):
- reduces the client address to a keyed hash of its network for the receipt throttle
  (``request.integrity_network``) and removes the address, forwarded-for headers, the user agent
  and the referrer from ``request.META``, so no later middleware, view, error report or log
  formatter can record them;
- marks the request for the logging filter (``logging.IntegrityLogFilter``);
- forces ``Cache-Control: no-store``, ``Referrer-Policy: no-referrer`` and a strict
  Content-Security-Policy on every response, error pages included.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .throttle import network_key

PREFIXES = ("/integrity/", "/staff/integrity/")
STRIPPED = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

in_integrity_request: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "in_integrity_request", default=False
)


def is_integrity_path(path: str) -> bool:
    return path.startswith(PREFIXES) or path in ("/integrity", "/staff/integrity")


class IntegrityPrivacyMiddleware:
    @staticmethod
    def _same_origin_post(request: HttpRequest) -> None:
        """With ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on form posts, which
        Django's CSRF origin check refuses. ``Sec-Fetch-Site: same-origin`` is set by the browser
        itself (a page cannot forge it), so such a post is given this site's origin back; the CSRF
        token check still applies in full."""
        if (
            request.META.get("HTTP_ORIGIN") != "null"
            or request.META.get("HTTP_SEC_FETCH_SITE") != "same-origin"
        ):
            return
        try:
            host = request.get_host()
        except Exception:  # a bad host is refused later by Django itself
            return
        request.META["HTTP_ORIGIN"] = f"{request.scheme}://{host}"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_integrity_path(request.path):
            return self.get_response(request)
        # Which proxy header carries the client is the web server's business: the throttle keys on
        # what the application sees (see docs/operations/integrity.md).
        request.integrity_network = network_key(request.META.get("REMOTE_ADDR"))  # type: ignore[attr-defined]
        self._same_origin_post(request)
        for name in STRIPPED:
            request.META.pop(name, None)
        # Django's handlers expect an address to exist; a fixed one says nothing.
        request.META["REMOTE_ADDR"] = "0.0.0.0"
        token = in_integrity_request.set(True)
        try:
            response = self.get_response(request)
        finally:
            in_integrity_request.reset(token)
        response.headers["Cache-Control"] = "no-store, max-age=0"
        response.headers["Pragma"] = "no-cache"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
