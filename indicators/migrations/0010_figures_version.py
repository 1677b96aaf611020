"""The figures' version (``indicators.figures_version``), on PostgreSQL only.

A one-row table that a trigger updates before every statement writing indicators or their values,
so a cached aggregate of them is keyed on something every write changes, in the write's own
transaction. SQLite (development) computes those aggregates each time and needs none of it.
"""

from django.db import migrations

TABLES = ("indicators_indicator", "indicators_indicatorvalue")

CREATE = [
    "CREATE SEQUENCE indicators_figures_change",
    """CREATE TABLE indicators_figures_version (
           id smallint PRIMARY KEY CHECK (id = 1),
           writer bigint NOT NULL,
           change bigint NOT NULL
       )""",
    "INSERT INTO indicators_figures_version VALUES (1, txid_current(), nextval('indicators_figures_change'))",
    # txid_current(): the writing transaction's id, never reused in the cluster; nextval: a new
    # number for each statement, never given twice even when the write is rolled back.
    """CREATE FUNCTION indicators_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           UPDATE indicators_figures_version
              SET writer = txid_current(), change = nextval('indicators_figures_change')
            WHERE id = 1;
           RETURN NULL;
       END $$""",
    *(
        f"""CREATE TRIGGER indicators_figures_changed
               BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
               FOR EACH STATEMENT EXECUTE FUNCTION indicators_figures_changed()"""
        for table in TABLES
    ),
]

DROP = [
    *(f"DROP TRIGGER IF EXISTS indicators_figures_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS indicators_figures_changed()",
    "DROP TABLE IF EXISTS indicators_figures_version",
    "DROP SEQUENCE IF EXISTS indicators_figures_change",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_import_batch_checking"),
    ]

    operations = [migrations.RunPython(create, drop)]
