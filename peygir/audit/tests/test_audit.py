from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from peygir.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry
from peygir.audit.selectors import BROKEN_LINK, HASH_MISMATCH, audit_for_object, audit_verify
from peygir.audit.services import audit_record

User = get_user_model()
CASE_ID = "5f0c6a52-8d36-4e0b-9a51-0b7f3d1c2e44"


def _record_chain(count: int, actor=None) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit_record(
                actor=actor,
                action="case.refer",
                object_type="cases.case",
                object_id=CASE_ID,
                before={"unit": f"منطقه {n}"},
                after={"unit": f"منطقه {n + 1}"},
            )
            for n in range(count)
        ]


def _disable_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")


@pytest.mark.django_db
def test_a_chain_of_entries_verifies():
    _record_chain(4)

    assert audit_verify() == audit_verify(batch_size=2)
    result = audit_verify(batch_size=3)
    assert (result.ok, result.checked, result.broken_id, result.reason) == (True, 4, None, "")


@pytest.mark.django_db
def test_each_entry_holds_the_hash_of_the_one_before():
    first, second, third = _record_chain(3)

    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    stored = AuditEntry.objects.get(pk=second.pk)
    assert stored.compute_hash() == second.hash


@pytest.mark.django_db
def test_an_empty_trail_verifies():
    result = audit_verify()

    assert (result.ok, result.checked) == (True, 0)


@pytest.mark.django_db
def test_the_actor_is_kept_as_id_and_username():
    officer = User.objects.create_user(username="audit_officer", display_name="مریم رضایی")

    with transaction.atomic():
        by_user = audit_record(
            actor=officer, action="case.assign", object_type="cases.case", object_id=CASE_ID
        )
        by_system = audit_record(
            actor=None, action="case.escalate", object_type="cases.case", object_id=CASE_ID
        )
        by_job = audit_record(
            actor="sla-scan", action="case.warn", object_type="cases.case", object_id=CASE_ID
        )

    assert (by_user.actor_id, by_user.actor_label) == (officer.pk, "audit_officer")
    assert (by_system.actor_id, by_system.actor_label) == (None, "system")
    assert (by_job.actor_id, by_job.actor_label) == (None, "sla-scan")


@pytest.mark.django_db
def test_a_changed_row_is_caught_at_exactly_that_entry():
    entries = _record_chain(4)
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"unit": "منطقه ۲۲"}', entries[1].pk]
        )

    result = audit_verify()

    assert (result.ok, result.checked, result.broken_id, result.reason) == (
        False,
        1,
        entries[1].pk,
        HASH_MISMATCH,
    )
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit")
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        f"BROKEN: entry {entries[1].pk}: hash_mismatch (1 entries verified before it)"
    )


@pytest.mark.django_db
def test_a_removed_middle_row_breaks_the_link_of_the_next():
    entries = _record_chain(4)
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])

    result = audit_verify(batch_size=1)

    assert (result.ok, result.checked, result.broken_id, result.reason) == (
        False,
        1,
        entries[2].pk,
        BROKEN_LINK,
    )


@pytest.mark.django_db
def test_verify_audit_command_reports_ok(capsys):
    _record_chain(3)

    call_command("verify_audit")

    assert capsys.readouterr().out == "OK: 3 entries verified\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET action = 'case.close' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(statement):
    entry = _record_chain(1)[0]

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])

    assert AuditEntry.objects.get().action == "case.refer"


@pytest.mark.django_db
def test_the_model_refuses_change_and_removal():
    entry = _record_chain(1)[0]
    entry.action = "case.close"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="case.close")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "case.refer"


