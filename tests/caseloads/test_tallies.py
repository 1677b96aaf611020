"""The caseload tallies: every writer keeps them equal to its returns' lines, in a fixed number of queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseloads import conf, counting
from caseloads.models import CaseloadLine, CaseloadReturn, CaseloadTally, ReturnStatus, WorkerRole
from caseloads.rollups import month_rollup, month_rollup_from_lines, monthly_trend, monthly_trend_from_lines
from caseloads.services.imports import import_file
from caseloads.services.returns import reopen_return, save_return
from caseloads.tallies import counted_lines, line_figures, refresh_tallies, stale_tallies, tally_rules
from caseloads.tasks import rebuild_stale_tallies
from perfsite.demo import ensure_demo_users
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

pytestmark = pytest.mark.django_db
FEBRUARY_2017 = datetime.date(2017, 2, 1)


def tallied() -> dict[int, dict]:
    """Each tally's figures, by return."""
    fields = ("team_id", "month", "rules", *line_figures(counting.bands()))
    return {row.pop("caseload_return_id"): row for row in CaseloadTally.objects.values("caseload_return_id", *fields)}


def counted() -> dict[int, dict]:
    """The same figures counted from the lines: the oracle."""
    rows = counted_lines().values("caseload_return_id", "caseload_return__team_id", "caseload_return__month")
    result = {}
    for row in rows.annotate(**line_figures(counting.bands())).order_by():
        return_id = row.pop("caseload_return_id")
        row["team_id"], row["month"] = row.pop("caseload_return__team_id"), row.pop("caseload_return__month")
        result[return_id] = {**row, "rules": tally_rules()}
    return result


def assert_tallies_match_the_lines():
    assert tallied() == counted()


def test_submitting_counts_a_return_and_reopening_takes_it_out(team, manager, officer):
    ann, ben = make_worker(team), make_worker(team, role=WorkerRole.TEAM_MANAGER)
    draft = save_return(team=team, month=MARCH_2017, expected_version=0, figures={ann.pk: 22, ben.pk: 3}, user=manager)
    assert CaseloadTally.objects.count() == 0  # a draft does not count
    save_return(
        team=team, month=MARCH_2017, expected_version=1, figures={ann.pk: 22, ben.pk: 3}, user=manager, submit=True
    )
    tally = CaseloadTally.objects.get()
    assert (tally.caseload_return_id, tally.counted_staff, tally.excluded_staff, tally.counted_cases) == (
        draft.caseload_return.pk,
        1,
        1,
        22,
    )
    assert (tally.over_optimum, tally.counted_wte_hundredths) == (1, 100)
    assert_tallies_match_the_lines()

    reopen_return(caseload_return=CaseloadReturn.objects.get(), user=officer, reason="Ann's figure is wrong")
    assert CaseloadTally.objects.count() == 0
    assert not month_rollup(month=MARCH_2017).has_data

    save_return(
        team=team, month=MARCH_2017, expected_version=3, figures={ann.pk: 12, ben.pk: 3}, user=manager, submit=True
    )
    assert CaseloadTally.objects.get().counted_cases == 12
    assert_tallies_match_the_lines()


def write_csv(tmp_path, lines):
    path = tmp_path / "caseloads.csv"
    path.write_text("\n".join(["month,team,staff_number,worker_name,role,employment,wte,cases", *lines]) + "\n")
    return path


def test_an_import_counts_new_and_replaced_returns(tmp_path, team):
    draft = make_return(team, MARCH_2017, [(make_worker(team, staff_number="S9"), 5)], submitted=False)
    rows = [
        "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18",
        "2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1.00,19",
        "2017-03,Assessment North,S9,Cal Cole,student,permanent,0.5,4",
        "2017-03,Safeguarding East,S4,Dee Dale,social_worker,permanent,0.4,8",
    ]
    assert not import_file(write_csv(tmp_path, rows)).errors
    assert CaseloadTally.objects.count() == 3
    assert CaseloadTally.objects.get(caseload_return=draft).counted_cases == 19  # the draft, submitted by the file
    assert_tallies_match_the_lines()

    rows[1] = "2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1.00,31"
    assert not import_file(write_csv(tmp_path, rows)).errors
    assert CaseloadTally.objects.get(caseload_return=draft).counted_cases == 31
    assert_tallies_match_the_lines()


