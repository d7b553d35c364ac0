import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from peygir.catalog.models import MessageType
from peygir.core.db import compare_and_swap, deferred_inserts, execute_after_deferred, insert_row


@pytest.mark.django_db
def test_insert_row_writes_what_save_would():
    row = insert_row(MessageType(code="test-type", name="آزمایشی", name_en="Test", order=9))
    assert row.pk is not None
    assert row._state.adding is False
    stored = MessageType.objects.get(pk=row.pk)
    assert (stored.code, stored.name, stored.name_en, stored.order) == ("test-type", "آزمایشی", "Test", 9)


@pytest.mark.django_db
def test_compare_and_swap_changes_only_a_row_that_still_matches():
    row = MessageType.objects.create(code="cas", name="الف", name_en="A", order=1)
    assert compare_and_swap(MessageType, pk=row.pk, expected={"order": 1}, changes={"order": 2}) is True
    assert compare_and_swap(MessageType, pk=row.pk, expected={"order": 1}, changes={"order": 3}) is False
    assert MessageType.objects.get(pk=row.pk).order == 2


def _codes() -> list[str]:
    return sorted(MessageType.objects.filter(code__startswith="deferred-").values_list("code", flat=True))


def _type(code: str) -> MessageType:
    return MessageType(code=f"deferred-{code}", name="آزمایشی", name_en="Test", order=9)


@pytest.mark.django_db
def test_deferred_rows_wait_for_the_next_statement_then_go_in_one():
    with transaction.atomic(), deferred_inserts():
        insert_row(_type("a"), defer=True)
        insert_row(_type("b"), defer=True)
        assert _codes() == []
        with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
            execute_after_deferred(cursor, "SELECT %s", [7])
            assert cursor.fetchone() == (7,)
        assert _codes() == ["deferred-a", "deferred-b"]
    # PostgreSQL: the two INSERTs ride on the SELECT; elsewhere one statement each.
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)


@pytest.mark.django_db
def test_rows_still_waiting_are_written_when_the_block_ends():
    with transaction.atomic(), deferred_inserts():
        row = insert_row(_type("a"), defer=True)
        with deferred_inserts():  # nested: the outer block writes
            insert_row(_type("b"), defer=True)
        assert _codes() == []
    assert _codes() == ["deferred-a", "deferred-b"]
    assert row.pk is None and row._state.adding is False


@pytest.mark.django_db
def test_a_block_that_raises_writes_nothing_more_and_stops_deferring():
    with pytest.raises(ZeroDivisionError), transaction.atomic(), deferred_inserts():
        insert_row(_type("a"), defer=True)
        1 / 0  # noqa: B018
    assert _codes() == []
    # Outside any block, defer=True writes at once and sets the key.
    row = insert_row(_type("b"), defer=True)
    assert row.pk is not None and _codes() == ["deferred-b"]
