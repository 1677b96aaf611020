"""The population a random round was drawn from: its strata, counted once at the draw and kept.

A random round's sample is tested (``audits.representativeness``) against the cases open on its
sampling date, by team, case type and time open on that date. Those cases are the list the sample
was drawn from, so they are counted in the transaction that draws the round, with how many of each
stratum were drawn, and stored as ``RoundPopulation`` rows. The check then reads one row per stratum
whatever the size of the case list, and a later correction to a case (its team, type or dates)
does not change the population a drawn sample is tested against. Rules: docs/audits.md, "Is the
sample representative?"; why: docs/decisions/0009-sample-population-frozen-at-draw.md.

``freeze_population`` is one ``INSERT ... SELECT ... GROUP BY`` per dimension over the open cases;
nothing is counted in Python.
"""

from __future__ import annotations

import calendar
import datetime

from django.apps import apps as installed_apps
from django.db import connection, transaction
from django.db.models import Case as Choose
from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from audits.choices import PopulationDimension
from audits.models import open_on_q

# Time open on the sampling date: (key, label, opened within this many months).
TIME_OPEN_BANDS = (
    ("under_3_months", "Under 3 months", 3),
    ("3_to_12_months", "3 to 12 months", 12),
    ("1_to_2_years", "1 to 2 years", 24),
    ("over_2_years", "Over 2 years", None),
)

_COLUMNS = ("round_id", "dimension", "stratum", "open_cases", "sampled", "counted_at")


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def time_open_band(opened_on: datetime.date, on: datetime.date) -> str:
    """The band of a case opened on ``opened_on`` that is still open on ``on``."""
    for key, _label, months in TIME_OPEN_BANDS:
        if months is None or opened_on > months_before(on, months):
            return key
    raise AssertionError("the last band is open-ended")


def band_expression(on: datetime.date) -> Choose:
    """``time_open_band`` as a database expression over a case's ``opened_on``."""
    whens = [
        When(opened_on__gt=months_before(on, months), then=Value(key))
        for key, _label, months in TIME_OPEN_BANDS
        if months is not None
    ]
    return Choose(*whens, default=Value(TIME_OPEN_BANDS[-1][0]), output_field=CharField())


def _stratum(dimension: str, on: datetime.date):
    if dimension == PopulationDimension.TEAM:
        return F("team__name")
    if dimension == PopulationDimension.CASE_TYPE:
        return F("case_type")
    return band_expression(on)


def stratum_counts(*, round_id: int, on: datetime.date, dimension: str, apps=None) -> QuerySet:
    """One GROUP BY over the cases open on ``on``: per stratum of ``dimension``, the open cases and how
    many of them are in round ``round_id`` (columns ``g_stratum, open_cases, sampled``)."""
    apps = apps or installed_apps
    case_model, audit_model = apps.get_model("audits", "Case"), apps.get_model("audits", "Audit")
    drawn = Exists(audit_model._base_manager.filter(round_id=round_id, case_id=OuterRef("pk")))
    return (
        case_model._base_manager.filter(open_on_q(on))
        .values(g_stratum=_stratum(dimension, on))
        .annotate(open_cases=Count("pk"), sampled=Count("pk", filter=drawn))
        .order_by()
    )


def freeze_population(*, round_id: int, on: datetime.date, apps=None, replace: bool = False) -> None:
    """Count round ``round_id``'s population on its sampling date ``on`` from the case list as it stands,
    with its sampled cases, and store it: one INSERT ... SELECT per dimension.

    Call it in the draw's transaction, after the round's audits are written. ``replace`` recounts a
    round already counted (only the benchmark generator, whose cases arrive after the demo's draw);
    otherwise a round already counted is left as it is, no stratum added or changed (and two first checks
    at once, both counting the same list, write its rows once)."""
    apps = apps or installed_apps
    table = connection.ops.quote_name(apps.get_model("audits", "RoundPopulation")._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    counted_at = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if replace:
            cursor.execute(f"DELETE FROM {table} WHERE round_id = %s", [round_id])  # noqa: S608 - the model's table  # nosec B608
        else:
            cursor.execute(f"SELECT 1 FROM {table} WHERE round_id = %s LIMIT 1", [round_id])  # noqa: S608 - as above  # nosec B608
            if cursor.fetchone() is not None:
                return
        for dimension in PopulationDimension.values:
            counts = stratum_counts(round_id=round_id, on=on, dimension=dimension, apps=apps)
            sql, params = counts.query.sql_with_params()
            # The constants go outside the GROUP BY; "WHERE true" keeps SQLite from reading ON CONFLICT as a join.
            cursor.execute(
                f"INSERT INTO {table} ({names}) "  # noqa: S608 - the model's own table and columns  # nosec B608
                f"SELECT %s, %s, counted.g_stratum, counted.open_cases, counted.sampled, %s FROM ({sql}) counted "
                "WHERE true ON CONFLICT DO NOTHING",
                [round_id, dimension, counted_at, *params],
            )
