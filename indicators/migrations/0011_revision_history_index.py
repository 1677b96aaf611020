"""An index of only the history rows that record a DfE revision, by when they were recorded.

Every published scorecard page asks how many revisions were recorded since the quarter was published
(``scorecards.revisions.revision_marker_sql``). Without this index that scans every history row since
publication, which grows with every figure imported afterwards; with it, only the revisions, which
are few. The condition repeats the marker's own (the same reason prefix and series, in the same
order) so the planner can see that the query implies it; ``tests/scorecards/test_revisions.py``
checks that they agree.
"""

from django.db import migrations

INDEX = "indicators_hist_value_revision_date"
CONDITION = (
    "history_change_reason LIKE 'Revised by DfE%' "
    "AND series IN ('actual', 'national', 'regional', 'statistical_neighbours')"
)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0010_figures_version")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON indicators_historicalindicatorvalue (history_date) WHERE {CONDITION}",
            f"DROP INDEX {INDEX}",
        )
    ]
