"""Inserting many new rows and their history at COPY speed on PostgreSQL, for the imports' apply step.

Django's ``bulk_create`` spends most of a large import preparing each field of each row for a
multi-row INSERT; PostgreSQL's COPY takes the rows as they are. ``copy_create_with_history``
reserves the primary keys in one query, COPYs the rows into the model's table and their "+"
history rows into its django-simple-history table, so a 100,000-row import writes in two
statements; ``copy_update_with_history`` COPYs changed rows into a temporary staging table and
updates from it in one statement. Elsewhere (SQLite in development and tests) they are
django-simple-history's ``bulk_create_with_history`` and ``bulk_update_with_history``.

It runs inside the caller's transaction: all or nothing. A row the table refuses (a unique key
someone else wrote meanwhile, a check constraint) raises Django's ``IntegrityError`` as a
normal insert would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH = 2000


def copy_create_with_history(objs: Sequence[Model], model: type[Model], *, default_user=None) -> None:
    """Insert ``objs`` (unsaved) and one history row each; a row's ``_change_reason`` is its history reason."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(list(objs), model, batch_size=BATCH, default_user=default_user)
        return
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    now = timezone.now()
    stamped = [f for f in opts.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
    fields = list(opts.concrete_fields)
    _copy(opts.db_table, [f.column for f in fields], ([getattr(o, f.attname) for f in fields] for o in objs))
    _copy_history(objs, model, history_type="+", default_user=default_user, now=now)


def copy_update_with_history(objs: Sequence[Model], model: type[Model], fields: Sequence[str], *, default_user=None):
    """Write ``fields`` of the saved ``objs`` in one set-based UPDATE, with one "~" history row each.

    On PostgreSQL the rows are COPYed into a temporary staging table and the table is updated
    from it in one statement; elsewhere it is ``bulk_update_with_history``.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_update_with_history(list(objs), model, list(fields), batch_size=BATCH, default_user=default_user)
        return
    opts = model._meta
    now = timezone.now()
    stamped = [f for f in opts.concrete_fields if getattr(f, "auto_now", False)]
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
    columns = [opts.pk, *(opts.get_field(name) for name in fields), *(f for f in stamped if f.name not in fields)]
    quote = connection.ops.quote_name
    table, names = quote(opts.db_table), [quote(f.column) for f in columns]
    # Only the model's own quoted table and column names are interpolated, never input.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS perfsite_staging")
        cursor.execute(
            f"CREATE TEMP TABLE perfsite_staging ON COMMIT DROP AS SELECT {', '.join(names)} FROM {table} WITH NO DATA"  # noqa: S608  # nosec B608 - quoted model names
        )
    _copy("perfsite_staging", [f.column for f in columns], ([getattr(o, f.attname) for f in columns] for o in objs))
    assignments = ", ".join(f"{name} = s.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        key = names[0]
        cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM perfsite_staging s WHERE t.{key} = s.{key}")  # noqa: S608  # nosec B608 - quoted model names
        cursor.execute("DROP TABLE perfsite_staging")
    _copy_history(objs, model, history_type="~", default_user=default_user, now=now)


def _copy_history(objs, model, *, history_type: str, default_user, now) -> None:
    """One history row for each of ``objs`` as it now is, by COPY."""
    history = model.history.model
    user_id = getattr(default_user, "pk", None)
    fixed = {"history_date": now, "history_type": history_type, "history_user_id": user_id}
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]

    def history_row(obj):
        row = []
        for field in history_fields:
            if field.attname == "history_change_reason":
                row.append(getattr(obj, "_change_reason", None))
            elif field.attname in fixed:
                row.append(fixed[field.attname])
            else:
                row.append(getattr(obj, field.attname))
        return row

    _copy(history._meta.db_table, [f.column for f in history_fields], (history_row(o) for o in objs))


def _copy(table: str, columns: list[str], rows: Iterable[list]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
