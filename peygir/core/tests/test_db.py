import pytest

from peygir.catalog.models import MessageType
from peygir.core.db import compare_and_swap, insert_row


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
