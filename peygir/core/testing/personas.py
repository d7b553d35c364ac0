"""The test personas of STYLE.md, as a pytest plugin (list it in conftest's ``pytest_plugins``).

How the seed survives: ``django_db_setup`` is extended so that, once per test database (once per
xdist worker), the demo organization (``org.demo.seed_org``: the center, deputies, organizations, 22
districts with approximate boundaries, ~120 areas, the staff personas) and two citizens are written
and COMMITTED, like rows from a data migration. Ordinary tests run inside a transaction that is
rolled back, so the baseline is the same for every test whether or not it asks for a persona.

A ``transaction=True`` test flushes the database when it ends and takes the baseline with it. Every
fixture here goes through ``org_tree``, which checks for the center first and re-seeds inside the
current test when it is gone, so personas keep working after such a test (just more slowly).

Tests must therefore not assume an empty ``Unit`` table or a free "center" code: build new units
under ``center`` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

if TYPE_CHECKING:
    # Imported lazily below: a plugin module is loaded before Django's app registry is ready.
    from peygir.org.models import Unit

CITIZEN_MOBILE = "09120000001"
CITIZEN_B_MOBILE = "09120000002"


def _seed_citizens() -> None:
    User = get_user_model()
    for mobile, name in ((CITIZEN_MOBILE, "مریم شهروند"), (CITIZEN_B_MOBILE, "علی شهروند")):
        if not User.objects.filter(mobile=mobile).exists():
            user = User(username=mobile, mobile=mobile, display_name=name, mobile_verified_at=timezone.now())
            user.set_unusable_password()
            user.save()


def _seed_baseline() -> None:
    from peygir.org.demo import seed_org

    seed_org()
    _seed_citizens()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database, with the persona baseline committed once (see the module docstring)."""
    with django_db_blocker.unblock():
        _seed_baseline()


@pytest.fixture
def org_tree(db: Any) -> Unit:
    """The seeded organization; returns the 137 center. Re-seeds if a transactional test flushed it."""
    from peygir.org.models import Unit

    center = Unit.objects.filter(code="center").first()
    if center is None or not get_user_model().objects.filter(mobile=CITIZEN_B_MOBILE).exists():
        _seed_baseline()
        center = Unit.objects.get(code="center")
    return center


@pytest.fixture
def center(org_tree: Unit) -> Unit:
    return org_tree


@pytest.fixture
def district6(org_tree: Unit) -> Unit:
    from peygir.org.models import Unit

    return Unit.objects.get(code="district-6")


@pytest.fixture
def district7(org_tree: Unit) -> Unit:
    from peygir.org.models import Unit

    return Unit.objects.get(code="district-7")


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def supervisor(org_tree: Unit) -> Any:
    """A 137-center supervisor: reaches every unit in the city."""
    return _user("supervisor")


@pytest.fixture
def officer6(org_tree: Unit) -> Any:
    """An officer of district 6 (and its areas)."""
    return _user("officer6")


@pytest.fixture
def officer7(org_tree: Unit) -> Any:
    """An officer of district 7, who must not see district 6's cases."""
    return _user("officer7")


@pytest.fixture
def manager6(org_tree: Unit) -> Any:
    """The manager of district 6: escalations of district 6 and its areas reach them."""
    return _user("manager6")


@pytest.fixture
def agent(org_tree: Unit) -> Any:
    """A call-center agent at the 137 center."""
    return _user("agent")


@pytest.fixture
def admin_user_persona(org_tree: Unit) -> Any:
    """The system administrator (Django superuser, admin role at the center)."""
    return _user("admin")


@pytest.fixture
def integrity_handler(org_tree: Unit) -> Any:
    """Handles corruption reports; has no membership, so reaches no case."""
    return _user("integrity")


@pytest.fixture
def citizen(org_tree: Unit) -> Any:
    """A signed-up citizen with the verified mobile 09120000001."""
    return get_user_model().objects.get(mobile=CITIZEN_MOBILE)


@pytest.fixture
def citizen_b(org_tree: Unit) -> Any:
    """Another citizen (09120000002), who must never see the first one's data."""
    return get_user_model().objects.get(mobile=CITIZEN_B_MOBILE)
