from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from peygir.core.testing.auth import sign_in
from peygir.integrity import pow, throttle
from peygir.integrity.keys import keypair_setup
from peygir.integrity.models import IntegrityRole

PASSWORD = "a-long-handler-passphrase-7391"


@pytest.fixture(autouse=True)
def _integrity_settings(settings: Any, tmp_path: Any) -> None:
    """Argon2 at its minimum cost (tests only), a tiny proof of work, tasks at once, media in tmp."""
    settings.INTEGRITY = {
        **settings.INTEGRITY,
        "LOOKUP_OPS": 1,
        "LOOKUP_MEM": 8192,
        "KEY_OPS": 1,
        "KEY_MEM": 8192,
        "POW_BITS": 4,
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture(autouse=True)
def _fresh_counters(request: Any) -> Any:
    from django.core.cache import cache

    uses_db = request.node.get_closest_marker("django_db") is not None
    throttle.reset()
    if uses_db:
        cache.clear()
    yield
    throttle.reset()
    if uses_db:
        cache.clear()


def make_user(username: str) -> Any:
    user = get_user_model().objects.create(username=username, display_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def with_role(
    user: Any, role: str = IntegrityRole.Role.HANDLER, *, receives_new: bool = True, keys: bool = True
) -> Any:
    IntegrityRole.objects.create(user=user, role=role, receives_new=receives_new)
    if keys:
        keypair_setup(user=user, password=PASSWORD)
    return user


@pytest.fixture
def handler_a(integrity_handler: Any) -> Any:
    """The persona 'integrity': a handler who receives new reports, with keys."""
    integrity_handler.set_password(PASSWORD)
    integrity_handler.save()
    return with_role(integrity_handler)


@pytest.fixture
def handler_b(org_tree: Any) -> Any:
    """Another handler with keys who does not receive new reports."""
    return with_role(make_user("handler_b"), receives_new=False)


@pytest.fixture
def custodian(org_tree: Any) -> Any:
    return with_role(make_user("custodian"), IntegrityRole.Role.CUSTODIAN)


def unlocked(user: Any) -> Client:
    """A client signed in as ``user`` with the integrity key unlocked."""
    client = Client()
    sign_in(client, user)
    response = client.post(
        "/staff/integrity/keys/unlock/", {"password": PASSWORD, "next": "/staff/integrity/"}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def submit_web(
    client: Client, data: dict[str, Any] | None = None, files: list[Any] | None = None, **extra: Any
) -> Any:
    """Fill the web questionnaire with a solved proof of work."""
    page = client.get("/integrity/new/", **extra)
    challenge = page.context["challenge"]
    fields = {
        "what": "رشوه در صدور پروانه",
        "pow_challenge": challenge,
        "pow_solution": pow.solve(challenge, 4),
    }
    fields.update(data or {})
    if files:
        fields["evidence"] = files
    return client.post("/integrity/new/", fields, **extra)


def receipt_of(response: Any) -> str:
    return "".join(response.context["receipt_groups"])
