"""Writing an import's rows as plain tuples: one COPY into a staging table, then set-based SQL, history included.

``copying`` takes model instances; building 100,000 of them costs more than the write itself, so
the large imports hand over tuples in the order of ``columns`` instead (issue 13). On PostgreSQL
the tuples are COPYed once into a temporary staging table, and everything else is set-based:

- ``insert_rows_with_history``: the rows go into the table and their "+" history rows into its
  django-simple-history table, each by one ``INSERT ... SELECT`` from the staging table.
- ``update_rows_with_history``: one ``UPDATE ... FROM`` the staging table, which writes only the
  rows that still differ from the file on the ``compare`` columns (compared under the row lock
  the UPDATE takes, so a row someone already put right is not written twice) and returns them
  into one ``INSERT`` of their "~" history rows.
- ``upsert_rows_with_history`` (PostgreSQL only): rows by a unique key, new, changed or as stored
  decided in one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` some column differs, the written
  rows returned into their "+" or "~" history rows in the same statement. A key someone else
  wrote meanwhile is updated, not refused.

Elsewhere (SQLite in development and tests) the same is done with model instances through
django-simple-history's bulk helpers, so both databases leave the same rows and history.
Everything runs inside the caller's transaction: all or nothing. A row the table refuses (a unique
key someone else wrote meanwhile, a check constraint) raises Django's ``IntegrityError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from perfsite.imports.copying import BATCH, _copy

STAGING = "perfsite_import_staging"
REASON = "perfsite_change_reason"  # the staging table's extra column: each row's history reason


def _stamped(model: type[Model], *, created: bool) -> list[str]:
    fields = model._meta.concrete_fields
    return [
        f.attname for f in fields if getattr(f, "auto_now", False) or (created and getattr(f, "auto_now_add", False))
    ]


def _stage(model: type[Model], columns: Sequence[str], rows, reasons, *, keyed: bool = False) -> None:
    """A temporary table shaped as ``columns`` of the model's table, plus each row's reason, filled by COPY.

    ``keyed``: the table also has the primary key, drawn from the model's sequence for each row.
    """
    opts, quote = model._meta, connection.ops.quote_name
    pk = quote(opts.pk.column)
    names = ", ".join([*([pk] if keyed else []), *(quote(opts.get_field(c).column) for c in columns)])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        # Only the model's own quoted table and column names are interpolated, never input.
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS SELECT {names} FROM {quote(opts.db_table)} WITH NO DATA"  # noqa: S608  # nosec B608
        )
        cursor.execute(f"ALTER TABLE {STAGING} ADD COLUMN {REASON} text")
        if keyed:
            # The sequence is looked up once: ``nextval(pg_get_serial_sequence(...))`` as the default
            # would repeat the catalogue look-up for every row COPYed (a second on 100,000 rows).
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [opts.db_table, opts.pk.column])
            (sequence,) = cursor.fetchone()
            cursor.execute(f"ALTER TABLE {STAGING} ALTER COLUMN {pk} SET DEFAULT nextval(%s::regclass)", [sequence])
    staged = [opts.get_field(c).column for c in columns]
    if reasons is None:
        _copy(STAGING, staged, rows)
    else:
        _copy(STAGING, [*staged, REASON], ([*row, reason] for row, reason in zip(rows, reasons, strict=True)))


def _history_columns(model: type[Model]) -> tuple[list[str], list[str]]:
    """The history table's columns copied from the model's row, and the history table's own columns."""
    history = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
    fields = [f for f in history._meta.concrete_fields if f.attname not in own]
    return [f.column for f in fields], ["history_date", "history_type", "history_user_id", "history_change_reason"]


