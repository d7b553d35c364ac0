from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.callcenter.models import AgentExtension
from peygir.org.models import Membership
from peygir.staff.selectors import two_factor_required


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture(autouse=True)
def _fresh_cache(db: Any) -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def agent_ext(agent: Any) -> AgentExtension:
    """The agent persona answers at extension 1001."""
    return AgentExtension.objects.create(extension="1001", user=agent)


@pytest.fixture
def agent_b(center: Any) -> Any:
    """A second call-center agent (extension 1002), who must not see the first one's calls."""
    user = get_user_model().objects.create(username="agent_b", display_name="کارشناس پاسخگوی دوم")
    Membership.objects.create(user=user, unit=center, role=Membership.Role.AGENT)
    AgentExtension.objects.create(extension="1002", user=user)
    return user


@pytest.fixture
def as_agent(agent: Any) -> Client:
    return sign_in(Client(), agent)


@pytest.fixture
def as_agent_b(agent_b: Any) -> Client:
    return sign_in(Client(), agent_b)


@pytest.fixture
def as_supervisor(supervisor: Any) -> Client:
    return sign_in(Client(), supervisor)


@pytest.fixture
def as_officer6(officer6: Any) -> Client:
    return sign_in(Client(), officer6)


@pytest.fixture
def as_citizen(citizen: Any) -> Client:
    client = Client()
    client.force_login(citizen)
    return client
