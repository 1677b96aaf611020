"""Aggregates of the indicators' figures kept in the cache until a figure or an indicator changes.

The quarter page's RAG totals rate every active indicator's headline figure (``quarter_page.TOTALS_SQL``),
the largest part of the page's time at 2,000 indicators, and they change only when an indicator or
one of its values does. So the totals are cached, keyed on the **figures' version**: on PostgreSQL
a one-row table (migration ``0010_figures_version``) that a trigger updates *before every statement*
that inserts, updates, deletes or truncates rows of ``indicators_indicator`` or
``indicators_indicatorvalue``, in that statement's own transaction. Every write is seen, whoever
makes it: the services, the bulk imports (COPY included), the recompute task, Django admin, raw
SQL, retention. A cached figure can therefore never be stale:

- the version is read first, the aggregate after it. A reader who later finds that version
  current has seen no commit since it became current, so the cached rows are those of its own
  moment (or, computed a little later, of a newer one), never an older one;
- a writer's version becomes visible with its figures, at its commit, never before; a
  transaction reading its own uncommitted writes sees its own version, which nobody else can;
- a version is never reused: it is the writing transaction's id (unique in the database
  cluster's life, so a database dropped and made again, or restored from a dump, does not bring
  back an old key) and a sequence number (sequences never roll back, so a rolled-back write's
  number is not given twice, and a transaction's later statements get new numbers). The
  database's name is in the key too, so two databases sharing one cache never meet.

The trigger takes the version row's lock at a transaction's first write of figures, so two
transactions writing figures at the same time run one after the other from that point (an import
and a hand edit at once: the edit waits for the import's commit). Taking it before the statement
rather than after means a writer waits before it has changed any figure, so two writers do not
deadlock over each other's rows; a service that locks a row with ``select_for_update`` before it
writes takes the lock first (``claim_writes``), so the lock order is the same everywhere.

On SQLite (development) there is no version: the totals come from the rows in Python each time.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection

VERSION_SQL = "SELECT writer, change FROM indicators_figures_version WHERE id = 1"
CLAIM_SQL = "SELECT 1 FROM indicators_figures_version WHERE id = 1 FOR UPDATE"
MOVE_SQL = (
    "UPDATE indicators_figures_version SET writer = txid_current(), change = nextval('indicators_figures_change') "
    "WHERE id = 1"
)
# Superseded versions are never read again; a day bounds the space they take until the cache drops them.
KEEP_SECONDS = 24 * 60 * 60


def cached_rows(name: str, sql: str, params: dict) -> list[tuple]:
    """The rows of ``sql`` (an aggregate over indicators and their values only), from the cache when
    no indicator or value has changed since they were counted. PostgreSQL only.

    Two queries when the rows are counted, one (the version) when they come from the cache.
    ``params`` must hold everything besides the figures that the rows depend on (settings included).
    """
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        writer, change = cursor.fetchone()
        key = _key(name, sql, params, f"{writer}.{change}")
        found = cache.get(key)
        if found is not None:
            return found
        # After the version, never before: see the module's docstring.
        cursor.execute(sql, params)
        rows = [tuple(row) for row in cursor.fetchall()]
    cache.set(key, rows, KEEP_SECONDS)
    return rows


def claim_writes() -> None:
    """Take the figures' write lock now, before locking any indicator or value row (PostgreSQL).

    Every statement writing figures takes it first (the trigger runs before the statement), so a
    service that locks a row with ``select_for_update`` and writes figures later must take it first
    too: locks taken in one order everywhere never deadlock (an edit and an import of the same
    figure at once queue instead of one being cancelled). It writes nothing, so a service that ends
    up changing nothing leaves the cached aggregates valid. Inside a transaction only.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL)


def move_after_migrating(*, using: str, **kwargs) -> None:
    """A ``post_migrate`` receiver: a new version after every ``migrate``.

    A migration can change figures without writing rows through a statement the trigger sees (a
    column's type changed with ``ALTER TABLE``, which may round every value), and the cache outlives a
    deploy (Redis): so every migrate moves the version and no aggregate counted before it is read after.
    """
    from django.db import connections

    target = connections[using]
    if target.vendor != "postgresql" or "indicators_figures_version" not in target.introspection.table_names():
        return
    with target.cursor() as cursor:
        cursor.execute(MOVE_SQL)


def _key(name: str, sql: str, params: dict, version: str) -> str:
    # The SQL is in it too: a release that counts differently never reads the last one's rows.
    described = repr((connection.settings_dict["NAME"], sql, sorted(params.items())))
    return f"indicators:figures:{name}:{version}:{hashlib.sha256(described.encode()).hexdigest()[:32]}"