def insert_rows_with_history(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    same: Mapping[str, object] | None = None,
    reasons: Sequence[str | None] | None = None,
    default_user=None,
) -> None:
    """Insert ``rows`` (values for ``columns``, attnames without the primary key) with one "+" history row each.

    ``same`` gives columns whose value is the same on every row (who wrote them, when); a column
    given by neither takes its field's default (``auto_now`` ones the time). Those travel once, as
    parameters of the SQL, rather than once a row through the COPY.
    """
    if not rows:
        return
    opts, quote = model._meta, connection.ops.quote_name
    pk, now = opts.pk, timezone.now()
    same = dict(same or {})
    stamped = set(_stamped(model, created=True))
    for field in opts.concrete_fields:
        if field is not pk and field.attname not in columns and field.attname not in same:
            same[field.attname] = now if field.attname in stamped else field.get_default()
    if connection.vendor != "postgresql":
        objs = []
        for index, row in enumerate(rows):
            obj = model(**dict(zip(columns, row, strict=True)), **same)
            if reasons is not None and reasons[index]:
                obj._change_reason = reasons[index]
            objs.append(obj)
        bulk_create_with_history(objs, model, batch_size=BATCH, default_user=default_user)
        return
    # One reason for every row (an import's file name) is a parameter too, not a staged column.
    reason = reasons[0] if reasons is not None and len(set(reasons)) == 1 else None
    varying = reasons if reasons is not None and reason is None else None
    # The staging table draws each row's key from the table's own sequence as it is COPYed, so the
    # keys never travel to Python and back; the rows and their history then share them.
    _stage(model, columns, rows, varying, keyed=True)
    column = {name: quote(opts.get_field(name).column) for name in [pk.attname, *columns, *same]}
    names = ", ".join(column[c] for c in [pk.attname, *columns, *same])
    select = ", ".join([*(column[c] for c in [pk.attname, *columns]), *("%s" for _ in same)])
    with connection.cursor() as cursor:
        # Only the model's own quoted table and column names are interpolated, never input.
        cursor.execute(
            f"INSERT INTO {quote(opts.db_table)} ({names}) SELECT {select} FROM {STAGING}",  # noqa: S608  # nosec B608
            list(same.values()),
        )
        # The staging table and ``same`` hold every column of the new rows, so their history is read from them.
        copied, own = _history_columns(model)
        by_column = {opts.get_field(name).column: value for name, value in same.items()}
        params = [by_column[c] for c in copied if c in by_column]
        history_select = ", ".join("%s" if c in by_column else quote(c) for c in copied)
        cursor.execute(
            f"INSERT INTO {quote(model.history.model._meta.db_table)} "  # noqa: S608  # nosec B608
            f"({', '.join(quote(c) for c in [*copied, *own])}) "
            f"SELECT {history_select}, %s, '+', %s, {REASON if varying is not None else '%s'} FROM {STAGING}",
            [*params, now, getattr(default_user, "pk", None), *([] if varying is not None else [reason])],
        )
        cursor.execute(f"DROP TABLE {STAGING}")


