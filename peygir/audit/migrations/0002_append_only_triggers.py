"""Make audit_auditentry append-only in the database itself: UPDATE and DELETE are refused.

TRUNCATE is deliberately left alone on PostgreSQL: it needs the table owner's rights, and Django's
``flush`` (used between transactional tests) relies on it. Production should run the application
under a role that does not own the table.
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()
    """,
    """
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse()",
]


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"no append-only triggers written for the {vendor!r} database")
    for statement in statements_by_vendor[vendor]:
        # No parameters: the plpgsql body holds a literal "%".
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
