from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_submit, case_transition


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def case6(org_tree: Any, citizen: Any) -> Case:
    return case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="زباله‌های کوچه جمع‌آوری نشده است.",
        lat=35.72617,
        lon=51.40322,
        citizen=citizen,
    ).case


@pytest.fixture
def responded(case6: Case, officer6: Any) -> Case:
    case = case_transition(case=case6, action="accept", actor=officer6)
    return case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="رفع شد.")