def update_rows_with_history(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    compare: Sequence[str],
    also: Mapping[str, object] | None = None,
    increment: Sequence[str] = (),
    reasons: Sequence[str | None] | None = None,
    default_user=None,
) -> set:
    """Write ``rows`` (the primary key, then values for ``columns``) over the stored rows, with a "~" history row each.

    Only rows that differ from the stored one on some ``compare`` column are written; each
    written row also takes ``also`` (the same values for every row, e.g. who changed it), its
    ``increment`` columns go up by one and its ``auto_now`` fields take the time. Returns the
    keys no longer in the table (removed since the file was checked), for the caller to decide.
    """
    if not rows:
        return set()
    also = dict(also or {})
    for name in _stamped(model, created=False):
        also.setdefault(name, timezone.now())
    if connection.vendor != "postgresql":
        return _update_with_orm(model, columns, rows, compare, also, increment, reasons, default_user)
    opts, quote = model._meta, connection.ops.quote_name
    pk = opts.pk
    # One reason for every row (an import's file name) is a parameter, not a staged column.
    same_reason = reasons is not None and len(set(reasons)) == 1
    varying = reasons if reasons is not None and not same_reason else None
    _stage(model, [pk.attname, *columns], rows, varying)
    column = {name: quote(opts.get_field(name).column) for name in [*columns, *also, *increment]}
    key = quote(pk.column)
    assignments = [f"{column[c]} = s.{column[c]}" for c in columns]
    assignments += [f"{column[c]} = %s" for c in also]
    assignments += [f"{column[c]} = t.{column[c]} + 1" for c in increment]
    differs = " OR ".join(f"t.{column[c]} IS DISTINCT FROM s.{column[c]}" for c in compare) or "TRUE"
    copied, own = _history_columns(model)
    reason = f"s.{REASON}" if varying is not None else "%s::text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH changed AS (UPDATE {quote(opts.db_table)} AS t SET {', '.join(assignments)} "  # noqa: S608  # nosec B608
            f"FROM {STAGING} s WHERE t.{key} = s.{key} AND ({differs}) "
            f"RETURNING {', '.join(f't.{quote(c)}' for c in copied)}, {reason} AS {REASON}) "
            f"INSERT INTO {quote(model.history.model._meta.db_table)} ({', '.join(quote(c) for c in [*copied, *own])}) "
            f"SELECT {', '.join(quote(c) for c in copied)}, %s, '~', %s, {REASON} FROM changed",
            [
                *also.values(),
                *([] if varying is not None else [reasons[0] if same_reason else None]),
                timezone.now(),
                getattr(default_user, "pk", None),
            ],
        )
        gone = set()
        if cursor.rowcount < len(rows):  # some rows were not written: as stored already, or removed meanwhile
            cursor.execute(
                f"SELECT s.{key} FROM {STAGING} s WHERE NOT EXISTS "  # noqa: S608  # nosec B608
                f"(SELECT 1 FROM {quote(opts.db_table)} t WHERE t.{key} = s.{key})"
            )
            gone = {found for (found,) in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {STAGING}")
    return gone


def _update_with_orm(model, columns, rows, compare, also, increment, reasons, default_user) -> set:
    stored = model.objects.select_for_update().in_bulk([row[0] for row in rows])
    written, touched = [], {*columns, *also, *increment}
    gone = set()
    for index, row in enumerate(rows):
        obj = stored.get(row[0])
        if obj is None:
            gone.add(row[0])
            continue
        wanted = dict(zip(columns, row[1:], strict=True))
        if compare and all(getattr(obj, name) == wanted[name] for name in compare):
            continue
        for name, value in [*wanted.items(), *also.items()]:
            setattr(obj, name, value)
        for name in increment:
            setattr(obj, name, getattr(obj, name) + 1)
        if reasons is not None and reasons[index]:
            obj._change_reason = reasons[index]
        written.append(obj)
    if written:
        bulk_update_with_history(written, model, sorted(touched), batch_size=BATCH, default_user=default_user)
    return gone


def upsert_rows_with_history(
    model: type[Model], key: str, columns: Sequence[str], rows: Sequence[Sequence], *, default_user=None
) -> tuple[int, int]:
    """PostgreSQL: write ``rows`` (a unique ``key``, then ``columns``) by the key, set-based; (created, updated).

    Which rows are new, changed or as stored is decided in SQL rather than by reading every stored
    row into Python first, and in one statement: ``INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE``
    some column differs. Each row costs one probe of the key's unique index, which the insert
    needs anyway; joining the staging table to the stored rows instead read the whole table once
    for the update and once more for the insert (a second each at a million cases, issue 13).
    A row as stored is neither written nor returned, so running the same rows twice changes
    nothing. The written rows go on into their history: "+" for a row inserted, which kept the key
    its staging row drew from the table's sequence, "~" for a stored row updated, which kept its
    own. Columns not given take their defaults.
    """
    if connection.vendor != "postgresql":
        raise NotImplementedError("upsert_rows_with_history is PostgreSQL's; elsewhere plan, then insert and update.")
    if not rows:
        return 0, 0
    opts, quote = model._meta, connection.ops.quote_name
    now = timezone.now()
    stamped = set(_stamped(model, created=True))
    rest = [f for f in opts.concrete_fields if f is not opts.pk and f.attname not in (key, *columns)]
    fixed = tuple(now if f.attname in stamped else f.get_default() for f in rest)
    staged = [key, *columns, *(f.attname for f in rest)]
    # Keyed: each staging row draws the key it would be inserted with (a stored row keeps its own).
    _stage(model, staged, ((*row, *fixed) for row in rows), None, keyed=True)
    with connection.cursor() as cursor:
        # The history joins the written rows back to the staging table. Unanalysed, the planner
        # guesses a third of its rows and 50 times the join's: it sorted both sides to disk and
        # compiled the plan (JIT) where a hash join in memory does (issue 13).
        cursor.execute(f"ANALYZE {STAGING}")
    table, history = quote(opts.db_table), quote(model.history.model._meta.db_table)
    pk = quote(opts.pk.column)
    name = {attname: quote(opts.get_field(attname).column) for attname in staged}
    copied, own = _history_columns(model)
    into = ", ".join(quote(c) for c in [*copied, *own])
    differs = " OR ".join(f"t.{name[c]} IS DISTINCT FROM EXCLUDED.{name[c]}" for c in columns)
    touched = [f"{name[c]} = EXCLUDED.{name[c]}" for c in columns]
    stamps = [c for c in _stamped(model, created=False) if c not in columns]
    touched += [f"{quote(opts.get_field(c).column)} = %s" for c in stamps]
    values = ", ".join([pk, *(name[c] for c in staged)])
    with connection.cursor() as cursor:
        # Only the model's own quoted table and column names are interpolated, never input.
        cursor.execute(
            f"WITH written AS (INSERT INTO {table} AS t ({values}) SELECT {values} FROM {STAGING} "  # noqa: S608  # nosec B608
            f"ON CONFLICT ({name[key]}) DO UPDATE SET {', '.join(touched)} WHERE {differs} "
            f"RETURNING {', '.join(f't.{quote(c)}' for c in copied)}), "
            f"logged AS (INSERT INTO {history} ({into}) "
            f"SELECT {', '.join(f'w.{quote(c)}' for c in copied)}, %s, "
            f"CASE WHEN s.{pk} IS NULL THEN '~' ELSE '+' END, %s, NULL "
            f"FROM written w LEFT JOIN {STAGING} s ON s.{pk} = w.{pk} RETURNING history_type) "
            "SELECT count(*) FILTER (WHERE history_type = '+'), count(*) FILTER (WHERE history_type = '~') FROM logged",
            [*(now for _ in stamps), now, getattr(default_user, "pk", None)],
        )
        created, updated = cursor.fetchone()
        cursor.execute(f"DROP TABLE {STAGING}")
    return created, updated
