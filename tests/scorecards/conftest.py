"""Factories for the scorecard tests: indicators with values, caseload returns and completed audits."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from audits.models import Audit, AuditRound, Case, Moderation
from audits.tallies import refresh_quarters
from caseloads.models import CaseloadLine, CaseloadReturn, Employment, ServiceArea, Team, Worker, WorkerRole
from caseloads.tallies import refresh_tallies
from indicators.models import Indicator, IndicatorValue, Theme, scale_of
from indicators.quarters import Quarter

CYP = "Altogether Better for Children and Young People"
Q3 = Quarter.parse("2016-17-q3")
Q4 = Quarter.parse("2016-17-q4")

_numbers = itertools.count(1)


def cyp_theme() -> Theme:
    return Theme.objects.get_or_create(name=CYP, defaults={"slug": "cyp"})[0]


def make_indicator(code: str, **fields) -> Indicator:
    defaults = {
        "description": f"Percentage of things for {code}",
        "kind": "target",
        "polarity": "higher",
        "unit": "percent",
        "decimals": 1,
        "tolerance": Decimal("2"),
        "framework_level": "assessment_safeguarding",
        "theme": cyp_theme(),
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


def add_value(indicator, series, start, end, value, label=None, **extra) -> IndicatorValue:
    number = Decimal(value)
    return IndicatorValue.objects.create(
        indicator=indicator,
        series=series,
        period_start=datetime.date.fromisoformat(start),
        period_end=datetime.date.fromisoformat(end),
        period_label=label or f"{start} to {end}",
        value=number,
        scale=scale_of(number),
        **extra,
    )


def quarterly_indicator(code: str, values: dict[str, str], *, target: str | None = None, **fields) -> Indicator:
    """An indicator with one actual per quarter (``{"2016-17-q4": "73.4", ...}``) and a target for each."""
    indicator = make_indicator(code, **fields)
    for slug, value in values.items():
        quarter = Quarter.parse(slug)
        add_value(indicator, "actual", str(quarter.start), str(quarter.end), value, quarter.period_label)
        if target is not None:
            add_value(indicator, "target", str(quarter.start), str(quarter.end), target, quarter.period_label)
    return indicator


# -- caseloads -----------------------------------------------------------------------------------


def make_team(name: str, **extra) -> Team:
    return Team.objects.create(name=name, service_area=extra.pop("service_area", ServiceArea.ASSESSMENT), **extra)


def make_worker(team, *, name=None, role=WorkerRole.SOCIAL_WORKER, employment=Employment.PERMANENT, wte="1.00"):
    number = next(_numbers)
    return Worker.objects.create(
        team=team,
        name=name or f"Worker Surname{number}",
        staff_number=f"SC{number:05d}",
        role=role,
        employment=employment,
        wte=Decimal(wte),
    )


def make_return(team, month: datetime.date, lines, *, submitted=True) -> CaseloadReturn:
    now = timezone.now()
    caseload_return = CaseloadReturn.objects.create(
        team=team,
        month=month,
        status="submitted" if submitted else "draft",
        updated_at=now,
        submitted_at=now if submitted else None,
        first_submitted_at=now if submitted else None,
    )
    CaseloadLine.objects.bulk_create(
        CaseloadLine(
            caseload_return=caseload_return,
            worker=worker,
            role=worker.role,
            employment=worker.employment,
            wte=worker.wte,
            cases=cases,
        )
        for worker, cases in lines
    )
    # Written straight to the tables, so counted as every writer must (caseloads.tallies).
    refresh_tallies(returns=[caseload_return])
    return caseload_return


# -- audits --------------------------------------------------------------------------------------


def make_case(team, *, worker=None, case_type="cin") -> Case:
    return Case.objects.create(
        case_ref=f"C-{next(_numbers):06d}",
        case_type=case_type,
        team=team,
        worker=worker,
        opened_on=datetime.date(2016, 1, 1),
    )


def completed_audits(
    team, quarter: Quarter, grades: list[int], *, round_=None, moderated: dict[int, int] | None = None
):
    """Submitted audits of new cases in ``team``, completed in ``quarter``, one per grade."""
    round_ = (
        round_
        or AuditRound.objects.get_or_create(
            quarter=quarter.slug, kind="historic", defaults={"title": f"Results {quarter.slug}"}
        )[0]
    )
    audits = []
    for index, grade in enumerate(grades):
        case = make_case(team)
        audit = Audit.objects.create(
            round=round_,
            case=case,
            team=team,
            case_type=case.case_type,
            status="submitted",
            overall_grade=grade,
            completed_on=quarter.end - datetime.timedelta(days=index % 20),
            submitted_at=timezone.now(),
        )
        if moderated and index in moderated:
            Moderation.objects.create(audit=audit, grade=moderated[index], moderated_at=timezone.now())
        audits.append(audit)
    # Written straight to the tables, as a loader would: count them into the audit roll-ups' tallies.
    refresh_quarters(quarters=[quarter])
    return audits


def grades(outstanding=0, good=0, requires_improvement=0, inadequate=0) -> list[int]:
    return [1] * outstanding + [2] * good + [3] * requires_improvement + [4] * inadequate


# March 2017: 7 counted staff at 16-20 cases and 8 at 21-25 (8 of 15 over 20); average 304 / 15 = 20.3.
NORTH_CASES = (16, 17, 18, 19, 20, 21, 22, 23)
SOUTH_CASES = (16, 17, 21, 22, 23, 24, 25)


@pytest.fixture
def small_scorecard(db):
    """Three indicators over Q3 and Q4 2016/17, two teams with caseload returns and audits."""
    referrals = quarterly_indicator(
        "CASCYP 31",
        {"2015-16-q4": "81.6", "2016-17-q3": "75.0", "2016-17-q4": "73.4"},
        target="85.0",
        description="Percentage of statutory referrals processed within 1 working day",
        ref=20,
    )
    camhs = quarterly_indicator(
        "CASCYP 30",
        {"2015-16-q4": "77.3", "2016-17-q3": "87.4", "2016-17-q4": "89.1"},
        kind="tracker",
        description="Percentage of CAMHS patients who attended within nine weeks",
        framework_level="early_help",
        ref=124,
    )
    lac = quarterly_indicator(
        "CASCYP 24",
        {"2015-16-q4": "67.6", "2016-17-q3": "78.3", "2016-17-q4": "80.8"},
        kind="tracker",
        polarity="lower",
        unit="per_10000",
        description="Rate of looked after children per 10,000 population aged under 18",
        framework_level="corporate_parenting",
        ref=129,
    )
    add_value(lac, "national", "2016-03-31", "2016-03-31", "60.0", "As at Mar 2016")
    add_value(lac, "regional", "2016-03-31", "2016-03-31", "84.0", "As at Mar 2016")

    north, south = make_team("Assessment North"), make_team("Safeguarding South")
    north_workers = [make_worker(north) for _ in range(8)]
    south_workers = [make_worker(south) for _ in range(7)]
    for month, extra in (
        (datetime.date(2016, 2, 1), 6),
        (datetime.date(2016, 12, 1), 1),
        (datetime.date(2017, 3, 1), 0),
    ):
        make_return(north, month, [(w, cases + extra) for w, cases in zip(north_workers, NORTH_CASES, strict=True)])
        make_return(south, month, [(w, cases + extra) for w, cases in zip(south_workers, SOUTH_CASES, strict=True)])
    completed_audits(north, Q4, grades(outstanding=2, good=8, requires_improvement=8, inadequate=2))
    completed_audits(south, Q4, grades(good=9, requires_improvement=9, inadequate=3))
    completed_audits(north, Q3, grades(good=7, requires_improvement=10, inadequate=3))
    return {"referrals": referrals, "camhs": camhs, "lac": lac, "teams": [north, south]}


@pytest.fixture(autouse=True)
def _fresh_scorecard_cache():
    """Published pages are cached by version id (scorecards.frozen); ids repeat between tests whose
    transactions were rolled back, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
