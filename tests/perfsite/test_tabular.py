"""The shared reader: CSV or XLSX into a normalised header and rows of text, numbered as a spreadsheet does."""

from __future__ import annotations

import csv
import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from perfsite.tabular import (
    HEADER_PROBLEMS,
    Problem,
    Row,
    Table,
    TableError,
    cell_text,
    decode,
    normalise_header,
    read_table,
)


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    second = workbook.create_sheet("Ignored")
    second.append(["only", "the", "first", "sheet", "is", "read"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_lists(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(number, values) for number, values in table.rows]


# -- cells and headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  text  ", "text"),
        (0, "0"),
        (45, "45"),
        (45.0, "45"),
        (-3.0, "-3"),
        (45.9, "45.9"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e20, "100000000000000000000"),
        (datetime.date(2017, 3, 31), "2017-03-31"),
        (datetime.datetime(2017, 3, 31), "2017-03-31"),
        (datetime.datetime(2017, 3, 31, 9, 30), "2017-03-31T09:30:00"),
        (datetime.time(9, 30), "09:30:00"),
        (True, "yes"),
        (False, "no"),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("code", "code"),
        ("  Code ", "code"),
        ("PERIOD  Start", "period start"),
        ("\ufeffcase_ref", "case_ref"),
        ("Staff_Number\t", "staff_number"),
        (None, ""),
        ("   ", ""),
        (2016, "2016"),
        (2016.0, "2016"),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


# -- reading --------------------------------------------------------------------------------------

HEADER_AND_TWO_ROWS = [(2, {"code": "A1", "value": "45"}), (3, {"code": "B2", "value": "3.5"})]


@pytest.mark.parametrize(
    ("data", "filename", "expected_headers", "expected_rows"),
    [
        pytest.param(b"code,value\nA1,45\nB2,3.5\n", "f.csv", ["code", "value"], HEADER_AND_TWO_ROWS, id="csv-utf8"),
        pytest.param(
            b"\xef\xbb\xbfcode,value\r\nA1,45\r\nB2,3.5\r\n", "f.csv", ["code", "value"], HEADER_AND_TWO_ROWS, id="bom"
        ),
        pytest.param(b"code,value\nA1,45\nB2,3.5", "F.CSV", ["code", "value"], HEADER_AND_TWO_ROWS, id="upper-suffix"),
        pytest.param(
            "code,note\nA1,Amended \u2013 see note \u00a3\n".encode("cp1252"),
            "f.csv",
            ["code", "note"],
            [(2, {"code": "A1", "note": "Amended \u2013 see note \u00a3"})],
            id="windows-1252",
        ),
        pytest.param(
            "code,note\nA1,caf\u00e9 \u2013 ok\n".encode(),
            "f.csv",
            ["code", "note"],
            [(2, {"code": "A1", "note": "caf\u00e9 \u2013 ok"})],
            id="utf8-not-mistaken-for-1252",
        ),
        pytest.param(
            b" Code , PERIOD  Start ,Value\nA1,2017-03-31,1\n",
            "f.csv",
            ["code", "period start", "value"],
            [(2, {"code": "A1", "period start": "2017-03-31", "value": "1"})],
            id="headers-normalised",
        ),
        pytest.param(
            b"code,value\n\nA1,45\n,\n  ,  \nB2,3.5\n\n",
            "f.csv",
            ["code", "value"],
            [(3, {"code": "A1", "value": "45"}), (6, {"code": "B2", "value": "3.5"})],
            id="empty-rows-skipped-but-counted",
        ),
        pytest.param(
            b"code,value,note\nA1\nB2,3.5,\n",
            "f.csv",
            ["code", "value", "note"],
            [(2, {"code": "A1", "value": "", "note": ""}), (3, {"code": "B2", "value": "3.5", "note": ""})],
            id="short-rows-padded",
        ),
        pytest.param(
            b"code,value,,\nA1,45,,\n",
            "f.csv",
            ["code", "value"],
            [(2, {"code": "A1", "value": "45"})],
            id="trailing-unnamed-columns-dropped",
        ),
        pytest.param(
            b'code,note\nA1,"two\nlines"\nB2,x\n',
            "f.csv",
            ["code", "note"],
            [(2, {"code": "A1", "note": "two\nlines"}), (3, {"code": "B2", "note": "x"})],
            id="quoted-newline-stays-one-row",
        ),
        pytest.param(b"code,value\n", "f.csv", ["code", "value"], [], id="header-only"),
        pytest.param(
            xlsx(
                ["Code", "Value", "Day", "When", "Note"],
                ["A1", 45.0, datetime.datetime(2017, 3, 31), datetime.datetime(2017, 3, 31, 9, 30), None],
                [],
                [None, None, None, None, None],
                ["B2", 45.9, datetime.date(2016, 4, 1), None, "  padded  "],
                [3, 7, None, None, True],
            ),
            "f.xlsx",
            ["code", "value", "day", "when", "note"],
            [
                (2, {"code": "A1", "value": "45", "day": "2017-03-31", "when": "2017-03-31T09:30:00", "note": ""}),
                (5, {"code": "B2", "value": "45.9", "day": "2016-04-01", "when": "", "note": "padded"}),
                (6, {"code": "3", "value": "7", "day": "", "when": "", "note": "yes"}),
            ],
            id="xlsx-numbers-dates-blanks",
        ),
        pytest.param(
            xlsx(["code", "value", None], ["A1", 1, None]),
            "f.xlsm",
            ["code", "value"],
            [(2, {"code": "A1", "value": "1"})],
            id="xlsm",
        ),
    ],
)
def test_reads_a_table_from_bytes(data, filename, expected_headers, expected_rows):
    table = read_table(data, filename=filename)
    assert table.headers == expected_headers
    assert as_lists(table) == expected_rows
    assert table.format == ("xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv")


@pytest.mark.parametrize(
    ("name", "data"),
    [("values.csv", b"\xef\xbb\xbfCode,Value\nA1,45\n"), ("values.xlsx", xlsx(["Code", "Value"], ["A1", 45.0]))],
)
def test_reads_a_table_from_a_path_as_from_its_bytes(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    from_path, from_str = read_table(path), read_table(str(path))
    from_bytes = read_table(data, filename=name)
    assert from_path == from_str == from_bytes
    assert from_path.rows == [Row(2, {"code": "A1", "value": "45"})]


def test_rows_unpack_as_number_and_values_and_give_text_by_column():
    table = read_table(b"code,value\nA1,\n", filename="f.csv")
    ((number, values),) = table.rows
    assert (number, values) == (2, {"code": "A1", "value": ""})
    row = table.rows[0]
    assert (row.number, row.text("code"), row.text("value"), row.text("absent")) == (2, "A1", "", "")
    assert table.has("code") and not table.has("absent")


def test_the_caller_chooses_the_suffixes():
    with pytest.raises(TableError) as raised:
        read_table(b"a\n1\n", filename="f.txt")
    assert raised.value.problem == Problem.NOT_A_TABLE
    table = read_table(b"a\n1\n", filename="f.txt", csv_suffixes=(".csv", ".txt"))
    assert table.rows == [Row(2, {"a": "1"})]
    with pytest.raises(TableError, match="not a CSV or XLSX"):
        read_table(xlsx(["a"]), filename="f.xlsm", xlsx_suffixes=(".xlsx",))


def test_bytes_need_a_filename():
    with pytest.raises(TypeError, match="filename"):
        read_table(b"a\n1\n")


def test_decode_prefers_utf8_then_windows_1252():
    assert decode("\ufeffcaf\u00e9".encode()) == "caf\u00e9"
    assert decode("caf\u00e9".encode("cp1252")) == "caf\u00e9"


# -- errors ---------------------------------------------------------------------------------------

LONG_FIELD = b"a\n" + b"x" * (csv.field_size_limit() + 1) + b"\n"


@pytest.mark.parametrize(
    ("data", "filename", "problem", "message", "row", "rows"),
    [
        pytest.param(
            b"hello", "notes.txt", Problem.NOT_A_TABLE, "notes.txt is not a CSV or XLSX file", 1, [1], id="txt"
        ),
        pytest.param(b"hello", "book.xls", Problem.NOT_A_TABLE, "book.xls is not a CSV or XLSX file", 1, [1], id="xls"),
        pytest.param(b"hello", "no-suffix", Problem.NOT_A_TABLE, "no-suffix is not a CSV or XLSX", 1, [1], id="none"),
        pytest.param(
            b"code\n\x81\x8d\n",
            "f.csv",
            Problem.NOT_TEXT,
            "not text in UTF-8 or Windows-1252",
            1,
            [1],
            id="undecodable",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\x00\x00binary", "f.csv", Problem.NOT_TEXT, "not text in UTF-8", 1, [1], id="binary-nul"
        ),
        pytest.param(
            LONG_FIELD, "f.csv", Problem.BAD_CSV, "The CSV cannot be read: field larger", 1, [1], id="bad-csv"
        ),
        pytest.param(b"not a zip", "f.xlsx", Problem.BAD_XLSX, "not a readable XLSX workbook (BadZipFile)", 1, [1]),
        pytest.param(
            b"code,value\nA1,45\n", "f.xlsx", Problem.BAD_XLSX, "not a readable XLSX workbook", 1, [1], id="csv-as-xlsx"
        ),
        pytest.param(
            b"", "f.csv", Problem.EMPTY, "The file is empty: row 1 must name the columns.", 1, [1], id="empty"
        ),
        pytest.param(xlsx(), "f.xlsx", Problem.EMPTY, "The file is empty", 1, [1], id="empty-xlsx"),
        pytest.param(b"\ncode\nA1\n", "f.csv", Problem.NO_HEADER, "row 1 must name the columns.", 1, [1], id="blank-1"),
        pytest.param(b" , ,\nA1,1\n", "f.csv", Problem.NO_HEADER, "row 1 must name the columns.", 1, [1], id="blanks"),
        pytest.param(
            xlsx([None, None], ["A1", 1]), "f.xlsx", Problem.NO_HEADER, "row 1 must name", 1, [1], id="blank-xlsx"
        ),
        pytest.param(b"code,,value\n", "f.csv", Problem.UNNAMED_COLUMN, "column 2 has no name.", 1, [1], id="unnamed"),
        pytest.param(
            b"Code,value,CODE \n", "f.csv", Problem.DUPLICATE_COLUMN, "column 'code' appears more than once.", 1, [1]
        ),
        pytest.param(
            b"b,a,b,a\n", "f.csv", Problem.DUPLICATE_COLUMN, "columns 'a', 'b' each appear more than once.", 1, [1]
        ),
        pytest.param(
            b"code,value\nA1,1\nA2,2,extra\n\nA3,3,,\nA4,4,x,y\n",
            "f.csv",
            Problem.EXTRA_CELLS,
            "this row has more cells than row 1 has column names (and so do rows 6).",
            3,
            [3, 6],
            id="extra-cells",
        ),
        pytest.param(
            xlsx(["code"], ["A1", "surplus"]),
            "f.xlsx",
            Problem.EXTRA_CELLS,
            "this row has more cells than row 1 has column names.",
            2,
            [2],
            id="extra-cells-xlsx",
        ),
    ],
)
def test_each_problem_is_named(data, filename, problem, message, row, rows):
    with pytest.raises(TableError) as raised:
        read_table(data, filename=filename)
    error = raised.value
    assert error.problem == problem
    assert message in str(error)
    assert (error.row, error.rows) == (row, rows)
    if problem == Problem.NO_HEADER:
        assert error.headers == []
    elif problem in HEADER_PROBLEMS or problem == Problem.EXTRA_CELLS:
        assert error.headers, "the header travels with the error so an app can list every header mistake"


def test_header_problems_carry_the_normalised_header():
    with pytest.raises(TableError) as raised:
        read_table(b" Code ,,Value,code\n", filename="f.csv")
    assert raised.value.headers == ["code", "", "value", "code"]


def test_a_path_that_is_not_there_is_named(tmp_path):
    missing = tmp_path / "missing.csv"
    with pytest.raises(TableError, match=r"There is no file .*missing\.csv") as raised:
        read_table(missing)
    assert raised.value.problem == Problem.NO_SUCH_FILE


def test_a_path_that_cannot_be_read_is_named(tmp_path):
    directory = tmp_path / "folder.csv"
    directory.mkdir()
    with pytest.raises(TableError, match=r"folder\.csv cannot be read") as raised:
        read_table(directory)
    assert raised.value.problem == Problem.UNREADABLE
    assert raised.value.detail


def test_a_bad_workbook_keeps_the_library_s_words(tmp_path):
    with pytest.raises(TableError) as raised:
        read_table(b"not a zip", filename="f.xlsx")
    assert raised.value.detail  # the apps that show openpyxl's own words still can


# -- the apps' adapters keep the words their users know ------------------------------------------


def _audit_errors(path) -> list[str]:
    from audits.imports.tabular import ImportRejected, read_rows

    with pytest.raises(ImportRejected) as raised:
        read_rows(path, required=("case_ref", "team"), optional=("closed_on",))
    return [str(error) for error in raised.value.errors]


def _caseload_errors(path) -> list[str]:
    from caseloads.services.import_checks import ImportRejected, read_table

    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    return [str(error) for error in raised.value.errors]


CASELOAD_HEADER = b"month,team,staff_number,worker_name,role,employment,wte,cases"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("cases.ods", b"x", ["cases.ods: use a .csv or .xlsx file"]),
        ("cases.csv", b"", ["cases.csv is empty: row 1 should be the header (case_ref, team)"]),
        ("cases.csv", b"\x81\x8d", ["cases.csv is not UTF-8 text; save it as CSV UTF-8"]),
        ("cases.xlsx", b"not a zip", ["cases.xlsx could not be read as a spreadsheet (File is not a zip file)"]),
        ("cases.csv", b",\nC-000001,North\n", ["Row 1: missing column(s) case_ref, team"]),
        (
            "cases.csv",
            b"case_ref,team,Name,TEAM\n",
            [
                "Row 1: unknown column(s) name. Only these columns may be imported: case_ref, team, closed_on",
                "Row 1: column(s) given twice: team",
            ],
        ),
        ("cases.csv", b"case_ref,,team\n", ["Row 1: column 2 has no name."]),
        ("cases.csv", b"case_ref\nC-1,North\n", ["Row 1: missing column(s) team"]),
        (
            "cases.csv",
            b"case_ref,team\nC-1,North,x\nC-2,North\nC-3,North,,y\n",
            ["Row 2: more values than columns", "Row 4: more values than columns"],
        ),
    ],
)
def test_audits_words(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert _audit_errors(path) == expected


def test_audits_words_for_a_missing_file(tmp_path):
    assert _audit_errors(tmp_path / "gone.csv") == [f"{tmp_path / 'gone.csv'}: no such file"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("c.ods", b"x", ["Row 1: c.ods is not a .csv or .xlsx file"]),
        ("c.csv", b"", ["Row 1: the file is empty; the first row must be the header"]),
        ("c.csv", b"\x81\x8d", ["Row 1: the file is not UTF-8 text; save it as CSV UTF-8"]),
        ("c.xlsx", b"not a zip", ["Row 1: cannot read c.xlsx as a spreadsheet (File is not a zip file)"]),
        ("c.csv", CASELOAD_HEADER + b",month\n", ["Row 1, column month: appears more than once"]),
        (
            "c.csv",
            b",,\n2017-03,T\n",
            ["Row 1: missing columns: month, team, staff_number, worker_name, role, employment, wte, cases"],
        ),
        (
            "c.csv",
            CASELOAD_HEADER.replace(b",cases", b",,cases") + b"\n",
            ["Row 1: column 8 has no name"],
        ),
        (
            "c.csv",
            CASELOAD_HEADER + b"\n2017-03,T,S1,Ann,social_worker,permanent,1,10,spare\n",
            ["Row 2: this row has more cells than row 1 has column names"],
        ),
    ],
)
def test_caseloads_words(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert _caseload_errors(path) == expected


@pytest.mark.parametrize(
    ("name", "month_cell", "expected"),
    [
        ("c.xlsx", datetime.datetime(2017, 3, 1), "2017-03"),
        ("c.xlsx", datetime.datetime(2017, 3, 15, 9, 30), "2017-03"),
        ("c.xlsx", "2017-03", "2017-03"),
        # A CSV month must be written YYYY-MM; only a spreadsheet's date cell is turned into one.
        ("c.csv", "2017-03-01", "2017-03-01"),
    ],
)
def test_caseloads_month_from_a_date_cell(tmp_path, name, month_cell, expected):
    from caseloads.services.import_checks import read_table as read_caseloads

    row = [month_cell, "T", "S1", "Ann", "social_worker", "permanent", 1, 10]
    path = tmp_path / name
    if name.endswith(".xlsx"):
        path.write_bytes(xlsx(CASELOAD_HEADER.decode().split(","), row))
    else:
        path.write_bytes(CASELOAD_HEADER + b"\n" + ",".join(map(str, row)).encode() + b"\n")
    _, rows = read_caseloads(path)
    assert rows[0][1]["month"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-03-31", datetime.date(2017, 3, 31)),
        ("31/03/2017", datetime.date(2017, 3, 31)),
        ("2017-03-31T09:30:00", datetime.date(2017, 3, 31)),
        (datetime.datetime(2017, 3, 31, 9, 30), datetime.date(2017, 3, 31)),
    ],
)
def test_audits_dates_read_from_cell_text(text, expected):
    from audits.imports.tabular import parse_date

    assert parse_date(text) == expected


def test_indicators_show_the_shared_words():
    from perfsite.imports import ImportRejected, read_upload

    with pytest.raises(ImportRejected, match=r"values\.txt is not a CSV or XLSX file"):
        read_upload(b"x", filename="values.txt")
    assert read_upload(b"Code\nA1\n", filename="values.csv").rows == [Row(2, {"code": "A1"})]
