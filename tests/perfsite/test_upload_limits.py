"""Uploads are bounded in work, not only bytes: hostile files are refused promptly, with a clear message."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from perfsite.imports import ImportRejected, read_upload
from perfsite.tabular import Limits, Problem, TableError, read_table

SMALL = Limits(rows=100, columns=10, cells=2_000, unpacked_bytes=200_000)


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed, as a hostile tool might write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def refused(data: bytes, name: str, limits: Limits = SMALL) -> TableError:
    started = time.monotonic()
    with pytest.raises(TableError) as raised:
        read_table(data, filename=name, limits=limits)
    assert time.monotonic() - started < 2, "a hostile file must be refused promptly"
    assert raised.value.problem == Problem.TOO_BIG
    return raised.value


def test_a_declared_dimension_of_the_whole_sheet_is_not_trusted():
    data = rewrite_sheet(
        workbook_bytes([["code", "value"], ["A1", 1]]),
        lambda xml: xml.replace(b'<dimension ref="A1:B2" />', b'<dimension ref="A1:XFD1048576" />'),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert len(data) < 8_000
    started = time.monotonic()
    table = read_table(data, filename="tiny.xlsx", limits=SMALL)
    assert time.monotonic() - started < 2
    assert table.headers == ["code", "value"] and [row.values for row in table.rows] == [{"code": "A1", "value": "1"}]


def test_a_row_far_down_the_sheet_is_refused_by_the_row_limit_not_read_to():
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = rewrite_sheet(
        workbook_bytes([["code"], ["A1"]] + [[f"B{n}"] for n in range(200)]),
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"),
    )
    assert "more than 100 rows" in str(refused(data, "far.xlsx"))


def test_a_compression_bomb_is_refused_before_it_is_inflated():
    # One sheet of 5 MB of blank padding compresses to a few kilobytes.
    data = rewrite_sheet(
        workbook_bytes([["code"]]), lambda xml: xml.replace(b"<sheetData>", b" " * 5_000_000 + b"<sheetData>")
    )
    assert len(data) < 50_000
    error = refused(data, "bomb.xlsx")
    assert "unpacks to 4.8 MB" in str(error) and "save it as CSV" in str(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code\n" + "A\n" * 101, "more than 100 rows after row 1"),
        (",".join(f"c{n}" for n in range(11)) + "\n", "Row 1 names 11 columns, more than the 10"),
        ("code\n" + "A" + "," * 3_000 + "\n", "more than 2,000 cells"),
    ],
)
def test_a_csv_beyond_the_limits_is_refused(content, message):
    assert message in str(refused(content.encode(), "big.csv"))


def test_empty_rows_count_towards_the_row_limit():
    content = "code\n" + "\n" * 150 + "A1\n"
    assert "more than 100 rows after row 1" in str(refused(content.encode(), "padded.csv"))


def test_a_lone_cell_at_the_end_of_the_sheet_is_refused_promptly_with_the_real_limits(settings):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = rewrite_sheet(
        workbook_bytes([["code"], ["A1"]]),
        lambda xml: xml.replace(b'<dimension ref="A1:A2" />', b'<dimension ref="A1:XFD1048576" />').replace(
            b"</sheetData>", far + b"</sheetData>"
        ),
    )
    assert len(data) < 8_000
    started = time.monotonic()
    with pytest.raises(ImportRejected, match="more than 50,000 rows after row 1"):
        read_upload(data, filename="hostile.xlsx")
    assert time.monotonic() - started < 2


def test_the_limits_come_from_the_settings_and_reach_every_import(settings):
    settings.PERFSITE_IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportRejected, match="more than 3 rows after row 1"):
        read_upload(b"code\n1\n2\n3\n4\n", filename="v.csv")
    assert len(read_upload(b"code\n1\n2\n3\n", filename="v.csv").rows) == 3


def test_a_file_within_the_limits_reads_as_before():
    table = read_table(b"code,value\nA1,1\n\nA2,2\n", filename="ok.csv", limits=SMALL)
    assert [row.number for row in table.rows] == [2, 4]
