"""Is a random audit sample representative of the cases it was drawn from? Pure functions and one selector.

For each dimension (team, case type, time open on the sampling date) the sample's counts are set
against the population's: the expected count under proportional sampling is ``n x N_i / N``, and a
Pearson chi-square goodness-of-fit test (SciPy's ``chi2`` for the p-value) says whether the
differences are more than chance. Strata whose expected count is under 5 are merged before the test
(the chi-square approximation is poor below that); the method string says which were merged. The
standardised residual ``(O - E) / sqrt(E)`` of each stratum flags under- or over-representation
beyond +/-2. Rules: docs/audits.md, "Is the sample representative?".

The population is the case list as it stood when the round was drawn: counted at the draw with the
sampled cases' strata and kept (``audits.population``), so every sampled case falls in a population
stratum, each dimension's strata add up to the sample and the population, and the check reads those
few rows, never the case list. Thematic rounds are chosen on purpose and are not tested.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Case as Choose
from django.db.models import Exists, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce

from audits.choices import CaseType, PopulationDimension, RoundKind
from audits.models import AuditRound, RoundPopulation, RoundStatusTally
from audits.population import TIME_OPEN_BANDS, freeze_population

MIN_EXPECTED = 5
RESIDUAL_LIMIT = 2
SIGNIFICANCE = 0.05

REPRESENTATIVE = "representative"
NOT_REPRESENTATIVE = "not representative"
TOO_SMALL = "too small to test"

DIMENSIONS = tuple(PopulationDimension.choices)


@dataclass(frozen=True)
class Stratum:
    value: str
    label: str
    population: int
    sample: int
    expected: float
    residual: float | None
    group: str  # the label of the (possibly merged) group the test used

    @property
    def flag(self) -> str:
        """``over`` or ``under`` when the standardised residual is beyond +/-2, else empty."""
        if self.residual is None or abs(self.residual) <= RESIDUAL_LIMIT:
            return ""
        return "over" if self.residual > 0 else "under"


@dataclass(frozen=True)
class DimensionTest:
    dimension: str
    label: str
    strata: list[Stratum]
    chi_square: float | None
    df: int
    p_value: float | None
    method: str
    merged: list[list[str]] = field(default_factory=list)

    @property
    def population(self) -> int:
        return sum(s.population for s in self.strata)

    @property
    def sample(self) -> int:
        return sum(s.sample for s in self.strata)

    @property
    def verdict(self) -> str:
        if self.p_value is None:
            return TOO_SMALL
        return NOT_REPRESENTATIVE if self.p_value < SIGNIFICANCE else REPRESENTATIVE


def _merge(groups: list[dict], *, ordered: bool) -> list[dict]:
    """Merge the group with the smallest expected count into a neighbour until every expected count is
    at least 5 or one group is left. Ordered strata (time open) merge with the adjacent group with the
    smaller expected count; unordered ones with the group of the next smallest expected count."""
    if not ordered:
        return _merge_smallest_two(groups)
    groups = [dict(g) for g in groups]
    while len(groups) > 1 and min(g["expected"] for g in groups) < MIN_EXPECTED:
        i = min(range(len(groups)), key=lambda k: (groups[k]["expected"], k))
        neighbours = [k for k in (i - 1, i + 1) if 0 <= k < len(groups)]
        j = min(neighbours, key=lambda k: (groups[k]["expected"], k))
        first, second = sorted((i, j))
        groups[first] = _joined(groups[first], groups[second])
        del groups[second]
    return groups


def _joined(a: dict, b: dict) -> dict:
    return {
        "labels": a["labels"] + b["labels"],
        "observed": a["observed"] + b["observed"],
        "expected": a["expected"] + b["expected"],
    }


def _merge_smallest_two(groups: list[dict]) -> list[dict]:
    """The unordered merge: the two smallest expected counts join, ties going to the first listed, the
    joined group taking the earlier place. A heap keyed by (expected, first place) finds them, so a
    dimension of a thousand teams costs n log n, not n squared; the list stays in first-place order."""
    live = {place: dict(g) for place, g in enumerate(groups)}
    heap = [(g["expected"], place) for place, g in live.items()]
    heapq.heapify(heap)
    while len(heap) > 1 and heap[0][0] < MIN_EXPECTED:
        (_, i), (_, j) = heapq.heappop(heap), heapq.heappop(heap)
        first, second = sorted((i, j))
        live[first] = _joined(live[first], live.pop(second))
        heapq.heappush(heap, (live[first]["expected"], first))
    return [live[place] for place in sorted(live)]


def goodness_of_fit(
    counts: Sequence[tuple[str, str, int, int]], *, dimension: str, label: str, ordered: bool = False
) -> DimensionTest:
    """Test ``counts`` (value, label, population, sample) for one dimension.

    Strata with no population are left out (nothing could be drawn from them)."""
    rows = [(v, lab, int(p), int(s)) for v, lab, p, s in counts if p > 0]
    population = sum(p for _, _, p, _ in rows)
    sample = sum(s for _, _, _, s in rows)
    if any(s > p for _, _, p, s in rows) or any(s < 0 for _, _, _, s in rows):
        raise ValueError(f"{label}: a stratum has more sampled cases than open cases.")
    expected = [sample * p / population if population else 0.0 for _, _, p, _ in rows]
    groups = _merge(
        [{"labels": [lab], "observed": s, "expected": e} for (_, lab, _, s), e in zip(rows, expected, strict=True)],
        ordered=ordered,
    )
    group_of = {lab: " + ".join(g["labels"]) for g in groups for lab in g["labels"]}
    strata = [
        Stratum(
            value=v,
            label=lab,
            population=p,
            sample=s,
            expected=e,
            residual=(s - e) / math.sqrt(e) if e > 0 else None,
            group=group_of[lab],
        )
        for (v, lab, p, s), e in zip(rows, expected, strict=True)
    ]
    merged = [g["labels"] for g in groups if len(g["labels"]) > 1]
    df = len(groups) - 1
    if sample == 0 or df < 1:
        return DimensionTest(
            dimension, label, strata, None, max(df, 0), None, _method(merged, tested=False), merged=merged
        )
    # Imported here: scipy.stats takes about a second to import, which every web process and command
    # would otherwise pay at start-up through the scorecard's imports.
    from scipy.stats import chi2

    statistic = sum((g["observed"] - g["expected"]) ** 2 / g["expected"] for g in groups)
    p_value = float(chi2.sf(statistic, df))
    return DimensionTest(dimension, label, strata, statistic, df, p_value, _method(merged, tested=True), merged=merged)


def merge_text(labels: Sequence[str], *, names: int | None = None) -> str:
    """A merged group's labels joined with " + "; beyond ``names`` of them, the rest as a count."""
    if names is None or len(labels) <= names:
        return " + ".join(labels)
    return " + ".join(labels[:names]) + f" + {len(labels) - names:,} more"


