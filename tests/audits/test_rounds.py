"""Drawing and allocating rounds against the database."""

import datetime
from decimal import Decimal

import pytest

from audits.allocation import AllocationRefused
from audits.choices import AuditStatus, RoundKind
from audits.models import Audit, AuditRound
from audits.services.rounds import RoundError, create_random_round, create_thematic_round, draw_random_sample
from indicators.quarters import Quarter
from perfsite.roles import Role

Q4 = Quarter.parse("2016-17-q4")


@pytest.fixture
def two_teams(build):
    north, south = build.team("North"), build.team("South")
    for _ in range(45):
        build.case(north)
    for _ in range(12):
        build.case(south)
    return north, south


def test_each_team_is_sampled_at_ceil_rate_of_its_open_cases(two_teams, auditor):
    draw = draw_random_sample(quarter=Q4, rate=Decimal(5), seed=42)
    assert draw.open_by_team == {"North": 45, "South": 12}
    assert draw.drawn_by_team == {"North": 3, "South": 1}  # ceil(2.25) and at least one
    assert draw.sampling_date == Q4.end


def test_only_cases_open_on_the_sampling_date_are_drawn(build, auditor):
    team = build.team("North")
    open_ = build.case(team, ref="C-OPEN")
    build.case(team, ref="C-CLOSED-BEFORE", closed_on=datetime.date(2017, 1, 10))
    build.case(team, ref="C-CLOSED-ON-DAY", closed_on=datetime.date(2017, 1, 31))
    build.case(team, ref="C-OPENED-AFTER", opened_on=datetime.date(2017, 2, 1))
    build.case(team, ref="C-CLOSED-AFTER", closed_on=datetime.date(2017, 3, 1))
    draw = draw_random_sample(quarter=Q4, rate=Decimal(100), seed=1, on=datetime.date(2017, 1, 31))
    assert sorted(case.case_ref for case in draw.cases) == sorted([open_.case_ref, "C-CLOSED-AFTER"])


def test_the_same_seed_draws_the_same_cases_and_another_seed_others(build):
    team = build.team("North")
    for _ in range(200):
        build.case(team)
    first = [c.case_ref for c in draw_random_sample(quarter=Q4, rate=Decimal(5), seed=7).cases]
    again = [c.case_ref for c in draw_random_sample(quarter=Q4, rate=Decimal(5), seed=7).cases]
    other = [c.case_ref for c in draw_random_sample(quarter=Q4, rate=Decimal(5), seed=8).cases]
    assert first == again
    assert first != other


def test_creating_a_random_round_records_the_seed_and_allocates_independently(two_teams, build, auditor):
    north, south = two_teams
    north_manager = build.user("nm", Role.AUDITOR)
    north.managers.add(north_manager)
    round_, _draw = create_random_round(quarter=Q4, rate=Decimal(5), seed=42, user=auditor)
    assert (round_.kind, round_.seed, round_.rate, round_.sampling_date) == (RoundKind.RANDOM, 42, Decimal(5), Q4.end)
    audits = list(round_.audits.select_related("team"))
    assert len(audits) == 4
    assert all(a.status == AuditStatus.ALLOCATED and a.allocated_at for a in audits)
    # The North manager may only audit South's case; the other auditor takes North's three.
    assert {a.auditor for a in audits if a.team == north} == {auditor}
    assert {a.auditor for a in audits if a.team == south} == {north_manager}
    assert all(a.due_on == Q4.end + datetime.timedelta(days=28) for a in audits)


def test_a_quarter_has_one_random_round(two_teams, auditor):
    create_random_round(quarter=Q4, seed=1)
    with pytest.raises(RoundError, match="already has a random round"):
        create_random_round(quarter=Q4, seed=2)


def test_refusal_allocates_nothing_and_names_the_cases(build, auditor):
    team = build.team("North", managers=[auditor])
    case = build.case(team, ref="C-000777")
    with pytest.raises(AllocationRefused) as raised:
        create_random_round(quarter=Q4, rate=Decimal(5), seed=3)
    assert "C-000777 (North)" in str(raised.value)
    assert "manages North" in str(raised.value)
    assert not AuditRound.objects.exists()
    assert not Audit.objects.filter(case=case).exists()


def test_the_case_worker_and_team_colleagues_never_audit(build):
    north, south = build.team("North"), build.team("South")
    own_worker = build.user("own", Role.AUDITOR)
    colleague = build.user("colleague", Role.AUDITOR)
    outsider = build.user("independent", Role.AUDITOR)
    build.worker(south, user=own_worker)  # moved team, but still the case's worker
    build.worker(north, user=colleague)
    case = build.case(north, worker=own_worker.worker)
    round_, _ = create_random_round(quarter=Q4, rate=Decimal(100), seed=1)
    assert round_.audits.get(case=case).auditor == outsider


def test_thematic_round_by_case_type_team_and_hand(build, auditor):
    north, south = build.team("North"), build.team("South")
    cp_north = build.case(north, case_type="cp")
    build.case(north, case_type="cin")
    cp_south = build.case(south, case_type="cp")
    closed = build.case(south, case_type="lac", closed_on=datetime.date(2016, 12, 1))
    round_ = create_thematic_round(
        quarter=Q4, title="Neglect", case_types=["cp"], teams=[north], case_refs=[closed.case_ref.lower()]
    )
    assert round_.kind == RoundKind.THEMATIC
    assert set(round_.audits.values_list("case", flat=True)) == {cp_north.pk, closed.pk}
    assert cp_south.pk not in set(round_.audits.values_list("case", flat=True))
    assert "Child protection" in round_.selection


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " ", "case_types": ["cp"]}, "Enter a title"),
        ({"title": "Neglect"}, "Choose the cases"),
        ({"title": "Neglect", "case_refs": ["C-NOPE"]}, "No case has the reference"),
        ({"title": "Neglect", "case_types": ["adoption"]}, "Unknown case type"),
    ],
)
def test_thematic_round_refuses_bad_choices(build, auditor, kwargs, message):
    build.case(build.team())
    with pytest.raises(RoundError, match=message):
        create_thematic_round(quarter=Q4, **kwargs)