def test_a_dry_run_import_leaves_no_tally(tmp_path):
    result = import_file(
        write_csv(tmp_path, ["2017-03,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18"]), dry_run=True
    )
    assert not result.errors
    assert CaseloadTally.objects.count() == 0


def test_the_demo_loader_counts_its_returns():
    ensure_demo_users(password="not-used-in-this-test")
    apps.get_app_config("caseloads").load_demo(stdout=io.StringIO())
    assert CaseloadTally.objects.count() > 100
    assert_tallies_match_the_lines()
    latest = CaseloadReturn.objects.filter(status=ReturnStatus.SUBMITTED).order_by("-month").first().month
    assert month_rollup(month=latest) == month_rollup_from_lines(month=latest)


def test_admin_edits_recount_the_returns_they_touch(client, admin_user, team, other_team):
    ann, ben = make_worker(team), make_worker(other_team)
    submitted = make_return(team, MARCH_2017, [(ann, 12)])
    client.force_login(admin_user)

    # A line added to a submitted return from the lines' admin.
    response = client.post(
        reverse("admin:caseloads_caseloadline_add"),
        {"caseload_return": submitted.pk, "worker": ben.pk, "role": "social_worker", "employment": "permanent"}
        | {"wte": "0.50", "cases": "15"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CaseloadTally.objects.get(caseload_return=submitted).counted_cases == 27
    assert_tallies_match_the_lines()

    # The return's month changed in the returns' admin: its tally moves with it.
    response = client.post(
        reverse("admin:caseloads_caseloadreturn_change", args=[submitted.pk]),
        {
            "team": team.pk,
            "month": "2017-02-01",
            **_no_inline_changes("lines"),
            **_no_inline_changes("reopenings"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CaseloadTally.objects.get(caseload_return=submitted).month == FEBRUARY_2017
    assert_tallies_match_the_lines()

    # A submitted return's lines cannot be deleted here (deleting one would need a recount).
    added = CaseloadLine.objects.get(caseload_return=submitted, worker=ben)
    response = client.post(
        reverse("admin:caseloads_caseloadline_changelist"),
        {"action": "delete_selected", "_selected_action": [added.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert_tallies_match_the_lines()


def _no_inline_changes(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_refreshing_takes_the_same_queries_for_one_return_or_many(team, other_team):
    def refresh_queries(returns) -> int:
        with CaptureQueriesContext(connection) as queries:
            refresh_tallies(returns=returns)
        return len(queries)

    few = [make_return(team, MARCH_2017, [(make_worker(team), 20)])]
    workers = [make_worker(other_team) for _ in range(12)]
    many = [
        make_return(other_team, datetime.date(2016, month, 1), [(w, month) for w in workers]) for month in range(1, 13)
    ]
    assert refresh_queries(few) == refresh_queries(many) == refresh_queries(CaseloadReturn.objects.all())
    assert refresh_queries([]) == 0
    assert_tallies_match_the_lines()


def test_the_rollups_read_a_fixed_number_of_queries_at_two_sizes(team, django_assert_num_queries):
    def read():
        with django_assert_num_queries(2):
            rollup = month_rollup(month=MARCH_2017)
        with django_assert_num_queries(1):
            trend = monthly_trend(start=datetime.date(2015, 1, 1), end=MARCH_2017)
        return rollup, trend

    ann = make_worker(team)
    make_return(team, MARCH_2017, [(ann, 18)])
    small = read()
    for index in range(8):
        other = make_team(f"Team {index}")
        workers = [make_worker(other) for _ in range(10)]
        for month in (datetime.date(2016, 1, 1), datetime.date(2016, 6, 1), FEBRUARY_2017, MARCH_2017):
            make_return(other, month, [(w, 10 + index) for w in workers])
    large = read()
    assert small[0].counted_staff == 1 and large[0].counted_staff == 81


def test_tallies_counted_under_other_settings_are_not_used_until_rebuilt(team, settings, caplog):
    workers = [make_worker(team) for _ in range(3)]
    make_return(team, MARCH_2017, [(w, cases) for w, cases in zip(workers, (18, 22, 26), strict=True)])
    assert month_rollup(month=MARCH_2017).over_20_count == 2

    settings.PERFSITE_CASELOAD_OPTIMUM = 24
    assert stale_tallies()
    rollup = month_rollup(month=MARCH_2017)
    assert rollup.over_20_count == 1  # counted from the lines under the new optimum
    assert rollup == month_rollup_from_lines(month=MARCH_2017)
    assert monthly_trend(start=MARCH_2017, end=MARCH_2017)[0].over_20_count == 1
    assert "rebuild_caseload_tallies" in caplog.text

    out = io.StringIO()
    call_command("rebuild_caseload_tallies", stdout=out)
    assert "Recounted 1 caseload tallies (optimum 24;" in out.getvalue()
    assert not stale_tallies()
    assert CaseloadTally.objects.get().over_optimum == 1
    assert_tallies_match_the_lines()


def test_rebuilding_recounts_tallies_that_went_wrong(team):
    make_return(team, MARCH_2017, [(make_worker(team), 18)])
    make_return(team, FEBRUARY_2017, [(make_worker(team), 11)])
    CaseloadTally.objects.filter(month=MARCH_2017).update(counted_cases=999)
    CaseloadTally.objects.filter(month=FEBRUARY_2017).delete()
    call_command("rebuild_caseload_tallies", stdout=io.StringIO())
    assert_tallies_match_the_lines()
    assert monthly_trend(start=FEBRUARY_2017, end=MARCH_2017) == monthly_trend_from_lines(
        start=FEBRUARY_2017, end=MARCH_2017
    )


def test_the_bands_fit_the_tally(settings):
    settings.PERFSITE_CASELOAD_BANDS = tuple(range(5, 5 * conf.MAX_BANDS, 5))
    assert len(counting.bands()) == conf.MAX_BANDS
    settings.PERFSITE_CASELOAD_BANDS = tuple(range(5, 5 * (conf.MAX_BANDS + 1), 5))
    with pytest.raises(ValueError, match="at most 11 bounds"):
        conf.band_upper_bounds()


def test_every_configured_band_is_tallied(team, settings):
    settings.PERFSITE_CASELOAD_BANDS = tuple(range(5, 5 * conf.MAX_BANDS, 5))  # 12 bands: 0-5 ... over 55
    workers = [make_worker(team) for _ in range(12)]
    make_return(team, MARCH_2017, [(w, 3 + 5 * index) for index, w in enumerate(workers)])
    rollup = month_rollup(month=MARCH_2017)
    assert [band.count for band in rollup.bands] == [1] * conf.MAX_BANDS
    assert rollup == month_rollup_from_lines(month=MARCH_2017)


def test_the_migration_counts_the_returns_submitted_before_tallies(team):
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("caseloads.migrations.0008_count_existing_tallies")
    make_return(team, MARCH_2017, [(make_worker(team), 18), (make_worker(team, role=WorkerRole.ASYE), 4)])
    make_return(team, FEBRUARY_2017, [(make_worker(team), 11)], submitted=False)
    CaseloadTally.objects.all().delete()
    state = MigrationExecutor(connection).loader.project_state(("caseloads", "0008_count_existing_tallies"))
    migration.count_tallies(state.apps, None)
    assert CaseloadTally.objects.count() == 1
    assert_tallies_match_the_lines()


def test_the_nightly_task_recounts_stale_tallies_and_leaves_current_ones_alone(team, settings):
    workers = [make_worker(team) for _ in range(3)]
    make_return(team, MARCH_2017, [(w, cases) for w, cases in zip(workers, (18, 22, 26), strict=True)])
    counted = CaseloadTally.objects.get()
    assert rebuild_stale_tallies() == 0
    assert CaseloadTally.objects.get().pk == counted.pk  # current tallies are not rewritten

    settings.PERFSITE_CASELOAD_OPTIMUM = 24
    assert rebuild_stale_tallies() == 1
    assert not stale_tallies()
    assert CaseloadTally.objects.get().over_optimum == 1
    assert_tallies_match_the_lines()
