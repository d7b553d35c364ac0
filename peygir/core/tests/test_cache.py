"""ProcessCache: a per-process copy of configuration that never serves a transaction its stale self."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from peygir.core.cache import ProcessCache


@pytest.fixture
def group_names() -> tuple[ProcessCache[list[str]], list[int]]:
    loads: list[int] = []

    def load() -> list[str]:
        loads.append(1)
        return sorted(Group.objects.values_list("name", flat=True))

    # A name of its own: receivers are registered once per name (dispatch_uid).
    return ProcessCache(load, seconds=60, models=(Group,), name=f"test-groups-{id(loads)}"), loads


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_get_serves_its_copy_outside_transactions_only(group_names):
    cache, loads = group_names
    Group.objects.create(name="الف")

    assert cache.get() == ["الف"]
    assert cache.get() == ["الف"]
    assert len(loads) == 1
    with transaction.atomic():
        assert cache.get() is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shared_serves_a_transaction_that_changed_nothing(group_names):
    cache, loads = group_names
    Group.objects.create(name="الف")
    cache.get()

    with transaction.atomic():
        assert cache.shared() == ["الف"]
    assert len(loads) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shared_leaves_a_transaction_that_changed_the_model_to_read_for_itself(group_names):
    cache, _loads = group_names
    Group.objects.create(name="الف")
    cache.get()

    with transaction.atomic():
        Group.objects.create(name="ب")
        assert cache.shared() is None
        with transaction.atomic():  # a savepoint inside the same transaction
            assert cache.shared() is None
        transaction.set_rollback(True)

    # Rolled back: the next reader loads the committed rows, never the rolled-back one.
    assert cache.get() == ["الف"]
    with transaction.atomic():
        assert cache.shared() == ["الف"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_elsewhere_in_the_process_drops_the_copy(group_names):
    cache, loads = group_names
    group = Group.objects.create(name="الف")
    cache.get()

    group.name = "ج"
    group.save()

    assert cache.get() == ["ج"]
    assert len(loads) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clear_all_drops_every_copy(group_names):
    cache, loads = group_names
    cache.get()

    ProcessCache.clear_all()
    cache.get()

    assert len(loads) == 2
