from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from peygir.notifications.tests.fake_provider import API_KEY, SENDER, FakeKavenegar

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
STATUS_SECRET = "callback-secret"


@pytest.fixture(autouse=True)
def _outbox_defaults(settings: Any) -> None:
    """Tasks run at once, and no quiet hours unless a test asks: tests run at any hour."""
    settings.TASKS = IMMEDIATE
    settings.PEYGIR = {**settings.PEYGIR, "SMS_QUIET_HOURS": ""}


@pytest.fixture
def peygir_settings(settings: Any) -> Any:
    """Set PEYGIR keys: ``peygir_settings(SMS_BACKEND="file")``."""

    def update(**values: Any) -> None:
        settings.PEYGIR = {**settings.PEYGIR, **values}

    return update


@pytest.fixture
def kavenegar(peygir_settings: Any) -> Iterator[FakeKavenegar]:
    fake = FakeKavenegar()
    fake.start()
    peygir_settings(
        SMS_BACKEND="kavenegar",
        SMS_PROVIDER_URL=fake.url,
        SMS_PROVIDER_API_KEY=API_KEY,
        SMS_PROVIDER_SENDER=SENDER,
        SMS_STATUS_SECRET=STATUS_SECRET,
    )
    yield fake
    fake.stop()
