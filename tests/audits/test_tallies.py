"""The audit tallies: read from them, the roll-up equals the one computed straight from the audits, on any
generated data and after any change whose quarters are refreshed; a fixed number of queries that never read
the audits table; the rebuild command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from audits.choices import COMPLETED_STATUSES, AuditStatus, CaseType, Grade, RoundKind, Theme
from audits.models import Audit, AuditRound, AuditTally, Case, Moderation, ThemeGrade, ThemeTally
from audits.rollups import quarter_rollup
from audits.tallies import rebuild_all, refresh_audit, refresh_quarters
from audits.thematic import thematic_results
from caseloads.models import Team
from indicators.quarters import Quarter
from tests.audits.rollup_oracle import assert_tallies_follow, direct_rollup, direct_thematic

Q4 = Quarter.parse("2016-17-q4")
QUARTERS = [Q4.previous().previous(), Q4.previous(), Q4, Q4.next()]
# Rounds of every kind; their own quarter matters to nothing here: an audit counts where it was completed.
ROUNDS = [
    (RoundKind.RANDOM, "Random"),
    (RoundKind.HISTORIC, "Imported"),
    (RoundKind.THEMATIC, "Neglect"),
    (RoundKind.THEMATIC, "PLO"),
]

grades = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
audit_specs = st.fixed_dictionaries(
    {
        "quarter": st.integers(min_value=0, max_value=len(QUARTERS) - 1),
        "day": st.integers(min_value=0, max_value=89),
        "dated": st.booleans() | st.just(True),
        "team": st.integers(min_value=0, max_value=2),
        "case_type": st.sampled_from(CaseType.values),
        "round": st.integers(min_value=0, max_value=len(ROUNDS) - 1),
        "status": st.sampled_from(AuditStatus.values),
        "overall": grades,
        "moderation": st.one_of(st.none(), st.just("pending"), st.integers(min_value=1, max_value=4)),
        "themes": st.dictionaries(st.sampled_from(Theme.values), grades),
    }
)
changes = st.fixed_dictionaries(
    {
        "audit": st.integers(min_value=0),
        "what": st.sampled_from(["grade", "moderate", "unmoderate", "move", "uncomplete", "theme", "delete"]),
        "grade": st.integers(min_value=1, max_value=4),
        "quarter": st.integers(min_value=0, max_value=len(QUARTERS) - 1),
    }
)


def _completed_on(spec) -> datetime.date | None:
    if spec["status"] not in COMPLETED_STATUSES or not spec["dated"]:
        return None  # an audit still with its auditor counts in no quarter (a database constraint)
    quarter = QUARTERS[spec["quarter"]]
    return min(quarter.start + datetime.timedelta(days=spec["day"]), quarter.end)


def _make(specs) -> tuple[list[Team], list[Audit]]:
    teams = [Team.objects.create(name=name, service_area="safeguarding") for name in ("North", "South", "East")]
    rounds = [AuditRound.objects.create(kind=kind, quarter=Q4.slug, title=title) for kind, title in ROUNDS]
    cases = Case.objects.bulk_create(
        Case(case_ref=f"C-{n:06d}", case_type=spec["case_type"], team=teams[spec["team"]])
        for n, spec in enumerate(specs)
    )
    audits = Audit.objects.bulk_create(
        Audit(
            round=rounds[spec["round"]],
            case=case,
            team=case.team,
            case_type=case.case_type,
            status=spec["status"],
            overall_grade=spec["overall"],
            completed_on=_completed_on(spec),
        )
        for case, spec in zip(cases, specs, strict=True)
    )
    ThemeGrade.objects.bulk_create(
        ThemeGrade(audit=audit, theme=theme, grade=grade)
        for audit, spec in zip(audits, specs, strict=True)
        for theme, grade in spec["themes"].items()
    )
    Moderation.objects.bulk_create(
        Moderation(audit=audit, grade=None if spec["moderation"] == "pending" else spec["moderation"])
        for audit, spec in zip(audits, specs, strict=True)
        if spec["moderation"] is not None
    )
    return teams, audits


def _change(audit: Audit, change) -> tuple[Audit, datetime.date | None]:
    """Change one audit as some write path might (never its round or team); returns it as it is now (as it
    was, if deleted) and the date it counted on before."""
    audit = Audit.objects.get(pk=audit.pk)
    before = audit.completed_on
    what = change["what"]
    if what == "grade":
        Audit.objects.filter(pk=audit.pk).update(overall_grade=change["grade"])
    elif what == "moderate":
        Moderation.objects.update_or_create(audit=audit, defaults={"grade": change["grade"]})
    elif what == "unmoderate":
        Moderation.objects.filter(audit=audit).delete()
    elif what == "move" and audit.status in COMPLETED_STATUSES:
        quarter = QUARTERS[change["quarter"]]
        Audit.objects.filter(pk=audit.pk).update(completed_on=quarter.start)
    elif what == "uncomplete":
        Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.IN_PROGRESS, completed_on=None)
    elif what == "theme":
        ThemeGrade.objects.update_or_create(audit=audit, theme=Theme.SAFEGUARDING, defaults={"grade": change["grade"]})
    elif what == "delete":
        Audit.objects.filter(pk=audit.pk).delete()
        return audit, before
    return Audit.objects.get(pk=audit.pk), before


def _views(teams) -> list[dict]:
    scopes = [None, [teams[0]], [teams[1], teams[2]]]
    return [
        {"quarter": quarter, "teams": scope, "random_only": random_only}
        for quarter in QUARTERS
        for scope in scopes
        for random_only in (False, True)
    ]


def _assert_equal_views(teams) -> None:
    for view in _views(teams):
        assert quarter_rollup(**view) == direct_rollup(**view), view
        if view["random_only"]:
            scope = {"quarter": view["quarter"], "teams": view["teams"]}
            assert thematic_results(**scope) == direct_thematic(**scope), scope


class TestTalliesEqualTheDirectComputation(HypothesisTestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs=st.lists(audit_specs, max_size=25))
    def test_refreshing_the_quarters_gives_the_direct_rollup(self, specs):
        teams, _ = _make(specs)
        refresh_quarters(quarters=QUARTERS)
        _assert_equal_views(teams)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs=st.lists(audit_specs, min_size=1, max_size=20), edits=st.lists(changes, max_size=6))
    def test_refreshing_only_what_a_change_touched_keeps_them_equal(self, specs, edits):
        teams, audits = _make(specs)
        rebuild_all()
        alive = list(audits)
        for change in edits:
            if not alive:
                break
            audit = alive[change["audit"] % len(alive)]
            if change["what"] == "delete":
                alive.remove(audit)
            changed, counted_on = _change(audit, change)
            refresh_audit(changed, counted_on=counted_on)  # its round's and team's rows, before and after
        _assert_equal_views(teams)


def _populate(build, count):
    teams = [build.team(f"Team {i}") for i in range(3)]
    rounds = [build.round(kind=RoundKind.RANDOM), build.round(kind=RoundKind.THEMATIC)]
    for i in range(count):
        build.completed(
            Grade(1 + i % 4),
            team=teams[i % 3],
            case_type=["cin", "cp", "lac"][i % 3],
            round=rounds[i % 2],
            completed_on=[datetime.date(2017, 2, 1), datetime.date(2016, 11, 1)][i % 2],
            moderated_grade=2 if i % 3 == 0 else None,
        )
    return teams


@pytest.mark.parametrize("count", [4, 60])
@pytest.mark.parametrize("random_only", [False, True])
def test_four_queries_none_of_them_reading_the_audits(build, count, random_only):
    teams = _populate(build, count)
    for scope in (None, teams[:2]):
        with CaptureQueriesContext(connection) as captured:
            rollup = quarter_rollup(quarter=Q4, teams=scope, random_only=random_only)
        assert len(captured) == 4
        assert not [q["sql"] for q in captured if '"audits_audit"' in q["sql"] or '"audits_themegrade"' in q["sql"]]
        assert rollup == direct_rollup(quarter=Q4, teams=scope, random_only=random_only)
        assert rollup.audited > 0


@pytest.mark.parametrize("count", [4, 60])
def test_a_refresh_is_a_fixed_number_of_statements(build, count):
    _populate(build, count)
    with CaptureQueriesContext(connection) as captured:
        refresh_quarters(quarters=[Q4, Q4.previous()])
    statements = [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SELECT pg_"))]
    assert len(statements) == 4  # per table, one DELETE and one INSERT ... SELECT
    assert_tallies_follow(Q4, Q4.previous())


def test_a_quarter_left_without_audits_loses_its_rows(build):
    audit = build.completed(Grade.GOOD)
    assert AuditTally.objects.filter(quarter_start=Q4.start).exists()
    Audit.objects.filter(pk=audit.pk).delete()
    refresh_quarters(quarters=[Q4])
    assert not AuditTally.objects.exists() and not ThemeTally.objects.exists()
    assert quarter_rollup(quarter=Q4).audited == 0


def test_the_tally_rows_name_the_quarters_first_day(build):
    build.completed(Grade.GOOD, completed_on=datetime.date(2017, 3, 31))
    build.completed(Grade.GOOD, completed_on=datetime.date(2016, 4, 1))
    assert sorted(AuditTally.objects.values_list("quarter_start", flat=True)) == [
        datetime.date(2016, 4, 1),
        datetime.date(2017, 1, 1),
    ]


def test_rebuild_audit_tallies_recounts_everything(build):
    build.completed(Grade.GOOD, completed_on=datetime.date(2016, 11, 1))
    build.completed(Grade.INADEQUATE)
    AuditTally.objects.all().delete()
    ThemeTally.objects.update(good=99)
    out = StringIO()
    call_command("rebuild_audit_tallies", stdout=out)
    assert "Audit tallies rebuilt: 2 audit rows, 8 theme rows, 2 round status rows." in out.getvalue()
    assert_tallies_follow(Q4, Q4.previous())
