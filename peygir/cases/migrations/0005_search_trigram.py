"""A trigram index on search_text (PostgreSQL only): the kartable search is ``search_text LIKE
'%word%'``, which pg_trgm's GIN operator class answers without reading every case in scope.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. SQLite keeps
scanning (the embedded default holds far fewer cases).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cases_case_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_kartable_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
