"""Keeping the caseload tallies (``CaseloadTally``) equal to the submitted returns' lines.

Every writer that changes a submitted return or its lines, or moves a return into or out of
submitted, calls ``refresh_tallies`` in the same transaction, after its writes and while it holds
the returns' row locks (the services lock them with ``select_for_update``): the submit and reopen
services, the caseload import, the demo loader and the admin. A refresh is two set-based
statements whatever the number of returns: delete their tallies, then count their lines under the
counting rules in one ``INSERT ... SELECT ... GROUP BY``. A return that is not submitted, or has
no line with cases, gets no tally, exactly as the roll-ups over the lines leave it out.

``line_figures`` is the same counting as database aggregates over lines: the refresh writes it,
and the roll-ups fall back to it (``caseloads.rollups``) for tallies counted under other rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from caseloads import conf, counting
from caseloads.models import CaseloadLine, CaseloadTally, ReturnStatus
from caseloads.models.tallies import BAND_FIELDS

__all__ = [
    "FIGURES",
    "counted_lines",
    "insert_tallies",
    "line_figures",
    "rebuild_tallies",
    "refresh_tallies",
    "stale_tallies",
    "tally_rules",
]

# The tally's figures, in the order the refresh selects them.
FIGURES = ("counted_staff", "excluded_staff", "counted_wte_hundredths", "counted_cases", "over_optimum")


def tally_rules() -> str:
    """The settings a tally's figures depend on; a tally with other rules was counted under other settings."""
    bounds = ",".join(str(bound) for bound in conf.band_upper_bounds())
    return f"optimum {conf.optimum()}; bands {bounds}"


def counted_lines(*, returns=None, line_model=CaseloadLine) -> QuerySet:
    """Submitted returns' lines with cases entered, annotated with the counting rules' figures."""
    lines = line_model.objects.filter(caseload_return__status=ReturnStatus.SUBMITTED, cases__isnull=False)
    if returns is not None:
        lines = lines.filter(caseload_return__in=returns)
    return counting.annotate_counting(lines)


def line_figures(bands: list[counting.Band]) -> dict:
    """The figures of a group of counted lines as aggregates (annotate a grouped ``counted_lines``)."""
    counted = counting.counted_line_q()
    zero = Value(0, output_field=IntegerField())
    figures = {
        "counted_staff": Count("pk", filter=counted),
        "excluded_staff": Count("pk", filter=~counted),
        "counted_wte_hundredths": Coalesce(Sum("counting_wte_h", filter=counted), zero),
        "counted_cases": Coalesce(Sum("cases", filter=counted), zero),
        "over_optimum": Count("pk", filter=counting.over_optimum_q()),
    }
    for field, band in zip(BAND_FIELDS, bands, strict=False):
        figures[field] = Count("pk", filter=counting.band_q(band))
    return figures


def _return_ids(returns) -> QuerySet | list[int]:
    if isinstance(returns, QuerySet):
        return returns.values("pk")
    return sorted({getattr(r, "pk", r) for r in returns})


def refresh_tallies(*, returns: Iterable | QuerySet) -> None:
    """Recount the tallies of ``returns`` (ids, returns or a queryset of returns) from their lines.

    Call it after writing, in the writer's transaction, holding the returns' row locks.
    """
    ids = _return_ids(returns)
    if isinstance(ids, list) and not ids:
        return
    # Both statements or neither; no savepoint, as the writer's transaction rolls back whole on failure.
    with transaction.atomic(savepoint=False):
        CaseloadTally.objects.filter(caseload_return__in=ids).delete()
        insert_tallies(returns=ids)


def rebuild_tallies() -> int:
    """Recount every tally from the lines (after changing the optimum or the bands); returns how many there are."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The rebuild waits for refreshes in flight to commit, and later ones wait for it, so no two
            # transactions ever insert the same return's tally.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {CaseloadTally._meta.db_table} IN EXCLUSIVE MODE")
        CaseloadTally.objects.all().delete()
        insert_tallies(returns=None)
        return CaseloadTally.objects.count()


def stale_tallies() -> bool:
    """True when some tally was counted under other settings (the roll-ups count from the lines until rebuilt)."""
    return CaseloadTally.objects.exclude(rules=tally_rules()).exists()


def insert_tallies(*, returns, line_model=CaseloadLine, tally_model=CaseloadTally) -> None:
    """Count ``returns`` (None: all) into tallies they do not have yet; the models may be a migration's."""
    bands = counting.bands()
    figures = line_figures(bands)
    grouped = (
        counted_lines(returns=returns, line_model=line_model)
        .values("caseload_return_id", "caseload_return__team_id", "caseload_return__month")
        .annotate(rules=Value(tally_rules()), **figures)
        .order_by()
    )
    select_sql, params = grouped.query.sql_with_params()
    # A grouped values() select lists its fields, then its annotations in the order given.
    columns = ["caseload_return_id", "team_id", "month", "rules", *figures]
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(tally_model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) {select_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
