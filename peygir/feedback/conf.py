"""The feedback app's settings (``settings.FEEDBACK``), each with its default."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A score at or below this is "low": it reopens the case inside the window and is flagged.
    "LOW_SCORE": 2,
    # How long the survey link keeps working; past the objection window an answer is still
    # recorded (it counts in satisfaction) but reopens nothing.
    "SURVEY_VALID_DAYS": 30,
    # Cases closed per run of the auto-close task (the rest wait for the next run).
    "CLOSE_BATCH": 500,
}


def feedback_setting(name: str) -> Any:
    """``settings.FEEDBACK[name]``, or its default."""
    return getattr(settings, "FEEDBACK", {}).get(name, DEFAULTS[name])
