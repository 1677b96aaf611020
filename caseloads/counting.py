"""The caseload counting rules, in one place.

The specification is the footnote under the chart "% of Staff* by WTE Caseload Range" in the
reference (Durham County Council, Children and Young People's Services performance report,
Quarter 4 2016/17, "Social Worker Caseload (Feb 2016—Apr 2017)"):

    *All Agency Staff and Students assumed to be 1.0 WTE. Team Managers, Social Work
    Consultants, ASYE's, and Students Social Workers have been excluded from the WTE of Staff
    and any cases they hold have also been excluded.

with the optimum from paragraph 17: "an optimum caseload size of 20 cases per social worker".
Stated for users in docs/caseloads.md ("Counting rules"), the rules are:

1. Assumed WTE: agency staff and students count as 1.0 WTE, whatever WTE is recorded for them;
   everyone else counts at their recorded WTE (0.01 to 1.00).
2. Exclusions: team managers, consultant social workers ("Social Work Consultants"), ASYEs and
   students are excluded from the WTE of staff, and any cases they hold are excluded too. Only
   social workers and senior practitioners are *counted staff*.
3. Caseload per WTE = cases / assumed WTE.
4. Over the optimum: caseload per WTE strictly above the optimum (20). Exactly 20.0 is not over.
5. Bands apply to the exact caseload per WTE, upper bound inclusive: 0-10, 11-15 (over 10 up to
   15), 16-20, 21-25, 26-30, over 30. The bounds are configurable (``PERFSITE_CASELOAD_BANDS``).
6. A group's average caseload per WTE = counted cases / counted WTE (not a mean of per-worker
   figures), as "cases per social worker" is read in the reference.

Each rule exists twice: as a Python function for one line (pages, forms) and as a database
expression for roll-ups. Both compare ``cases`` with ``bound x WTE`` in whole hundredths of a
WTE, never by dividing, so a 0.4 WTE worker with 8 cases is exactly 20 per WTE on every
database. Tests check the two against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Round

from caseloads import conf
from caseloads.models.staff import Employment, WorkerRole

COUNTED_ROLES = frozenset({WorkerRole.SOCIAL_WORKER, WorkerRole.SENIOR_PRACTITIONER})
EXCLUDED_ROLES = frozenset(
    {WorkerRole.TEAM_MANAGER, WorkerRole.CONSULTANT_SOCIAL_WORKER, WorkerRole.ASYE, WorkerRole.STUDENT}
)
ASSUMED_FULL_TIME_ROLES = frozenset({WorkerRole.STUDENT})
ASSUMED_FULL_TIME_EMPLOYMENT = frozenset({Employment.AGENCY})
FULL_TIME = Decimal("1.00")
_HUNDREDTH = Decimal("0.01")

assert set(WorkerRole) == COUNTED_ROLES | EXCLUDED_ROLES, "every role is either counted or excluded"


# Rules for one line ---------------------------------------------------------------------------


def is_counted(role: str) -> bool:
    """Rule 2: only social workers and senior practitioners are counted staff."""
    return role in COUNTED_ROLES


def assumed_wte(*, role: str, employment: str, wte: Decimal) -> Decimal:
    """Rule 1: agency staff and students are assumed to be 1.0 WTE."""
    if employment in ASSUMED_FULL_TIME_EMPLOYMENT or role in ASSUMED_FULL_TIME_ROLES:
        return FULL_TIME
    return Decimal(wte).quantize(_HUNDREDTH)


def counted_wte(*, role: str, employment: str, wte: Decimal) -> Decimal:
    """The WTE a line adds to the counted WTE of staff: its assumed WTE, or 0 when excluded."""
    if not is_counted(role):
        return Decimal("0.00")
    return assumed_wte(role=role, employment=employment, wte=wte)


def caseload_per_wte(*, cases: int, wte: Decimal) -> Decimal:
    """Rule 3, exact (Decimal division); round only for display."""
    wte = Decimal(wte)
    if wte <= 0:
        raise ValueError("caseload per WTE needs a WTE above zero")
    return Decimal(cases) / wte


def _hundredths(wte: Decimal) -> int:
    return int((Decimal(wte) * 100).to_integral_value())


def is_over_optimum(*, cases: int, wte: Decimal, optimum: int | None = None) -> bool:
    """Rule 4: strictly above the optimum, compared as cases x 100 > optimum x WTE in hundredths."""
    optimum = conf.optimum() if optimum is None else optimum
    return cases * 100 > optimum * _hundredths(wte)


@dataclass(frozen=True)
class Band:
    """A caseload-per-WTE band: above ``lower`` (exclusive, None = 0) up to ``upper`` (inclusive, None = no cap)."""

    label: str
    lower: int | None
    upper: int | None

    def contains(self, *, cases: int, wte: Decimal) -> bool:
        scaled, wte_h = cases * 100, _hundredths(wte)
        above_lower = self.lower is None or scaled > self.lower * wte_h
        within_upper = self.upper is None or scaled <= self.upper * wte_h
        return above_lower and within_upper


def bands(upper_bounds: tuple[int, ...] | None = None) -> list[Band]:
    """Rule 5: the bands, in order, labelled as the reference labels them (0-10, 11-15, ..., over 30)."""
    bounds = conf.band_upper_bounds() if upper_bounds is None else tuple(upper_bounds)
    result: list[Band] = []
    lower: int | None = None
    for upper in bounds:
        label = f"0-{upper}" if lower is None else f"{lower + 1}-{upper}"
        result.append(Band(label, lower, upper))
        lower = upper
    result.append(Band(f"over {lower}", lower, None))
    return result


def band_for(*, cases: int, wte: Decimal, upper_bounds: tuple[int, ...] | None = None) -> Band:
    for band in bands(upper_bounds):
        if band.contains(cases=cases, wte=wte):
            return band
    raise AssertionError("the bands cover every caseload from 0 upwards")  # pragma: no cover


@dataclass(frozen=True)
class LineFigures:
    """What the rules make of one worker's line."""

    counted: bool
    assumed_wte: Decimal
    counted_wte: Decimal
    counted_cases: int
    caseload_per_wte: Decimal
    over_optimum: bool
    band: Band


