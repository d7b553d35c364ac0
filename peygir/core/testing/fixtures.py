"""pytest fixtures shared by every app's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip: the real data is kept beside the repository, never inside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (the ../shared checkout is absent)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings: Any) -> None:
    """Tests run at any hour: SMS quiet hours are off unless a test sets them itself."""
    settings.PEYGIR = {**settings.PEYGIR, "SMS_QUIET_HOURS": ""}


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Any:
    """Every test starts and ends without the process's configuration copies (core.cache): rows a
    test changed without signals, or rolled back, are never served to the next test."""
    from peygir.core.cache import ProcessCache

    ProcessCache.clear_all()
    yield
    ProcessCache.clear_all()
