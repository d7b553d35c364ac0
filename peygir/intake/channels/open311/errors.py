"""Open311 errors: what the spec's ``<errors>`` body carries, and how Peygir's own errors map onto it."""

from __future__ import annotations

from typing import Any

from peygir.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, RateLimited

# The spec knows 400 (anything else), 403 (api_key) and 404 (no such resource); 429 is ours for the
# per-key rate limit and 405 for a wrong method, in the same body shape.
STATUSES = (400, 403, 404, 405, 429)


class Open311Error(Exception):
    """A failed Open311 call: an HTTP status and one or more (code, description) pairs.

    ``code`` is the HTTP status as the spec suggests; descriptions are Persian for people.
    """

    def __init__(self, status: int, *descriptions: Any):
        if status not in STATUSES:
            raise ValueError(f"not an Open311 status: {status}")
        self.status = status
        self.errors = [(status, str(description)) for description in descriptions]
        super().__init__("; ".join(description for _, description in self.errors))


def from_application_error(error: ApplicationError) -> Open311Error:
    """The Open311 form of a Peygir error: not found → 404, forbidden → 403, rate limit → 429,
    everything else (invalid input, conflicts) → 400. Attribute problems become one error each."""
    if isinstance(error, NotFound):
        return Open311Error(404, error.detail)
    if isinstance(error, PermissionDenied):
        return Open311Error(403, error.detail)
    if isinstance(error, RateLimited):
        return Open311Error(429, error.detail)
    details = error.extra.get("errors") if not isinstance(error, Conflict) else None
    if isinstance(details, dict) and details:
        return Open311Error(400, *details.values())
    return Open311Error(400, error.detail)
