"""Count the tallies of the returns submitted before tallies existed, so the roll-ups read them from the start."""

from django.db import migrations


def count_tallies(apps, schema_editor):
    from caseloads.tallies import insert_tallies

    insert_tallies(
        returns=None,
        line_model=apps.get_model("caseloads", "CaseloadLine"),
        tally_model=apps.get_model("caseloads", "CaseloadTally"),
    )


class Migration(migrations.Migration):
    dependencies = [("caseloads", "0007_caseload_tallies")]

    operations = [migrations.RunPython(count_tallies, migrations.RunPython.noop)]