@pytest.mark.django_db
def test_rich_values_round_trip_and_verify():
    tehran = ZoneInfo("Asia/Tehran")
    ref = uuid.UUID(CASE_ID)
    with transaction.atomic():
        entry = audit_record(
            actor=None,
            action="case.update",
            object_type="cases.case",
            object_id=ref,  # type: ignore[arg-type]
            before={"resolve_by": dt.datetime(2025, 3, 20, 23, 59, 58, 123456, tzinfo=tehran), "fine": None},
            after={
                "resolve_by": dt.datetime(2025, 3, 21, 8, 0, tzinfo=dt.UTC),
                "due": dt.date(2025, 3, 21),
                "stake": Decimal("1250000.50"),
                "ref": ref,
                "ratio": 0.1,
                "big": 1e20,
                "small": 1.5e-9,
                "tags": ["فوری", "ویژه"],
                "nested": {"b": 1, "a": [True, None]},
            },
            ip="2001:db8:0:0:0:0:0:1",
        )

    stored = AuditEntry.objects.get()
    assert stored.object_id == CASE_ID
    assert stored.ip == "2001:db8::1"
    assert stored.before == {"resolve_by": "2025-03-20T20:29:58.123456+00:00", "fine": None}
    assert stored.after == {
        "resolve_by": "2025-03-21T08:00:00.000000+00:00",
        "due": "2025-03-21",
        "stake": "1250000.50",
        "ref": CASE_ID,
        "ratio": 0.1,
        "big": 100000000000000000000,
        "small": 1.5e-9,
        "tags": ["فوری", "ویژه"],
        "nested": {"b": 1, "a": [True, None]},
    }
    assert stored.created_at == entry.created_at
    assert stored.hash == entry.hash == stored.compute_hash()
    assert audit_verify().ok is True


@pytest.mark.django_db
def test_an_audit_failure_rolls_the_mutation_back():
    with pytest.raises(TypeError), transaction.atomic():
        User.objects.create_user(username="citizen")
        audit_record(
            actor=None,
            action="user.create",
            object_type="accounts.user",
            object_id="1",
            after={"x": object()},
        )

    assert User.objects.filter(username="citizen").exists() is False
    assert AuditEntry.objects.exists() is False


@pytest.mark.django_db
def test_an_invalid_ip_is_refused():
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(
            actor=None, action="case.view", object_type="cases.case", object_id=CASE_ID, ip="not-an-ip"
        )


@pytest.mark.django_db
def test_audit_for_object_lists_that_objects_entries_oldest_first():
    entries = _record_chain(2)
    with transaction.atomic():
        audit_record(actor=None, action="case.refer", object_type="cases.case", object_id="other")

    assert list(audit_for_object("cases.case", CASE_ID)) == entries


@pytest.mark.django_db
def test_the_admin_is_read_only(admin_client):
    entry = _record_chain(1)[0]

    assert admin_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    response = admin_client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.get().action == "case.refer"


# Transactional: pytest-django otherwise wraps every test in a transaction, and these two are about
# what happens outside one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_outside_a_transaction_raises():
    with pytest.raises(transaction.TransactionManagementError):
        audit_record(actor=None, action="case.refer", object_type="cases.case", object_id=CASE_ID)

    assert AuditEntry.objects.exists() is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_trail_and_keeps_it_append_only():
    _record_chain(2)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEntry.objects.exists() is False
    entry = _record_chain(1)[0]
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


@pytest.mark.django_db
def test_text_that_json_escapes_hashes_the_same_in_the_database_and_here():
    # On PostgreSQL the entry's hash is computed by the INSERT itself (services._insert_chained).
    awkward = 'نقل «قول» "دوتایی" \\ بک‌اسلش\nخط نو\t\u200c\u0001 😀 </script>'
    with transaction.atomic():
        first = audit_record(actor=awkward, action="x", object_type="t", object_id=awkward[:60])
        second = audit_record(
            actor=None, action="y", object_type="t", object_id="2", after={awkward: [awkward]}
        )

    stored = list(AuditEntry.objects.order_by("id"))
    assert [entry.hash for entry in stored] == [first.hash, second.hash]
    assert [entry.compute_hash() for entry in stored] == [first.hash, second.hash]
    assert (stored[0].prev_hash, stored[1].prev_hash) == (GENESIS_HASH, first.hash)
    assert audit_verify().ok is True
