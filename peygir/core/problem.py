"""RFC 7807 problem+json responses."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse


def problem_response(problem: dict[str, Any], *, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(problem, ensure_ascii=False, default=str),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )
