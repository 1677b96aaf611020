"""A random round's population, frozen at the draw: the counts equal the case list as it stood, later
edits to cases do not move them, the check reads them in a fixed number of queries, and the migration
counts the rounds drawn before it."""

from __future__ import annotations

import datetime
import importlib
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audits.choices import RoundKind
from audits.models import Audit, AuditRound, Case, RoundPopulation
from audits.population import freeze_population, time_open_band
from audits.representativeness import sample_check
from audits.services.rounds import create_random_round
from indicators.quarters import Quarter

Q4 = Quarter.parse("2016-17-q4")
ON = datetime.date(2017, 1, 3)


def direct_count(round_: AuditRound, on: datetime.date) -> dict[tuple[str, str], tuple[int, int]]:
    """The oracle: every case read into Python, its strata worked out one by one."""
    sampled = set(Audit.objects.filter(round=round_).values_list("case_id", flat=True))
    counts: Counter = Counter()
    for case in Case.objects.select_related("team"):
        if case.opened_on is None or case.opened_on > on or (case.closed_on is not None and case.closed_on <= on):
            continue
        for key in (
            ("team", case.team.name),
            ("case_type", case.case_type),
            ("time_open", time_open_band(case.opened_on, on)),
        ):
            counts[(*key, "open")] += 1
            counts[(*key, "sampled")] += case.pk in sampled
    return {key[:2]: (counts[key], counts[(*key[:2], "sampled")]) for key in counts if key[2] == "open"}


def frozen(round_: AuditRound) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (row.dimension, row.stratum): (row.open_cases, row.sampled)
        for row in RoundPopulation.objects.filter(round=round_)
    }


def case_list(build, *, seed: int, cases: int, teams: int, on: datetime.date = ON) -> None:
    """Cases around ``on``: open, opened after, closed before or on it, on the band edges, and historic."""
    rng = random.Random(seed)
    made = [build.team(f"Team {seed}-{n}") for n in range(teams)]
    for n in range(cases):
        opened = on - datetime.timedelta(days=rng.randint(-30, 1200))
        closed = None if rng.random() < 0.7 else opened + datetime.timedelta(days=rng.randint(0, 400))
        build.case(made[n % teams], case_type=rng.choice(["cin", "cp", "lac", "early_help"]), opened_on=opened,
                   closed_on=closed)  # fmt: skip
    # Opened on the day, the day before, and exactly 3, 12 and 24 months before 3 January 2017 (band edges).
    edges = [on, on - datetime.timedelta(days=1)]
    edges += [datetime.date(2016, 10, 3), datetime.date(2016, 1, 3), datetime.date(2015, 1, 3)]
    for opened in edges:
        build.case(made[0], opened_on=opened)
    build.case(made[0], opened_on=datetime.date(2015, 1, 1), closed_on=on)  # closed on the day: not open
    build.case(made[0], opened_on=None)  # known only from historic results: never in a population


@pytest.mark.parametrize(
    ("seed", "cases", "teams", "rate", "on"),
    [
        (1, 60, 2, Decimal(10), ON),
        (2, 200, 5, Decimal(5), ON),
        (3, 120, 3, Decimal("2.5"), datetime.date(2017, 3, 31)),
        (4, 40, 4, Decimal(100), ON),
    ],
)
def test_the_frozen_counts_equal_a_direct_count_of_the_case_list_at_the_draw(build, auditor, seed, cases, teams,
                                                                             rate, on):  # fmt: skip
    case_list(build, seed=seed, cases=cases, teams=teams, on=on)
    round_, draw = create_random_round(quarter=Q4, rate=rate, seed=seed, on=on, auditors=[auditor])
    assert frozen(round_) == direct_count(round_, on)
    by_dimension = Counter()
    for (dimension, _), (open_cases, sampled) in frozen(round_).items():
        by_dimension[dimension, "open"] += open_cases
        by_dimension[dimension, "sampled"] += sampled
    for dimension in ("team", "case_type", "time_open"):
        assert by_dimension[dimension, "open"] == sum(draw.open_by_team.values())
        assert by_dimension[dimension, "sampled"] == len(draw.cases)


