"""The import framework's promises, tested once for every app: all or nothing, dry runs, every problem by row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from perfsite.imports import (
    Importer,
    ImportRejected,
    PlannedRow,
    Problem,
    RowPlanImporter,
    TableWording,
    describe,
    run_import,
)

pytestmark = pytest.mark.django_db


def made() -> set[str]:
    """The groups these tests create (the role groups are there already)."""
    return set(Group.objects.filter(name__startswith="t-").values_list("name", flat=True))


class GroupsImporter(Importer):
    """A group a row; rejects "t-bad" when checking and (as only the database could) "t-late" when writing."""

    kind = "groups"

    def check(self, table, result):
        for row in table.rows:
            if row.text("name") == "t-bad":
                result.error(row.number, "name", "is bad")
        result.counts = {"created": 0}
        return list(table.rows)

    def apply(self, rows, result, *, user):
        for row in rows:
            Group.objects.create(name=row.text("name"))
            result.tally("created")
            if row.text("name") == "t-late":
                raise ImportRejected([Problem(row.number, "name", "was refused as it was written")])


class PlannedGroups(RowPlanImporter):
    kind = "planned"

    def check(self, table, result):
        for row in table.rows:
            name = row.text("name")
            result.planned.append(
                PlannedRow(
                    row.number, name, "new", after=name, apply=lambda user, name=name: Group.objects.create(name=name)
                )
            )


def test_a_clean_file_is_applied_in_one_go():
    result = run_import(GroupsImporter(), b"name\nt-a\nt-b\n", filename="g.csv")
    assert result.applied and result.counts == {"created": 2}
    assert made() == {"t-a", "t-b"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"name\nt-a\nt-bad\n", Problem(3, "name", "is bad")),
        (b"name\nt-a\nt-late\nt-b\n", Problem(3, "name", "was refused as it was written")),
    ],
)
def test_any_problem_rejects_the_whole_file(content, problem):
    result = run_import(GroupsImporter(), content, filename="g.csv")
    assert not result.applied and result.errors == [problem]
    assert not made()


def test_a_dry_run_rehearses_and_rolls_back():
    result = run_import(GroupsImporter(), b"name\nt-a\nt-b\n", filename="g.csv", dry_run=True)
    assert not result.applied and result.dry_run and result.counts == {"created": 2}
    assert not made()


def test_a_dry_run_still_finds_the_problems_only_the_database_shows():
    result = run_import(GroupsImporter(), b"name\nt-late\n", filename="g.csv", dry_run=True)
    assert [str(e) for e in result.errors] == ["Row 2, column name: was refused as it was written"]


def test_a_row_plan_is_a_dry_run_without_writing():
    dry = run_import(PlannedGroups(), b"name\nt-a\n", filename="g.csv", dry_run=True)
    assert dry.summary_line() == "1 new, 0 changed, 0 unchanged" and not made()
    assert run_import(PlannedGroups(), b"name\nt-a\n", filename="g.csv").applied
    assert made() == {"t-a"}


def test_a_file_that_is_not_a_table_is_worded_by_the_app():
    class Words(TableWording):
        def file_problem(self, exc, where, name):
            return Problem(0, "", f"{name}: use a .csv or .xlsx file")

    importer = GroupsImporter()
    importer.wording = Words()
    result = run_import(importer, b"x", filename="g.ods")
    assert [str(e) for e in result.errors] == ["g.ods: use a .csv or .xlsx file"]


@pytest.mark.parametrize(
    ("problem", "column_word", "text"),
    [
        (Problem(3, "code", "is empty"), "column ", "Row 3, column code: is empty"),
        (Problem(3, "code", "is empty"), "", "Row 3, code: is empty"),
        (Problem(1, "", "missing columns"), "column ", "Row 1: missing columns"),
        (Problem(0, "", "no such file"), "column ", "no such file"),
    ],
)
def test_a_problem_reads_as_its_app_words_it(problem, column_word, text):
    assert describe(problem, column_word=column_word) == text
