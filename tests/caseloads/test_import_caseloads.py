"""import_caseloads: every bad row named, nothing written on any error, the same file twice changes nothing."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from caseloads.computed import AVERAGE_CODE, OVER_CODE
from caseloads.models import CaseloadLine, CaseloadReturn, ReturnStatus, ServiceArea, Team, Worker
from caseloads.rollups import month_rollup
from tests.caseloads.conftest import make_return, make_team, make_worker

pytestmark = pytest.mark.django_db
HEADER = "month,team,staff_number,worker_name,role,employment,wte,cases"
GOOD = [
    "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18",
    "2017-02,Assessment North,S2,Ben Bold,senior_practitioner,agency,0.6,24",
    "2017-02,Assessment North,S3,Cal Cole,team_manager,permanent,1,4",
    "2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1.00,19",
    "2017-03,Assessment North,S2,Ben Bold,senior_practitioner,agency,0.6,25",
    "2017-03,Safeguarding East,S4,Dee Dale,Social worker,Permanent,0.4,8",
]


def write_csv(tmp_path, lines, header=HEADER, name="caseloads.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def snapshot():
    """Everything the import can touch, history included."""
    return (
        list(Team.objects.values_list("name", "service_area").order_by("name")),
        list(Worker.objects.values_list("staff_number", "name", "team__name", "role", "employment", "wte")),
        list(CaseloadReturn.objects.values_list("team__name", "month", "status", "version").order_by("pk")),
        list(CaseloadLine.objects.values_list("worker__staff_number", "cases", "wte").order_by("pk")),
        Worker.history.count(),
        CaseloadReturn.history.count(),
        CaseloadLine.history.count(),
    )


def test_imports_teams_workers_and_submitted_returns(tmp_path):
    call_command("import_caseloads", str(write_csv(tmp_path, GOOD)))
    assert set(Team.objects.values_list("name", "service_area")) == {
        ("Assessment North", ServiceArea.ASSESSMENT),
        ("Safeguarding East", ServiceArea.SAFEGUARDING),
    }
    ben = Worker.objects.get(staff_number="S2")
    assert (ben.name, ben.role, ben.employment, ben.wte) == (
        "Ben Bold",
        "senior_practitioner",
        "agency",
        Decimal("0.6"),
    )
    assert CaseloadReturn.objects.count() == 3
    assert set(CaseloadReturn.objects.values_list("status", flat=True)) == {ReturnStatus.SUBMITTED}
    march = month_rollup(month=datetime.date(2017, 3, 1))
    # 19 + 25 + 8 = 52 cases over 1.0 + 1.0 (agency) + 0.4 WTE = 2.4
    assert (march.counted_staff, march.counted_cases, march.counted_wte) == (3, 52, Decimal("2.40"))


def test_reimporting_the_same_file_changes_nothing(tmp_path, queued_recomputes, django_capture_on_commit_callbacks):
    path = write_csv(tmp_path, GOOD)
    call_command("import_caseloads", str(path))
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_caseloads", str(path))
    assert snapshot() == before
    assert queued_recomputes == []


def test_xlsx_is_read_like_csv(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [datetime.datetime(2017, 3, 1), "Looked After South", "S9", "Eve Ede", "social_worker", "agency", 0.6, 22]
    )
    sheet.append(["2017-03", "Looked After South", "S8", "Fay Fox", "asye", "permanent", 1, 10.0])
    path = tmp_path / "caseloads.xlsx"
    workbook.save(path)
    call_command("import_caseloads", str(path))
    assert CaseloadLine.objects.get(worker__staff_number="S9").wte == Decimal("0.60")
    assert Team.objects.get().service_area == ServiceArea.LOOKED_AFTER


BAD_ROWS = [
    ("2017-03,Assessment North,S1,Ann Able,manager,permanent,1,10", "Row 2, column role: 'manager' is not known"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1.5,10", "Row 2, column wte: 1.5 is outside"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,0,10", "Row 2, column wte: 0 is outside"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,0.333,10", "more than two decimal places"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1,-2", "Row 2, column cases: -2 is negative"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1,2.5", "Row 2, column cases: 2.5 is not a whole"),
    ("2017-13,Assessment North,S1,Ann Able,social_worker,permanent,1,10", "Row 2, column month: '2017-13' is not a"),
    ("March 2017,Assessment North,S1,Ann Able,social_worker,permanent,1,10", "Row 2, column month:"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,contractor,1,10", "Row 2, column employment:"),
    ("2017-03,,S1,Ann Able,social_worker,permanent,1,10", "Row 2, column team: is empty"),
    ("2017-03,Assessment North,S1,Ann Able,social_worker,permanent,,10", "Row 2, column wte: is empty"),
    ("2099-03,Assessment North,S1,Ann Able,social_worker,permanent,1,10", "Row 2, column month: 2099-03 is in the"),
    ("2017-03,Team Zebra,S1,Ann Able,social_worker,permanent,1,10", "Row 2, column team: Team Zebra is a new team"),
]


@pytest.mark.parametrize(("line", "message"), BAD_ROWS)
def test_each_bad_row_is_named_and_nothing_is_written(tmp_path, line, message):
    path = write_csv(tmp_path, [line, GOOD[0]])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_caseloads", str(path))
    assert message in str(excinfo.value)
    assert "Nothing was imported" in str(excinfo.value)
    assert (Team.objects.count(), Worker.objects.count(), CaseloadReturn.objects.count()) == (0, 0, 0)


def test_every_bad_row_is_reported_not_just_the_first(tmp_path):
    lines = [
        *GOOD,
        GOOD[0].replace("2017-02", "2017-01").replace("1.00,18", "2,18"),
        GOOD[1].replace("2017-02", "2017-01").replace(",24", ",-1"),
    ]
    with pytest.raises(CommandError) as excinfo:
        call_command("import_caseloads", str(write_csv(tmp_path, lines)))
    text = str(excinfo.value)
    assert "2 problems" in text
    assert "Row 8, column wte" in text
    assert "Row 9, column cases" in text


def test_the_same_worker_twice_in_a_month_is_rejected(tmp_path):
    lines = [*GOOD, "2017-03,Safeguarding East,S1,Ann Able,social_worker,permanent,1,3"]
    with pytest.raises(
        CommandError, match=r"Row 8, column staff_number: S1 appears twice for 2017-03 \(first at row 5\)"
    ):
        call_command("import_caseloads", str(write_csv(tmp_path, lines)))
    assert CaseloadReturn.objects.count() == 0


def test_header_problems_are_row_1(tmp_path):
    with pytest.raises(CommandError, match="Row 1: missing columns: cases"):
        call_command("import_caseloads", str(write_csv(tmp_path, GOOD, header=HEADER.replace(",cases", ""))))
    with pytest.raises(CommandError, match="Row 1, column grade: is not a column"):
        call_command("import_caseloads", str(write_csv(tmp_path, [g + ",x" for g in GOOD], header=HEADER + ",grade")))


def test_a_failure_after_valid_rows_rolls_everything_back(tmp_path):
    """A worker already on another team's return for that month is caught against the database."""
    other = make_team("Disability Team", service_area=ServiceArea.DISABILITY)
    ann = make_worker(other, name="Ann Able", staff_number="S1")
    make_return(other, datetime.date(2017, 3, 1), [(ann, 5)])
    before = snapshot()
    with pytest.raises(CommandError, match="Row 5, column staff_number: S1 is already on Disability Team's return"):
        call_command("import_caseloads", str(write_csv(tmp_path, GOOD)))
    assert snapshot() == before