def method_text(test: DimensionTest, *, merges: int, names: int) -> str:
    """``test.method`` for a page: at most ``merges`` merges named, each with at most ``names`` labels.

    A dimension of a thousand small teams merges hundreds of them; the page says how many more there
    are and the full list stays in ``test.method`` (the command's output) and the officers' download."""
    return _method(test.merged, tested=test.chi_square is not None, merges=merges, names=names)


def _method(merged: list[list[str]], *, tested: bool, merges: int | None = None, names: int | None = None) -> str:
    text = "Pearson chi-square goodness of fit against proportional sampling"
    if merged:
        named = merged if merges is None else merged[:merges]
        text += "; strata with an expected count under 5 merged: " + "; ".join(
            merge_text(m, names=names) for m in named
        )
        if len(merged) > len(named):
            more = len(merged) - len(named)
            text += f"; and {more:,} more merge{'s' if more != 1 else ''}"
    else:
        text += "; no strata merged"
    if not tested:
        text += "; not tested: fewer than two strata (after merging) or no sample"
    return text


def overall_verdict(tests: Sequence[DimensionTest]) -> str:
    """Not representative if any dimension's test rejects at 5%; too small if none could be tested."""
    verdicts = [t.verdict for t in tests]
    if NOT_REPRESENTATIVE in verdicts:
        return NOT_REPRESENTATIVE
    if REPRESENTATIVE in verdicts:
        return REPRESENTATIVE
    return TOO_SMALL


@dataclass(frozen=True)
class SampleCheck:
    quarter: str
    rounds: list[dict]  # {"id", "title", "sampling_date"}
    population: int
    sample: int
    dimensions: list[DimensionTest]
    thematic_rounds: list[str] = field(default_factory=list)
    not_counted: int = 0  # sampled cases not open on the sampling date by the list the population was counted from

    @property
    def verdict(self) -> str:
        return overall_verdict(self.dimensions)

    def as_json(self) -> dict:
        """Exactly the shape ``manage.py sample_check`` prints."""
        return {
            "quarter": self.quarter,
            "population": self.population,
            "sample": self.sample,
            "dimensions": [
                {
                    "dimension": t.dimension,
                    "strata": [
                        {
                            "value": s.label,
                            "population": s.population,
                            "sample": s.sample,
                            "expected": round(s.expected, 2),
                            "residual": None if s.residual is None else round(s.residual, 2) + 0.0,
                        }
                        for s in t.strata
                    ],
                    "chi_square": None if t.chi_square is None else round(t.chi_square, 3),
                    "df": t.df,
                    "p_value": None if t.p_value is None else round(t.p_value, 4),
                    "method": t.method,
                }
                for t in self.dimensions
            ],
            "verdict": self.verdict,
        }