def test_later_edits_to_cases_do_not_move_a_drawn_rounds_population(build, auditor):
    case_list(build, seed=7, cases=150, teams=3)
    round_, _draw = create_random_round(quarter=Q4, rate=Decimal(10), seed=7, on=ON, auditors=[auditor])
    before = sample_check(quarter=Q4).as_json()
    counted = frozen(round_)
    other_team = build.team("Moved to")
    sampled = Case.objects.filter(audits__round=round_).order_by("pk")
    first, second, third = list(sampled[:3])
    first.team, first.case_type = other_team, "care_leaver"  # corrected team and type
    first.save()
    Case.objects.filter(pk=second.pk).update(opened_on=ON + datetime.timedelta(days=5))  # a corrected opening date
    Case.objects.filter(pk=third.pk).update(closed_on=ON - datetime.timedelta(days=1))  # closed before, it turns out
    Case.objects.exclude(audits__round=round_).filter(opened_on__lte=ON).update(opened_on=datetime.date(2010, 1, 1))
    for _ in range(25):
        build.case(other_team, opened_on=datetime.date(2016, 12, 1))
    assert direct_count(round_, ON) != counted  # the case list has moved...
    assert frozen(round_) == counted  # ...the population drawn from has not
    assert sample_check(quarter=Q4).as_json() == before


@pytest.mark.parametrize(("cases", "teams"), [(30, 2), (400, 12)])
def test_the_checks_query_count_is_the_same_at_any_size(build, auditor, django_assert_num_queries, cases, teams):
    case_list(build, seed=cases, cases=cases, teams=teams)
    create_random_round(quarter=Q4, rate=Decimal(10), seed=1, on=ON, auditors=[auditor])
    build.round(title="Neglect")
    # The rounds with their audit counts, then their strata; the case list is never read.
    with django_assert_num_queries(2) as captured:
        check = sample_check(quarter=Q4)
    assert not any('"audits_case"' in query["sql"] for query in captured.captured_queries)
    assert check.population == sum(
        RoundPopulation.objects.filter(dimension="team").values_list("open_cases", flat=True)
    )


def test_a_round_made_without_the_draw_service_is_counted_once_at_its_first_check(build, django_assert_num_queries):
    case_list(build, seed=9, cases=50, teams=2)
    round_ = AuditRound.objects.create(kind=RoundKind.RANDOM, quarter=Q4.slug, title="By hand", sampling_date=ON)
    for case in Case.objects.filter(opened_on__lte=ON, closed_on__isnull=True).order_by("pk")[:6]:
        build.audit(case, round=round_)
    assert not RoundPopulation.objects.exists()
    first = sample_check(quarter=Q4)
    assert frozen(round_) == direct_count(round_, ON)
    build.case(build.team("Later"), opened_on=datetime.date(2016, 12, 1))
    with django_assert_num_queries(2):
        again = sample_check(quarter=Q4)
    assert again.as_json() == first.as_json() and again.sample == 6 and again.not_counted == 0


def test_freezing_twice_keeps_the_first_count_unless_replaced(build, auditor):
    case_list(build, seed=11, cases=40, teams=2)
    round_, _draw = create_random_round(quarter=Q4, rate=Decimal(10), seed=11, on=ON, auditors=[auditor])
    counted = frozen(round_)
    build.case(build.team("Later"), opened_on=datetime.date(2016, 12, 1))
    freeze_population(round_id=round_.pk, on=ON)
    assert frozen(round_) == counted
    freeze_population(round_id=round_.pk, on=ON, replace=True)
    assert frozen(round_) == direct_count(round_, ON) != counted


def test_the_migration_counts_the_random_rounds_drawn_before_it(build, auditor):
    migration = importlib.import_module("audits.migrations.0007_round_population")
    case_list(build, seed=13, cases=80, teams=3)
    drawn, _draw = create_random_round(quarter=Q4, rate=Decimal(10), seed=13, on=ON, auditors=[auditor])
    earlier = AuditRound.objects.create(
        kind=RoundKind.RANDOM, quarter="2016-17-q3", title="Random 2016-17-q3", sampling_date=datetime.date(2016, 10, 3)
    )
    for case in Case.objects.filter(opened_on__lte=datetime.date(2016, 10, 3)).order_by("-pk")[:4]:
        build.audit(case, round=earlier)
    thematic = build.round(title="Neglect")
    RoundPopulation.objects.all().delete()  # as before the migration: no round has a frozen population
    state = MigrationExecutor(connection).loader.project_state(("audits", "0007_round_population"))
    migration.freeze_drawn_rounds(state.apps, None)
    assert frozen(drawn) == direct_count(drawn, ON)
    assert frozen(earlier) == direct_count(earlier, datetime.date(2016, 10, 3))
    assert not RoundPopulation.objects.filter(round=thematic).exists()