def line_figures(*, role: str, employment: str, wte: Decimal, cases: int, optimum: int | None = None) -> LineFigures:
    """Every rule applied to one line. Excluded lines still get a caseload per WTE for display."""
    assumed = assumed_wte(role=role, employment=employment, wte=wte)
    counted = is_counted(role)
    return LineFigures(
        counted=counted,
        assumed_wte=assumed,
        counted_wte=assumed if counted else Decimal("0.00"),
        counted_cases=cases if counted else 0,
        caseload_per_wte=caseload_per_wte(cases=cases, wte=assumed),
        over_optimum=is_over_optimum(cases=cases, wte=assumed, optimum=optimum),
        band=band_for(cases=cases, wte=assumed),
    )


def average_per_wte(*, counted_cases: int, counted_wte: Decimal) -> Decimal | None:
    """Rule 6: counted cases / counted WTE, or None when no WTE is counted."""
    counted_wte = Decimal(counted_wte)
    if counted_wte <= 0:
        return None
    return Decimal(counted_cases) / counted_wte


# The same rules as database expressions ---------------------------------------------------------
# ``annotate_counting`` adds to a queryset of caseload lines (or of anything with role,
# employment, wte and cases under ``prefix``):
#   counting_counted      1 when the line's staff are counted, else 0
#   counting_wte_h        assumed WTE in whole hundredths (100 for agency staff and students)
#   counting_cases_x100   cases x 100
# and the Q objects below filter on those annotations.


def counted_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}role__in": sorted(COUNTED_ROLES)})


def assumed_full_time_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}employment__in": sorted(ASSUMED_FULL_TIME_EMPLOYMENT)}) | Q(
        **{f"{prefix}role__in": sorted(ASSUMED_FULL_TIME_ROLES)}
    )


def assumed_wte_hundredths(prefix: str = "") -> Case:
    # Round before casting: SQLite holds 0.29 as a binary float, and 0.29 x 100 truncates to 28.
    return Case(
        When(assumed_full_time_q(prefix), then=Value(100)),
        default=Cast(Round(F(f"{prefix}wte") * Value(100)), IntegerField()),
        output_field=IntegerField(),
    )


def annotate_counting(queryset, prefix: str = ""):
    return queryset.annotate(
        counting_counted=Case(When(counted_q(prefix), then=Value(1)), default=Value(0), output_field=IntegerField()),
        counting_wte_h=assumed_wte_hundredths(prefix),
        counting_cases_x100=F(f"{prefix}cases") * Value(100),
    )


def counted_line_q() -> Q:
    """On an annotated queryset: the line is counted staff."""
    return Q(counting_counted=1)


def over_optimum_q(optimum: int | None = None) -> Q:
    """On an annotated queryset: counted and strictly above the optimum per WTE."""
    optimum = conf.optimum() if optimum is None else optimum
    return counted_line_q() & Q(counting_cases_x100__gt=F("counting_wte_h") * Value(optimum))


def band_q(band: Band) -> Q:
    """On an annotated queryset: counted and within ``band``."""
    condition = counted_line_q()
    if band.lower is not None:
        condition &= Q(counting_cases_x100__gt=F("counting_wte_h") * Value(band.lower))
    if band.upper is not None:
        condition &= Q(counting_cases_x100__lte=F("counting_wte_h") * Value(band.upper))
    return condition