def check_from_counts(
    *,
    quarter: str,
    rounds: list[dict],
    population_cells: dict[tuple, int],
    sample_cells: dict[tuple, int],
    labels: dict[str, dict[str, str]],
    thematic_rounds: Sequence[str] = (),
    not_counted: int = 0,
) -> SampleCheck:
    """The check from cross-tabulated counts keyed by (team, case type, time-open band).

    ``labels`` maps each dimension to {value: label}, in display order."""
    strata: dict[str, dict[str, tuple[int, int]]] = {}
    for index, (dimension, _label) in enumerate(DIMENSIONS):
        margins: dict[str, list[int]] = {}
        for cells, column in ((population_cells, 0), (sample_cells, 1)):
            for key, n in cells.items():
                margins.setdefault(key[index], [0, 0])[column] += n
        strata[dimension] = {value: (population, sample) for value, (population, sample) in margins.items()}
    return check_from_strata(
        quarter=quarter,
        rounds=rounds,
        strata=strata,
        labels=labels,
        thematic_rounds=thematic_rounds,
        not_counted=not_counted,
    )


def check_from_strata(
    *,
    quarter: str,
    rounds: list[dict],
    strata: Mapping[str, Mapping[str, tuple[int, int]]],
    labels: dict[str, dict[str, str]],
    thematic_rounds: Sequence[str] = (),
    not_counted: int = 0,
) -> SampleCheck:
    """The check from each dimension's strata: ``strata[dimension][value] = (population, sample)``.

    ``labels`` maps each dimension to {value: label}, in display order; other values follow, sorted."""
    tests = []
    for dimension, dimension_label in DIMENSIONS:
        counted = strata.get(dimension, {})
        order = list(labels[dimension])
        values = order + sorted(set(counted) - set(order))
        counts = [(v, labels[dimension].get(v, v), *counted[v]) for v in values if v in counted]
        tests.append(
            goodness_of_fit(counts, dimension=dimension, label=dimension_label, ordered=dimension == "time_open")
        )
    # Each dimension splits the same cases, so any one of them gives the totals.
    return SampleCheck(
        quarter=quarter,
        rounds=rounds,
        population=sum(population for population, _ in strata.get(DIMENSIONS[0][0], {}).values()),
        sample=sum(sample for _, sample in strata.get(DIMENSIONS[0][0], {}).values()),
        dimensions=tests,
        thematic_rounds=list(thematic_rounds),
        not_counted=not_counted,
    )


# -- the one selector ------------------------------------------------------------------------------


def _frozen_strata(round_ids: list[int]) -> dict[str, dict[str, tuple[int, int]]]:
    """The rounds' frozen populations added together per dimension and stratum: one aggregate query."""
    rows = (
        RoundPopulation.objects.filter(round_id__in=round_ids)
        .values("dimension", "stratum")
        .annotate(population=Sum("open_cases"), sample=Sum("sampled"))
        .order_by()
    )
    strata: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows:
        strata.setdefault(row["dimension"], {})[row["stratum"]] = (row["population"], row["sample"])
    return strata


def sample_check(*, quarter, round_id: int | None = None) -> SampleCheck:
    """The check for ``quarter``'s random rounds together, or for one round, against the populations
    frozen when they were drawn: 2 queries whatever the number of cases (the rounds, then their strata).

    A random round with no frozen population (made outside the draw service, e.g. by a script) is
    counted from the case list as it stands at its first check, once, and kept."""
    # A random round's audits, read from its status tally (a few rows, however many audits it has).
    audits_total = (
        RoundStatusTally.objects.filter(round_id=OuterRef("pk")).order_by().values("round_id").annotate(n=Sum("audits"))
    )
    rounds = (
        AuditRound.objects.filter(quarter=quarter.slug)
        .annotate(
            audits_total=Choose(
                When(kind=RoundKind.RANDOM, then=Coalesce(Subquery(audits_total.values("n")), 0)),
                default=0,
            ),
            frozen=Exists(RoundPopulation.objects.filter(round_id=OuterRef("pk"))),
        )
        .order_by("pk")
    )
    if round_id is not None:
        rounds = rounds.filter(pk=round_id)
    rounds = list(rounds)
    random_rounds = [r for r in rounds if r.kind == RoundKind.RANDOM and r.sampling_date]
    thematic = [r.title for r in rounds if r.kind == RoundKind.THEMATIC]
    if not random_rounds:
        return SampleCheck(
            quarter=quarter.slug, rounds=[], population=0, sample=0, dimensions=[], thematic_rounds=thematic
        )
    for round_ in random_rounds:
        if not round_.frozen:
            freeze_population(round_id=round_.pk, on=round_.sampling_date)
    strata = _frozen_strata([r.pk for r in random_rounds])
    labels = {
        "team": {team: team for team in sorted(strata.get("team", {}))},
        "case_type": dict(CaseType.choices),
        "time_open": {key: label for key, label, _ in TIME_OPEN_BANDS},
    }
    # Audits whose case was not open on the sampling date when the population was counted (none for a draw).
    sampled = sum(sample for _, sample in strata.get(DIMENSIONS[0][0], {}).values())
    return check_from_strata(
        quarter=quarter.slug,
        rounds=[{"id": r.pk, "title": r.title, "sampling_date": r.sampling_date} for r in random_rounds],
        strata=strata,
        labels=labels,
        thematic_rounds=thematic,
        not_counted=sum(r.audits_total for r in random_rounds) - sampled,
    )
