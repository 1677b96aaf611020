from django.db import migrations

# The two tables a bulk import rewrites whole files of (issue 13): a values file revising every
# figure (provisional to final) and the case extract re-imported with its changes. An update
# whose indexed columns stay the same is "HOT" when its page has room for the new version: no
# index entry is written. At PostgreSQL's default fillfactor of 100 the pages a file's rows were
# inserted into are full, so updating all 100,000 of them wrote a new entry in each of the
# table's five indexes for every row (2.3 million buffer hits for the figures, 2.7 million for
# the cases, two to four times the update's time). At 50 a page keeps room for a new version
# of each of its rows, so such a file updates in place. Only pages written from now on are
# filled to 50%: existing rows stay where they are until the table is rewritten. The price is
# that new pages hold half as many rows, so a query reading either table whole reads up to twice
# the pages for them; the pages' reads of figures and cases go by index.
TABLES = ("indicators_indicatorvalue", "audits_case")
FILLFACTOR = 50


def lower_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def default_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("perfsite", "0001_role_groups"),
        ("indicators", "0009_import_batch_checking"),
        ("audits", "0008_worklist_indexes"),
    ]

    operations = [migrations.RunPython(lower_fillfactor, default_fillfactor)]
