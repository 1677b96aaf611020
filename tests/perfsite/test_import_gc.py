"""An import runs with Python's cycle collector paused, and leaves it as it found it, whatever happens."""

from __future__ import annotations

import gc

import pytest

from perfsite.imports import Importer, run_import

pytestmark = pytest.mark.django_db

CSV = b"name\nfirst\n"


class Watching(Importer):
    kind = "watching"

    def __init__(self, *, fail: bool = False):
        self.fail, self.seen = fail, []

    def check(self, table, result):
        self.seen.append(("check", gc.isenabled()))
        return table.rows

    def apply(self, plan, result, *, user):
        self.seen.append(("apply", gc.isenabled()))
        if self.fail:
            raise RuntimeError("a bug in the row rules")


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    gc.enable()
    yield
    if not enabled:
        gc.disable()


def test_the_collector_is_paused_while_checking_and_writing_and_back_on_after(collector):
    importer = Watching()
    assert run_import(importer, CSV, filename="f.csv").applied
    assert importer.seen == [("check", False), ("apply", False)]
    assert gc.isenabled()


def test_a_failing_import_turns_the_collector_back_on(collector):
    with pytest.raises(RuntimeError):
        run_import(Watching(fail=True), CSV, filename="f.csv")
    assert gc.isenabled()


def test_a_collector_already_off_is_left_off(collector):
    gc.disable()
    run_import(Watching(), CSV, filename="f.csv")
    assert not gc.isenabled()
    gc.enable()