def test_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    call_command("import_caseloads", str(write_csv(tmp_path, GOOD)), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run. Would write 6 rows: 2 new teams" in out
    assert "3 new returns" in out
    assert (Team.objects.count(), Worker.objects.count(), CaseloadReturn.objects.count()) == (0, 0, 0)


def test_a_changed_figure_rewrites_only_its_return_and_queues_its_recompute(
    tmp_path, queued_recomputes, django_capture_on_commit_callbacks
):
    call_command("import_caseloads", str(write_csv(tmp_path, GOOD)))
    changed = [line.replace("0.6,25", "0.6,26") for line in GOOD]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_caseloads", str(write_csv(tmp_path, changed)))
    assert queued_recomputes == [((AVERAGE_CODE, OVER_CODE), ("2017-03-01",))]
    march = CaseloadReturn.objects.get(team__name="Assessment North", month=datetime.date(2017, 3, 1))
    assert (march.status, march.version) == (ReturnStatus.SUBMITTED, 2)
    assert march.history.first().history_change_reason == "Imported"
    line = CaseloadLine.objects.get(worker__staff_number="S2", caseload_return__month=datetime.date(2017, 3, 1))
    assert line.cases == 26
    assert line.history.count() == 2


def test_import_submits_a_draft_and_replaces_its_lines(tmp_path, manager):
    team = make_team("Assessment North", managers=[manager])
    stray = make_worker(team, name="Stray", staff_number="S77")
    make_return(team, datetime.date(2017, 3, 1), [(stray, 3)], submitted=False)
    call_command("import_caseloads", str(write_csv(tmp_path, GOOD)))
    march = CaseloadReturn.objects.get(team=team, month=datetime.date(2017, 3, 1))
    assert march.status == ReturnStatus.SUBMITTED
    assert sorted(march.lines.values_list("worker__staff_number", flat=True)) == ["S1", "S2"]


def test_caseload_summary_json_and_csv(tmp_path, capsys):
    call_command("import_caseloads", str(write_csv(tmp_path, GOOD)))
    capsys.readouterr()
    call_command("caseload_summary", "--month", "2017-03", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "month",
        "counted_staff",
        "counted_wte",
        "counted_cases",
        "average_per_wte",
        "over_20_count",
        "over_20_pct",
        "excluded_staff",
        "bands",
        "by_team",
    ]
    assert data["month"] == "2017-03"
    assert (data["counted_staff"], data["counted_wte"], data["counted_cases"]) == (3, 2.4, 52)
    assert data["average_per_wte"] == 21.7  # 52 / 2.4 = 21.67
    assert (data["over_20_count"], data["over_20_pct"]) == (1, 33.3)  # Ben: 25 at 1.0 (agency); Dee: 8/0.4 = 20.0
    assert data["bands"][2] == {"label": "16-20", "count": 2, "pct": 66.7}
    assert [t["team"] for t in data["by_team"]] == ["Assessment North", "Safeguarding East"]
    assert data["by_team"][1]["average_per_wte"] == 20.0
    assert list(data["by_team"][0]) == ["team", *list(data)[:-1]]

    call_command("caseload_summary", "--month", "2017-03", "--format", "csv")
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("month,team,counted_staff,counted_wte,counted_cases,average_per_wte,over_20_count")
    assert rows[1].startswith("2017-03,All teams,3,2.4,52,21.7,1,33.3,0,")
    assert rows[3].startswith("2017-03,Safeguarding East,1,0.4,8,20.0,0,0.0,0,")


def test_caseload_summary_rejects_a_bad_month():
    with pytest.raises(CommandError, match="--month: '2017-3' is not a month"):
        call_command("caseload_summary", "--month", "2017-3")
