"""import_indicators and import_values: every bad row named, all or nothing, idempotent, dry run."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators.models import Indicator, IndicatorValue
from tests.indicators.conftest import CYP, make_indicator

IND_HEADER = "code,description,kind,polarity,unit,decimals,tolerance,themes"
GOOD_INDICATOR = f"CASCYP 15,Good level of development,target,higher,percent,1,2,{CYP}"
VAL_HEADER = "code,series,period_label,period_start,period_end,value,numerator,denominator,status,footnote"
GOOD_VALUE = "CASCYP 15,actual,2015/16 ac yr (final),2015-09-01,2016-08-31,69.0,,,final,"


def write(tmp_path, lines, name="file.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def command(name, path, *args):
    out, err = StringIO(), StringIO()
    call_command(name, path, *args, stdout=out, stderr=err)
    return out.getvalue()


def rejected(name, path):
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(name, path, stdout=StringIO(), stderr=err)
    return err.getvalue(), str(excinfo.value)


# Indicators --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_indicators_creates_updates_and_is_idempotent(tmp_path):
    lines = [
        IND_HEADER + ",framework_level,ref,active",
        GOOD_INDICATOR + ",universal,17,yes",
        f'CASAS5,"First time entrants (per 100,000)",Target,LOWER,per_100000,0,,{CYP};Altogether Safer,Early help,18,',
    ]
    output = command("import_indicators", write(tmp_path, lines))
    assert "2 new, 0 changed, 0 unchanged" in output
    casas5 = Indicator.objects.get(code="CASAS5")
    assert (casas5.kind, casas5.polarity, casas5.tolerance, casas5.framework_level, casas5.ref) == (
        "target",
        "lower",
        D("2"),
        "early_help",
        18,
    )
    assert [t.name for t in casas5.themes] == [CYP, "Altogether Safer"]
    history = Indicator.history.count()
    assert "0 new, 0 changed, 2 unchanged" in command("import_indicators", write(tmp_path, lines))
    assert Indicator.history.count() == history
    lines[1] = lines[1].replace(",2,", ",0,")  # tolerance 0: no amber band
    assert "0 new, 1 changed, 1 unchanged" in command("import_indicators", write(tmp_path, lines))
    assert Indicator.objects.get(code="CASCYP 15").tolerance == D("0")
    assert Indicator.history.filter(code="CASCYP 15").count() == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f",No code,target,higher,percent,1,2,{CYP}", "Row 3, column code: is empty"),
        (f"CASCYP 15,Again,target,higher,percent,1,2,{CYP}", "Row 3, column code: 'CASCYP 15' is also on row 2"),
        (f"X1,,target,higher,percent,1,2,{CYP}", "Row 3, column description: is empty"),
        (f"X1,D,goal,higher,percent,1,2,{CYP}", "Row 3, column kind: 'goal' is not a kind"),
        (f"X1,D,target,up,percent,1,2,{CYP}", "Row 3, column polarity: 'up' is not a polarity"),
        (f"X1,D,target,higher,furlongs,1,2,{CYP}", "Row 3, column unit: 'furlongs' is not a unit"),
        (f"X1,D,target,higher,percent,one,2,{CYP}", "Row 3, column decimals: 'one' is not a whole number"),
        (f"X1,D,target,higher,percent,7,2,{CYP}", "Row 3, column decimals: '7' is not a whole number from 0 to 4"),
        (f"X1,D,target,higher,percent,1,two,{CYP}", "Row 3, column tolerance: 'two' is not a number"),
        (f"X1,D,target,higher,percent,1,-1,{CYP}", "Row 3, column tolerance: must be a percentage from 0 to 100"),
        ("X1,D,target,higher,percent,1,2,", "Row 3, column themes: is empty"),
        (
            "X1,D,target,higher,percent,1,2,Altogether Nowhere",
            "Row 3, column themes: 'Altogether Nowhere' is not a theme",
        ),
    ],
)
@pytest.mark.django_db
def test_every_bad_indicator_row_is_named_and_nothing_is_written(tmp_path, line, expected):
    errors, summary = rejected("import_indicators", write(tmp_path, [IND_HEADER, GOOD_INDICATOR, line]))
    assert expected in errors
    assert "Nothing was imported" in summary and "1 row(s) were rejected" in summary
    assert not Indicator.objects.exists()  # the good row 2 is not half-saved


@pytest.mark.django_db
def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    lines = [IND_HEADER, "X1,,goal,up,percent,1,2,", GOOD_INDICATOR, "X2,D,target,higher,percent,9,2,Nowhere"]
    errors, summary = rejected("import_indicators", write(tmp_path, lines))
    for row, column in [
        (2, "description"),
        (2, "kind"),
        (2, "polarity"),
        (2, "themes"),
        (4, "decimals"),
        (4, "themes"),
    ]:
        assert f"Row {row}, column {column}" in errors
    assert "2 row(s) were rejected (6 problem(s))" in summary


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "code,description,kind,polarity,unit,decimals,themes",
            "Row 1, column tolerance: the column 'tolerance' is missing",
        ),
        (IND_HEADER + ",colour", "Row 1, column colour: 'colour' is not a column this import knows"),
        (IND_HEADER + ",code", "Row 1: column 'code' appears more than once."),
    ],
)
@pytest.mark.django_db
def test_bad_headers_are_named(tmp_path, header, expected):
    row = GOOD_INDICATOR if "tolerance" in header else GOOD_INDICATOR.replace(",2,", ",")
    errors, _ = rejected("import_indicators", write(tmp_path, [header, row]))
    assert expected in errors


@pytest.mark.django_db
def test_the_indicator_dry_run_writes_nothing(tmp_path):
    output = command("import_indicators", write(tmp_path, [IND_HEADER, GOOD_INDICATOR]), "--dry-run")
    assert "Dry run: 1 new, 0 changed, 0 unchanged. Nothing was written." in output
    assert "Row 2: New: CASCYP 15" in output
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_files_that_are_not_tables_are_refused(tmp_path):
    bad = tmp_path / "file.txt"
    bad.write_text("hello")
    errors, _ = rejected("import_indicators", str(bad))
    assert "is not a CSV or XLSX file" in errors
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    errors, _ = rejected("import_indicators", str(fake))
    assert "not a readable XLSX workbook" in errors
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_indicators", str(tmp_path / "missing.csv"))


# Values ------------------------------------------------------------------------------------


@pytest.fixture
def cascyp15(db):
    return make_indicator("CASCYP 15")


@pytest.mark.django_db
def test_import_values_keeps_figures_as_printed_and_is_idempotent(tmp_path, cascyp15):
    lines = [
        VAL_HEADER,
        GOOD_VALUE,
        "CASCYP 15,target,2015/16 ac yr,2015-09-01,2016-08-31,64.0,,,,",
        'CASCYP 15,national,,2015-09-01,2016-08-31,69.3,"1,234",2000,final,"Data amended, refreshed"',
    ]
    assert "3 new, 0 changed, 0 unchanged" in command("import_values", write(tmp_path, lines))
    actual = IndicatorValue.objects.get(series="actual")
    assert (str(actual.figure), actual.status, actual.period_end) == ("69.0", "final", datetime.date(2016, 8, 31))
    national = IndicatorValue.objects.get(series="national")
    assert national.period_label == "2015/16 ac yr"  # an empty label is made from the dates
    assert (national.numerator, national.denominator, national.footnote) == (
        D(1234),
        D(2000),
        "Data amended, refreshed",
    )
    history = IndicatorValue.history.count()
    assert "0 new, 0 changed, 3 unchanged" in command("import_values", write(tmp_path, lines))
    assert IndicatorValue.history.count() == history
    lines[1] = lines[1].replace("69.0", "69")  # the same number with other decimal places is a correction
    assert "0 new, 1 changed, 2 unchanged" in command("import_values", write(tmp_path, lines))
    assert str(IndicatorValue.objects.get(series="actual").figure) == "69"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CASCYP 99,actual,2016/17,2016-04-01,2017-03-31,1,,,,", "Row 3, column code: 'CASCYP 99' is not an indicator"),
        (",actual,2016/17,2016-04-01,2017-03-31,1,,,,", "Row 3, column code: is empty"),
        ("CASCYP 15,forecast,2016/17,2016-04-01,2017-03-31,1,,,,", "Row 3, column series: 'forecast' is not a series"),
        (
            "CASCYP 15,actual,2016/17,01/04/2016,2017-03-31,1,,,,",
            "Row 3, column period_start: '01/04/2016' is not a date",
        ),
        ("CASCYP 15,actual,2016/17,2016-04-01,,1,,,,", "Row 3, column period_end: is empty"),
        ("CASCYP 15,actual,2016/17,2017-04-01,2017-03-31,1,,,,", "Row 3, column period_end: 2017-03-31 is before"),
        ("CASCYP 15,actual,2016/17,2016-04-01,2017-03-31,,,,,", "Row 3, column value: is empty"),
        ("CASCYP 15,actual,2016/17,2016-04-01,2017-03-31,c,,,,", "Row 3, column value: 'c' is not a number"),
        ("CASCYP 15,actual,2016/17,2016-04-01,2017-03-31,1,many,,,", "Row 3, column numerator: 'many' is not a number"),
        ("CASCYP 15,actual,2016/17,2016-04-01,2017-03-31,1,1,0,,", "Row 3, column denominator: cannot be zero"),
        ("CASCYP 15,actual,2016/17,2016-04-01,2017-03-31,1,,,draft,", "Row 3, column status: 'draft' is not a status"),
        (
            "CASCYP 15,actual,again,2015-09-01,2016-08-31,1,,,,",
            "Row 3, column period_start: row 2 already gives CASCYP 15 actual for this period",
        ),
        ("CASCYP 15,actual," + "x" * 81 + ",2016-04-01,2017-03-31,1,,,,", "Row 3, column period_label: must be 80"),
    ],
)
@pytest.mark.django_db
def test_every_bad_value_row_is_named_and_nothing_is_written(tmp_path, cascyp15, line, expected):
    errors, summary = rejected("import_values", write(tmp_path, [VAL_HEADER, GOOD_VALUE, line]))
    assert expected in errors
    assert "1 row(s) were rejected" in summary
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_values_dry_run_reports_changes_without_writing(tmp_path, cascyp15):
    command("import_values", write(tmp_path, [VAL_HEADER, GOOD_VALUE]))
    changed = GOOD_VALUE.replace("69.0", "70.1")
    output = command("import_values", write(tmp_path, [VAL_HEADER, changed]), "--dry-run")
    assert "Row 2: Changed: CASCYP 15 · Actual · 2015/16 ac yr (final): 69.0 (2015/16 ac yr (final)) [final]" in output
    assert "-> 70.1" in output
    assert str(IndicatorValue.objects.get().figure) == "69.0"


@pytest.mark.django_db
def test_values_from_xlsx(tmp_path, cascyp15):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(VAL_HEADER.split(","))
    sheet.append(["CASCYP 15", "actual", "2016/17", datetime.date(2016, 4, 1), datetime.datetime(2017, 3, 31), 45.9])
    sheet.append(["CASCYP 15", "target", "2016/17", "2016-04-01", "2017-03-31", 45, None, None, "", None])
    sheet.append([])  # blank rows are skipped
    buffer = BytesIO()
    workbook.save(buffer)
    path = tmp_path / "values.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "2 new" in command("import_values", str(path))
    assert str(IndicatorValue.objects.get(series="actual").figure) == "45.9"
    assert str(IndicatorValue.objects.get(series="target").figure) == "45"


@pytest.mark.django_db
def test_a_row_with_more_cells_than_columns_rejects_the_file(tmp_path, cascyp15):
    errors, _ = rejected("import_values", write(tmp_path, [VAL_HEADER, GOOD_VALUE + ",extra"]))
    assert "Row 2: this row has more cells than row 1 has column names" in errors


@pytest.mark.django_db
def test_windows_1252_csv_is_read(tmp_path, cascyp15):
    path = tmp_path / "w.csv"
    path.write_bytes((VAL_HEADER + "\n" + GOOD_VALUE + "Amended \u2013 see note\n").encode("cp1252"))
    command("import_values", str(path))
    assert IndicatorValue.objects.get().footnote == "Amended \u2013 see note"
