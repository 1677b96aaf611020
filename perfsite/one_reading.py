"""One reading of the records: every figure a publish freezes comes from the same state of the database.

A published scorecard shows some figures twice: the audit panel's headline and the Appendix 3 row
``CASE AUDIT 1``, the caseload panel's month and the ``CASELOAD`` rows. Publishing recomputes the
computed rows and then builds the panels; if a moderation or a return committed between those
reads, the two would disagree. Two things make that impossible:

- ``read_once``: inside ``one_reading`` a roll-up is computed once (by its key) and both the
  computed indicator's figure and the panel are built from that one result, whatever the database
  does meanwhile;
- ``one_reading`` is one transaction in which, on PostgreSQL, every read sees the database as it
  was at the first one (REPEATABLE READ), so the other figures (previous quarter, trend) agree too.
  SQLite serialises writers, so its transactions already read one state.

A REPEATABLE READ transaction that writes a row another transaction changed after its first read
fails rather than overwrite it; ``conflicted`` recognises that failure, so the caller can run the
whole reading again, against the newer state (``retrying``). See docs/scorecards.md ("One route").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

T = TypeVar("T")

# PostgreSQL's SQLSTATEs for "run it again": serialization failure and deadlock.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
ATTEMPTS = 5

_memo: ContextVar[dict | None] = ContextVar("perfsite_one_reading", default=None)


class ReadingConflict(Exception):
    """Another transaction wrote what this reading was about to write, after this reading began."""


def conflicted(error: BaseException) -> bool:
    """Whether ``error`` means "another transaction got there first: run the reading again"."""
    if isinstance(error, ReadingConflict):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES or getattr(cause, "pgcode", None) in (
        RETRYABLE_SQLSTATES
    )


def in_one_reading() -> bool:
    return _memo.get() is not None


def read_once(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` inside ``one_reading``; outside one, every time."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def one_reading(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction whose reads all see one state of the database, with roll-ups read once.

    Nested in a transaction already open (a test's, or a caller's), the outer transaction has
    already chosen how it reads; roll-ups are still read once.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    token = _memo.set({}) if _memo.get() is None else None
    try:
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Must be the transaction's first statement: it fixes the snapshot at the next read.
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        if token is not None:
            _memo.reset(token)


def retrying(work: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS, attempts: int = ATTEMPTS) -> T:
    """``work()`` inside ``one_reading``, run again from the start (a new snapshot) after a conflict.

    Inside a transaction already open a conflict is not retried: the outer transaction is the one
    that would have to start again.
    """
    outermost = not connections[using].in_atomic_block
    for attempt in range(1, attempts + 1):
        try:
            with one_reading(using):
                return work()
        except (OperationalError, ReadingConflict) as error:
            if not (outermost and conflicted(error)) or attempt == attempts:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
