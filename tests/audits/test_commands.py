"""The four commands: import_cases, draw_sample, import_audit_results, audit_summary."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from audits.choices import AuditStatus, Grade, RoundKind
from audits.computed import GOOD_OR_ABOVE_CODE
from audits.models import Audit, AuditRound, Case, Moderation


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def north(build):
    team = build.team("North")
    build.worker(team, name="Jo Bloggs").staff_number  # noqa: B018
    return team


CASES_HEADER = "case_ref,case_type,team,worker_staff_number,opened_on,closed_on\n"


class TestImportCases:
    def test_imports_and_reimport_changes_nothing(self, tmp_path, north):
        worker = north.workers.get()
        path = write(
            tmp_path,
            "cases.csv",
            CASES_HEADER
            + f"C-000001,cin,North,{worker.staff_number},2016-04-01,\nc-000002,cp,north,,01/05/2016,2017-01-31\n",
        )
        out, _ = run("import_cases", path)
        assert "2 case(s) created, 0 updated, 0 unchanged" in out
        assert Case.objects.get(case_ref="C-000002").closed_on.isoformat() == "2017-01-31"
        histories = Case.history.count()
        out, _ = run("import_cases", path)
        assert "0 case(s) created, 0 updated, 2 unchanged" in out
        assert Case.history.count() == histories

    def test_reimport_updates_allocation_and_closure(self, tmp_path, north, build):
        other = build.worker(north)
        run("import_cases", write(tmp_path, "a.csv", CASES_HEADER + "C-000001,cin,North,,2016-04-01,\n"))
        run(
            "import_cases",
            write(tmp_path, "b.csv", CASES_HEADER + f"C-000001,cin,North,{other.staff_number},2016-04-01,2017-02-01\n"),
        )
        case = Case.objects.get()
        assert case.worker == other and case.closed_on.isoformat() == "2017-02-01"
        assert case.history.count() == 2

    def test_each_bad_row_is_named_and_nothing_is_written(self, tmp_path, north):
        text = CASES_HEADER + (
            "C-000001,cin,North,,2016-04-01,\n"
            "Jane Smith,cin,North,,2016-04-01,\n"
            "C-000003,adoption,Nowhere,S99999,2016-13-01,\n"
            "C-000004,cin,North,,2016-04-01,2016-01-01\n"
            "C-000001,cin,North,,2016-04-01,\n"
        )
        with pytest.raises(CommandError) as raised:
            run("import_cases", write(tmp_path, "bad.csv", text))
        message = str(raised.value)
        assert "Row 3, case_ref:" in message
        assert "Row 4, case_type: 'adoption'" in message
        assert "Row 4, team: no team is called 'Nowhere'" in message
        assert "Row 4, worker_staff_number: no worker has staff number 'S99999'" in message
        assert "Row 4, opened_on:" in message
        assert "Row 5, closed_on: the case cannot close before it opened" in message
        assert "Row 6, case_ref: C-000001 is already on row 2" in message
        assert not Case.objects.exists()

    @pytest.mark.parametrize("column", ["name", "date_of_birth", "address"])
    def test_personal_columns_are_refused(self, tmp_path, north, column):
        text = CASES_HEADER.strip() + f",{column}\nC-000001,cin,North,,2016-04-01,,secret\n"
        with pytest.raises(CommandError, match=f"Row 1: unknown column\\(s\\) {column}"):
            run("import_cases", write(tmp_path, "p.csv", text))
        assert not Case.objects.exists()

    def test_dry_run_writes_nothing(self, tmp_path, north):
        out, _ = run(
            "import_cases", write(tmp_path, "c.csv", CASES_HEADER + "C-000001,cin,North,,2016-04-01,\n"), "--dry-run"
        )
        assert "Dry run" in out and "1 case(s) created" in out
        assert not Case.objects.exists()

    def test_xlsx(self, tmp_path, north):
        import datetime

        book = Workbook()
        sheet = book.active
        sheet.append(["case_ref", "case_type", "team", "worker_staff_number", "opened_on", "closed_on"])
        sheet.append(["C-000009", "lac", "North", None, datetime.datetime(2016, 4, 1), None])
        path = tmp_path / "cases.xlsx"
        book.save(path)
        run("import_cases", str(path))
        assert Case.objects.get().opened_on == datetime.date(2016, 4, 1)


RESULTS_HEADER = "case_ref,team,case_type,quarter,overall_grade,moderated_grade,completed_on\n"


class TestImportAuditResults:
    def test_imports_creates_missing_cases_and_is_idempotent(
        self, tmp_path, north, queued_recomputes, django_capture_on_commit_callbacks
    ):
        existing = Case.objects.create(case_ref="C-000001", case_type="cin", team=north)
        path = write(
            tmp_path,
            "r.csv",
            RESULTS_HEADER
            + "C-000001,North,cin,2015-16-q4,good,,2016-03-10\n"
            + "C-000002,North,cp,2015-16-q4,inadequate,requires_improvement,10/03/2016\n",
        )
        announced = queued_recomputes
        with django_capture_on_commit_callbacks(execute=True):
            out, _ = run("import_audit_results", path)
        assert "2 result(s) created" in out
        assert announced == [((GOOD_OR_ABOVE_CODE,), ("2016-03-10",))]  # once for the file, not once a result
        round_ = AuditRound.objects.get()
        assert (round_.kind, round_.quarter) == (RoundKind.HISTORIC, "2015-16-q4")
        audits = {a.case.case_ref: a for a in Audit.objects.select_related("case", "moderation")}
        assert audits["C-000001"].case == existing and audits["C-000001"].status == AuditStatus.CLOSED
        assert audits["C-000002"].agreed_grade == Grade.REQUIRES_IMPROVEMENT
        counts = (Audit.history.count(), Moderation.objects.count(), Case.objects.count())
        announced.clear()
        with django_capture_on_commit_callbacks(execute=True):
            out, _ = run("import_audit_results", path)
        assert "0 result(s) created, 0 updated, 2 unchanged" in out and announced == []
        assert (Audit.history.count(), Moderation.objects.count(), Case.objects.count()) == counts

    def test_a_corrected_file_updates(self, tmp_path, north):
        run(
            "import_audit_results",
            write(tmp_path, "a.csv", RESULTS_HEADER + "C-000001,North,cin,2015-16-q4,good,inadequate,2016-03-10\n"),
        )
        out, _ = run(
            "import_audit_results",
            write(tmp_path, "b.csv", RESULTS_HEADER + "C-000001,North,cin,2015-16-q4,outstanding,,2016-03-10\n"),
        )
        assert "1 updated" in out
        audit = Audit.objects.get()
        assert audit.overall_grade == Grade.OUTSTANDING and not Moderation.objects.exists()

    def test_each_bad_row_is_named_and_nothing_is_written(self, tmp_path, north):
        text = RESULTS_HEADER + (
            "C-000001,North,cin,2015-16-q4,good,,2016-03-10\n"
            "C-000002,Nowhere,cin,2015-16-q4,grand,fine,2016-03-10\n"
            "C-000003,North,cin,2015-q4,good,,2016-03-10\n"
            "C-000004,North,cin,2015-16-q4,good,,2016-06-10\n"
            "C-000001,North,cin,2015-16-q4,good,,2016-03-11\n"
        )
        with pytest.raises(CommandError) as raised:
            run("import_audit_results", write(tmp_path, "bad.csv", text))
        message = str(raised.value)
        assert "Row 3, team: no team is called 'Nowhere'" in message
        assert "Row 3, overall_grade: 'grand' is not a grade" in message
        assert "Row 3, moderated_grade: 'fine' is not a grade" in message
        assert "Row 4, quarter:" in message
        assert "Row 5, completed_on: 2016-06-10 is not in 2015-16-q4" in message
        assert "Row 6, case_ref: C-000001 already has a result for 2015-16-q4 on row 2" in message
        assert not Audit.objects.exists() and not Case.objects.exists()

    def test_a_case_audited_live_that_quarter_is_refused(self, tmp_path, north, build):
        case = build.case(north, ref="C-000001")
        build.audit(case, round=build.round("2016-17-q4", title="Neglect"))
        with pytest.raises(
            CommandError, match='Row 2, case_ref: C-000001 was already audited in 2016-17-q4 \\("Neglect"\\)'
        ):
            run(
                "import_audit_results",
                write(tmp_path, "r.csv", RESULTS_HEADER + "C-000001,North,cin,2016-17-q4,good,,2017-03-10\n"),
            )

    def test_dry_run_writes_nothing(self, tmp_path, north):
        out, _ = run(
            "import_audit_results",
            write(tmp_path, "r.csv", RESULTS_HEADER + "C-000001,North,cin,2015-16-q4,good,,2016-03-10\n"),
            "--dry-run",
        )
        assert "Dry run" in out and "1 result(s) created" in out
        assert not Audit.objects.exists() and not Case.objects.exists() and not AuditRound.objects.exists()


class TestDrawSample:
    @pytest.fixture
    def cases(self, north, build, auditor, second_auditor):
        south = build.team("South")
        for _ in range(30):
            build.case(north)
        for _ in range(10):
            build.case(south)

    def test_dry_run_prints_the_sample_and_writes_nothing(self, cases):
        out, err = run("draw_sample", "--quarter", "2016-17-q4", "--rate", "5", "--seed", "9", "--dry-run")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert set(rows[0]) == {"case_ref", "team", "case_type", "auditor"}
        assert sorted(r["team"] for r in rows) == ["North", "North", "South"]
        assert "North: 30 open on 2017-03-31, 2 drawn" in err
        assert not AuditRound.objects.exists()
        again, _ = run("draw_sample", "--quarter", "2016-17-q4", "--rate", "5", "--seed", "9", "--dry-run")
        assert again == out

    def test_creates_and_allocates_and_the_same_draw_again_changes_nothing(self, cases):
        out, _ = run("draw_sample", "--quarter", "2016-17-q4", "--seed", "9", "--on", "2017-01-31")
        round_ = AuditRound.objects.get()
        assert (round_.seed, round_.rate, round_.sampling_date.isoformat()) == (9, Decimal(5), "2017-01-31")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == round_.audits.count() == 3
        assert all(r["auditor"] for r in rows)
        again, err = run("draw_sample", "--quarter", "2016-17-q4", "--seed", "9", "--on", "2017-01-31")
        assert again == out and "nothing changed" in err
        assert AuditRound.objects.count() == 1 and Audit.objects.count() == 3
        with pytest.raises(CommandError, match="already has a random round"):
            run("draw_sample", "--quarter", "2016-17-q4", "--seed", "10", "--on", "2017-01-31")

    def test_refusal_names_cases_and_writes_nothing(self, north, build, auditor):
        north.managers.add(auditor)
        build.case(north, ref="C-000555")
        with pytest.raises(CommandError, match=r"C-000555 \(North\): Auditor manages North"):
            run("draw_sample", "--quarter", "2016-17-q4", "--seed", "1")
        assert not AuditRound.objects.exists()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--quarter", "2016-q4", "--seed", "1"], "--quarter"),
            (["--quarter", "2016-17-q4", "--seed", "1", "--rate", "abc"], "--rate"),
            (["--quarter", "2016-17-q4", "--seed", "1", "--rate", "0"], "rate"),
            (["--quarter", "2016-17-q4", "--seed", "1", "--on", "31/03/2017"], "--on"),
            (["--quarter", "2016-17-q4", "--seed", "1", "--auditor", "nobody"], "--auditor"),
        ],
    )
    def test_bad_arguments(self, cases, args, message):
        with pytest.raises(CommandError, match=message):
            run("draw_sample", *args)


class TestAuditSummary:
    def test_json_has_the_documented_keys(self, build, moderator):
        north = build.team("North")
        for grade in (Grade.GOOD, Grade.GOOD, Grade.INADEQUATE):
            build.completed(grade, team=north)
        build.completed(
            Grade.GOOD,
            team=north,
            moderator=moderator,
            moderated_grade=Grade.REQUIRES_IMPROVEMENT.value,
            status=AuditStatus.MODERATED,
        )
        out, _ = run("audit_summary", "--quarter", "2016-17-q4", "--format", "json")
        data = json.loads(out)
        assert data == {
            "quarter": "2016-17-q4",
            "audited": 4,
            "by_grade": {"outstanding": 0, "good": 2, "requires_improvement": 1, "inadequate": 1},
            "good_or_above": 2,
            "good_or_above_pct": 50.0,
            "ci_low": 15.0,
            "ci_high": 85.0,
            "target_pct": 65.0,
            "moderated": 1,
            "agreement_pct": 0.0,
            "by_team": [{"team": "North", "audited": 4, "good_or_above": 2, "good_or_above_pct": 50.0}],
        }

    def test_agreement_is_null_when_nothing_was_moderated(self, db):
        data = json.loads(run("audit_summary", "--quarter", "2016-17-q4")[0])
        assert data["agreement_pct"] is None and data["audited"] == 0 and data["by_team"] == []

    def test_csv(self, build):
        build.completed(Grade.GOOD, team=build.team("North"))
        rows = list(csv.DictReader(io.StringIO(run("audit_summary", "--quarter", "2016-17-q4", "--format", "csv")[0])))
        assert [(r["scope"], r["team"], r["audited"], r["good_or_above_pct"]) for r in rows] == [
            ("overall", "", "1", "100.0"),
            ("team", "North", "1", "100.0"),
        ]

    def test_bad_quarter(self, db):
        with pytest.raises(CommandError, match="--quarter"):
            run("audit_summary", "--quarter", "Q4")
