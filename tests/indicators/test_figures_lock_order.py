"""An officer's correction and another write of the same figure at once queue; neither is cancelled.

Every statement writing figures takes the figures' version lock before its rows (the trigger of
``indicators.figures_version`` runs before the statement). A correction locks its row first to
check the version the form showed, so it claims the version lock before that (``claim_writes``):
otherwise it would hold the row and wait for the lock while the other write held the lock and
waited for the row, and PostgreSQL would cancel one of them as a deadlock.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, connections

from indicators import values
from indicators.models import IndicatorValue
from indicators.values import ValueFields, correct_value
from tests.indicators.conftest import add, make_indicator

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger and its lock are PostgreSQL's")

OTHER_WRITE = "UPDATE indicators_indicatorvalue SET footnote = 'imported' WHERE id = %s"


def _waiting_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_a_correction_and_another_write_of_the_same_figure_both_complete(transactional_db):
    figure = add(make_indicator("LOCK 1"), "actual", "2017-01-01", "2017-03-31", "52")
    holding_the_row = threading.Event()
    other_pid: list[int] = []
    errors: list[BaseException] = []
    original = values.set_history_user

    def pause_while_holding_the_row(*args, **kwargs):
        # The correction holds its row here; let the other write start, and wait until it waits.
        holding_the_row.set()
        for _ in range(200):
            if other_pid and _waiting_for_a_lock(other_pid[0]):
                break
            threading.Event().wait(0.02)
        else:
            errors.append(AssertionError("the other write never waited"))
        return original(*args, **kwargs)

    def correct():
        try:
            with mock.patch.object(values, "set_history_user", pause_while_holding_the_row):
                correct_value(
                    item=figure,
                    series="actual",
                    period_start=datetime.date(2017, 1, 1),
                    period_end=datetime.date(2017, 3, 31),
                    fields=dataclasses.replace(ValueFields.of(figure), value=Decimal("53")),
                )
        except BaseException as error:  # the test reports it below
            errors.append(error)
        finally:
            connections.close_all()

    def write_the_same_figure():
        try:
            holding_the_row.wait(10)
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                other_pid.append(cursor.fetchone()[0])
                cursor.execute(OTHER_WRITE, [figure.pk])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=correct), threading.Thread(target=write_the_same_figure)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    figure = IndicatorValue.objects.get(pk=figure.pk)
    assert figure.value == Decimal("53")
    assert figure.footnote == "imported"
