"""import_cases checks rows in memory and writes in bulk: statements that do not grow with the file,
every bad row still named, and a case removed between the check and the write written afresh."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.imports.cases import CasesImporter, _parse, import_cases
from audits.models import Case
from perfsite.imports import ImportRejected, ImportResult
from perfsite.tabular import read_table

HEADER = "case_ref,case_type,team,worker_staff_number,opened_on,closed_on"


def cases_csv(count: int, *, case_type: str = "cin", prefix: str = "C") -> bytes:
    lines = [HEADER, *(f"{prefix}-{n:06d},{case_type},North,,2016-04-01," for n in range(count))]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def north(build):
    return build.team("North")


@pytest.mark.parametrize("phase", ["new", "changed", "unchanged"])
def test_the_statements_do_not_grow_with_the_cases(north, phase):
    def counted(count: int, prefix: str) -> int:
        if phase != "new":
            assert import_cases(cases_csv(count, prefix=prefix), filename="a.csv").applied
        case_type = "cp" if phase == "changed" else "cin"
        with CaptureQueriesContext(connection) as captured:
            result = import_cases(cases_csv(count, case_type=case_type, prefix=prefix), filename="b.csv")
        assert result.applied and result.counts[{"new": "created", "changed": "updated"}.get(phase, phase)] == count
        return len(captured)

    assert counted(3, "SMALL") == counted(30, "LARGER")


def test_a_bad_cell_repeated_on_many_rows_is_named_on_each(north):
    data = (HEADER + "\nC-000001,cin,North,,2016-31-01,\nC-000002,cin,North,,2016-31-01,2016-31-01\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        _parse(read_table(data, filename="a.csv").rows)
    not_a_date = "'2016-31-01' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"
    assert [(p.row, p.column, p.message) for p in rejected.value.errors] == [
        (2, "opened_on", not_a_date),
        (3, "opened_on", not_a_date),
        (3, "closed_on", not_a_date),
    ]


def test_a_case_removed_after_the_check_is_written_afresh(north):
    import_cases(cases_csv(2), filename="a.csv")
    importer = CasesImporter()
    result = ImportResult(kind="cases", filename="b.csv")
    parsed = importer.check(read_table(cases_csv(2, case_type="cp"), filename="b.csv"), result)
    gone = Case.objects.get(case_ref="C-000000")
    Case.objects.filter(pk=gone.pk).delete()
    importer.apply(parsed, result, user=None)
    assert sorted(Case.objects.values_list("case_ref", "case_type", "opened_on")) == [
        ("C-000000", "cp", datetime.date(2016, 4, 1)),
        ("C-000001", "cp", datetime.date(2016, 4, 1)),
    ]
    assert Case.history.filter(case_ref="C-000000", history_type="+").count() == 2


def test_a_row_of_cells_each_seen_right_before_is_still_judged_as_a_whole(north, build):
    # Rows 4 and 5 repeat cells rows 2 and 3 had right (so they are checked by look-ups alone);
    # what is wrong is how they go together: a case closed before it opened, a reference twice.
    staff = build.worker(north).staff_number
    data = (
        HEADER + "\n"
        f"C-000001,cin,North,{staff},2016-04-01,2016-05-01\n"
        f"C-000002,cp,north,{staff.lower()},2016-05-01,\n"
        f"C-000003,cin,North,{staff},2016-05-01,2016-04-01\n"
        "C-000001,cp,North,,2016-04-01,\n"
        "C-000004,cin,North,W2,,\n"
    ).encode()
    with pytest.raises(ImportRejected) as rejected:
        _parse(read_table(data, filename="a.csv").rows)
    assert [(p.row, p.column, p.message) for p in rejected.value.errors] == [
        (4, "closed_on", "the case cannot close before it opened"),
        (5, "case_ref", "C-000001 is already on row 2"),
        (6, "worker_staff_number", "no worker has staff number 'W2'"),
        (6, "opened_on", "enter the date the case was opened"),
    ]


def test_good_rows_are_parsed_in_the_order_they_are_written(north, build):
    worker = build.worker(north)
    staff = worker.staff_number.lower()
    data = f"{HEADER}\nc-000001,CIN,north,{staff},2016-04-01,2016-05-01\nC-000002,lac,North,,01/05/2016,\n"
    assert _parse(read_table(data.encode(), filename="a.csv").rows) == {
        "C-000001": ("cin", north.pk, worker.pk, datetime.date(2016, 4, 1), datetime.date(2016, 5, 1)),
        "C-000002": ("lac", north.pk, None, datetime.date(2016, 5, 1), None),
    }
