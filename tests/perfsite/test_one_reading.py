"""perfsite.one_reading: roll-ups read once inside a reading, and a reading run again after a write conflict."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError, connection

from perfsite.one_reading import ATTEMPTS, ReadingConflict, conflicted, in_one_reading, one_reading, read_once, retrying


class Cause(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def database_error(kind, sqlstate):
    error = kind(f"SQLSTATE {sqlstate}")
    error.__cause__ = Cause(sqlstate)
    return error


@pytest.mark.parametrize(
    ("error", "again"),
    [
        (database_error(OperationalError, "40001"), True),  # serialization failure
        (database_error(OperationalError, "40P01"), True),  # deadlock
        (ReadingConflict("written by another transaction"), True),
        (database_error(OperationalError, "57014"), False),  # statement timeout: not a conflict
        (OperationalError("connection lost"), False),
        (database_error(IntegrityError, "23505"), False),  # the caller names a duplicate publish
        (ValueError("40001"), False),
    ],
)  # fmt: skip
def test_conflicted(error, again):
    assert conflicted(error) is again


def test_read_once_computes_every_time_outside_a_reading_and_once_inside():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert (read_once("k", compute), read_once("k", compute)) == (1, 2)
    assert not in_one_reading()
    with MemoOnly():
        assert in_one_reading()
        assert (read_once("k", compute), read_once("k", compute), read_once("other", compute)) == (3, 3, 4)
    assert not in_one_reading()
    assert read_once("k", compute) == 5


class MemoOnly:
    """one_reading's memo without its transaction, for the pure part above."""

    def __enter__(self):
        from perfsite import one_reading as module

        self.token = module._memo.set({})

    def __exit__(self, *exc):
        from perfsite import one_reading as module

        module._memo.reset(self.token)


@pytest.mark.django_db(transaction=True)
def test_a_conflict_runs_the_whole_reading_again_with_a_fresh_memo():
    seen, memo_values = [], []

    def work():
        seen.append(1)
        memo_values.append(read_once("rollup", lambda: len(seen)))
        if len(seen) < 3:
            raise database_error(OperationalError, "40001")
        return "published"

    assert retrying(work) == "published"
    assert memo_values == [1, 2, 3]  # each attempt read afresh
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_reading_that_keeps_conflicting_gives_up_after_its_attempts():
    seen = []

    def work():
        seen.append(1)
        raise ReadingConflict("again")

    with pytest.raises(ReadingConflict):
        retrying(work)
    assert len(seen) == ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_other_errors_are_not_retried():
    seen = []

    def work():
        seen.append(1)
        raise database_error(OperationalError, "57014")

    with pytest.raises(OperationalError):
        retrying(work)
    assert len(seen) == 1


@pytest.mark.django_db
def test_inside_a_transaction_already_open_a_conflict_is_left_to_it():
    seen = []

    def work():
        seen.append(1)
        raise ReadingConflict("again")

    with pytest.raises(ReadingConflict):
        retrying(work)
    assert len(seen) == 1


@pytest.mark.django_db(transaction=True)
def test_one_reading_is_one_transaction_at_repeatable_read_on_postgresql():
    with one_reading():
        assert connection.in_atomic_block
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "repeatable read"
    assert not connection.in_atomic_block
