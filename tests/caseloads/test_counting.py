"""The counting rules as a table: every role x employment x WTE case the reference's footnote covers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caseloads import counting
from caseloads.models import CaseloadLine, Employment, WorkerRole
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

SW, SP = WorkerRole.SOCIAL_WORKER, WorkerRole.SENIOR_PRACTITIONER
TM, CSW, ASYE, STU = WorkerRole.TEAM_MANAGER, WorkerRole.CONSULTANT_SOCIAL_WORKER, WorkerRole.ASYE, WorkerRole.STUDENT
PERM, AGENCY = Employment.PERMANENT, Employment.AGENCY
WTES = (Decimal("1.00"), Decimal("0.60"), Decimal("0.40"), Decimal("0.01"))

# (role, employment) -> (counted?, assumed WTE given the recorded WTE)
EXPECTED = {
    # Social workers and senior practitioners are counted: permanent at their WTE, agency at 1.0.
    (SW, PERM): (True, None),
    (SW, AGENCY): (True, Decimal("1.00")),
    (SP, PERM): (True, None),
    (SP, AGENCY): (True, Decimal("1.00")),
    # Team managers, consultant social workers and ASYEs are excluded, WTE and cases.
    (TM, PERM): (False, None),
    (TM, AGENCY): (False, Decimal("1.00")),
    (CSW, PERM): (False, None),
    (CSW, AGENCY): (False, Decimal("1.00")),
    (ASYE, PERM): (False, None),
    (ASYE, AGENCY): (False, Decimal("1.00")),
    # Students are assumed to be 1.0 WTE, and excluded.
    (STU, PERM): (False, Decimal("1.00")),
    (STU, AGENCY): (False, Decimal("1.00")),
}

TABLE = [
    (role, employment, wte, counted, assumed if assumed is not None else wte)
    for (role, employment), (counted, assumed) in EXPECTED.items()
    for wte in WTES
]


def test_the_table_covers_every_role_and_employment():
    assert {(r, e) for r, e, *_ in TABLE} == {(r, e) for r in WorkerRole for e in Employment}


@pytest.mark.parametrize(("role", "employment", "wte", "counted", "assumed"), TABLE)
def test_counting_rules(role, employment, wte, counted, assumed):
    assert counting.is_counted(role) is counted
    assert counting.assumed_wte(role=role, employment=employment, wte=wte) == assumed
    assert counting.counted_wte(role=role, employment=employment, wte=wte) == (assumed if counted else Decimal("0"))
    figures = counting.line_figures(role=role, employment=employment, wte=wte, cases=12)
    assert figures.counted is counted
    assert figures.counted_cases == (12 if counted else 0)
    assert figures.caseload_per_wte == Decimal(12) / assumed


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "employment", "wte", "counted", "assumed"), TABLE)
def test_database_expressions_agree_with_the_python_rules(role, employment, wte, counted, assumed):
    team = make_team()
    worker = make_worker(team, role=role, employment=employment, wte=wte)
    make_return(team, MARCH_2017, [(worker, 7)])
    row = counting.annotate_counting(CaseloadLine.objects.all()).values("counting_counted", "counting_wte_h").get()
    assert row["counting_counted"] == int(counted)
    assert row["counting_wte_h"] == int(assumed * 100)


@pytest.mark.parametrize(
    ("cases", "wte", "per_wte", "over"),
    [
        (20, "1.00", Decimal(20), False),  # exactly 20 is not over
        (21, "1.00", Decimal(21), True),
        (8, "0.40", Decimal(20), False),  # 0.4 WTE at exactly 20 per WTE
        (9, "0.40", Decimal("22.5"), True),
        (6, "0.30", Decimal(20), False),  # 0.3 is not exact in binary floating point
        (0, "0.50", Decimal(0), False),
        (12, "0.60", Decimal(20), False),
        (13, "0.60", Decimal(13) / Decimal("0.6"), True),
    ],
)
def test_caseload_per_wte_and_over_20(cases, wte, per_wte, over):
    assert counting.caseload_per_wte(cases=cases, wte=Decimal(wte)) == per_wte
    assert counting.is_over_optimum(cases=cases, wte=Decimal(wte)) is over


def test_caseload_per_wte_needs_a_wte():
    with pytest.raises(ValueError, match="above zero"):
        counting.caseload_per_wte(cases=3, wte=Decimal(0))


@pytest.mark.parametrize(
    ("cases", "wte", "label"),
    [
        (0, "1.00", "0-10"),
        (10, "1.00", "0-10"),
        (11, "1.00", "11-15"),
        (4, "0.40", "0-10"),  # 10.0 per WTE: upper bound inclusive
        (5, "0.40", "11-15"),  # 12.5 per WTE: over 10, so not 0-10
        (6, "0.40", "11-15"),  # 15.0
        (7, "0.40", "16-20"),  # 17.5
        (8, "0.40", "16-20"),  # 20.0
        (21, "1.00", "21-25"),
        (25, "1.00", "21-25"),
        (26, "1.00", "26-30"),
        (15, "0.50", "26-30"),  # 30.0
        (31, "1.00", "over 30"),
        (61, "1.00", "over 30"),
        (31, "0.01", "over 30"),
    ],
)
def test_bands_are_upper_bound_inclusive_on_the_exact_caseload_per_wte(cases, wte, label):
    assert counting.band_for(cases=cases, wte=Decimal(wte)).label == label


def test_band_labels_follow_the_reference():
    assert [band.label for band in counting.bands()] == ["0-10", "11-15", "16-20", "21-25", "26-30", "over 30"]


def test_bands_are_configurable(settings):
    settings.PERFSITE_CASELOAD_BANDS = (12, 18, 24)
    assert [band.label for band in counting.bands()] == ["0-12", "13-18", "19-24", "over 24"]
    assert counting.band_for(cases=13, wte=Decimal("1.00")).label == "13-18"


def test_bad_band_configuration_is_refused(settings):
    settings.PERFSITE_CASELOAD_BANDS = (20, 10)
    with pytest.raises(ValueError, match="PERFSITE_CASELOAD_BANDS"):
        counting.bands()


def test_average_is_counted_cases_over_counted_wte():
    assert counting.average_per_wte(counted_cases=45, counted_wte=Decimal("2.5")) == Decimal(18)
    assert counting.average_per_wte(counted_cases=0, counted_wte=Decimal(0)) is None
