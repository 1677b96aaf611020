"""The sample check as people read it: officers' charts and tables, and members' disclosure-safe panel.

``scorecard_addition(check)`` is the plain-JSON addition to a scorecard snapshot (its audit panel and
the pack render it). Members see counts through ``perfsite.disclosure``: each dimension is suppressed
as one table of sampled and not-sampled cases with the population as its margins, so a hidden sample
count cannot be got back from a total. Shares, expected counts and residuals rest on those counts and
are hidden with them; where any count of a dimension is hidden, its chi-square is not shown either
(with the expected counts known, it would pin the hidden counts down).
"""

from __future__ import annotations

from decimal import Decimal

from audits.representativeness import (
    NOT_REPRESENTATIVE,
    REPRESENTATIVE,
    TOO_SMALL,
    DimensionTest,
    SampleCheck,
    merge_text,
    method_text,
)
from perfsite.charts import Series, bar_chart
from perfsite.disclosure import SUPPRESSED, suppress_table

HIDDEN_TEST = "not shown: with the expected counts, it would give back hidden counts"
FLAG_TEXT = {"over": "Over-represented", "under": "Under-represented", "": ""}

# A council has 20 to 40 teams; a page must not grow with the data. Beyond this many strata a dimension
# shows the flagged ones, then the largest by open cases, and says how many more there are (officers
# download them all). Merges and flags are named up to a few each, then counted.
STRATA_SHOWN = 25
MERGES_NAMED = 3
NAMES_PER_MERGE = 6
FLAGS_NAMED = 6
NOUNS = {"team": "teams", "case_type": "case types", "time_open": "time-open bands"}


def _pct(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _count(value) -> str:
    return value if isinstance(value, str) else f"{value:,}"


def p_text(p_value: float | None) -> str:
    if p_value is None:
        return ""
    if p_value < 0.001:
        return "p < 0.001"
    return "p > 0.999" if p_value > 0.999 else f"p = {p_value:.3f}"


def test_text(test: DimensionTest) -> str:
    if test.chi_square is None:
        return "not tested"
    degrees = f"{test.df} degree{'s' if test.df != 1 else ''} of freedom"
    return f"χ² = {test.chi_square:.2f} on {degrees}, {p_text(test.p_value)}"


def _when(check: SampleCheck) -> str:
    dates = sorted({r["sampling_date"] for r in check.rounds})
    return " and ".join(d.strftime("%-d %B %Y") for d in dates)


def verdict_sentence(check: SampleCheck, *, flags: bool = True) -> str:
    """One line: is the sample representative, and where not, by what."""
    if not check.rounds:
        return "No random audit sample was drawn this quarter, so there is nothing to test."
    lead = (
        f"The random sample of {check.sample:,} case files drawn on {_when(check)}, against the "
        f"{check.population:,} cases open that day"
    )
    verdict = check.verdict
    if verdict == TOO_SMALL:
        return f"{lead}, is too small to test for representativeness."
    if verdict == REPRESENTATIVE:
        return (
            f"{lead}, is representative by team, case type and time open: no difference is significant at the 5% level."
        )
    failing = [t for t in check.dimensions if t.verdict == NOT_REPRESENTATIVE]
    text = f"{lead}, is not representative at the 5% level by {' and by '.join(t.label.lower() for t in failing)}"
    if flags:
        named = [f"{s.label} {FLAG_TEXT[s.flag].lower()}" for t in failing for s in t.strata if s.flag and s.residual]
        if len(named) > FLAGS_NAMED:
            named = [*named[:FLAGS_NAMED], f"and {len(named) - FLAGS_NAMED:,} more flagged"]
        if named:
            text += f" ({'; '.join(named)})"
    return text + "."


def thematic_note(check: SampleCheck) -> str:
    if not check.thematic_rounds:
        return ""
    titles = ", ".join(check.thematic_rounds)
    return f"Thematic rounds ({titles}) choose their cases on purpose, so they are not tested for representativeness."


def shown_strata(keys: list[tuple[bool, int | None]]) -> list[int]:
    """Which strata a page shows, by place: all of them up to ``STRATA_SHOWN``, in their order; beyond
    it, the flagged ones first, then the largest by open cases (``None``: a hidden count, last).

    ``keys`` is (flagged, open cases) per stratum, as the reader may see them: members' hidden flags
    and counts must not choose, or the choice would give them away."""
    if len(keys) <= STRATA_SHOWN:
        return list(range(len(keys)))
    ranked = sorted(range(len(keys)), key=lambda i: (not keys[i][0], keys[i][1] is None, -(keys[i][1] or 0), i))
    return ranked[:STRATA_SHOWN]


def _method(test: DimensionTest) -> str:
    return method_text(test, merges=MERGES_NAMED, names=NAMES_PER_MERGE)


def _not_shown(test: DimensionTest, shown: int) -> dict:
    hidden = len(test.strata) - shown
    noun = NOUNS.get(test.dimension, "groups")
    return {"count": f"{hidden:,}", "total": f"{len(test.strata):,}", "shown": shown, "noun": noun} if hidden else {}


# -- officers ---------------------------------------------------------------------------------------


def officer_dimensions(check: SampleCheck, *, chart_prefix: str) -> list[dict]:
    """Each dimension with its full table and an SVG chart of sample share against population share."""
    result = []
    for test in check.dimensions:
        merged = {label: labels for labels in test.merged for label in labels}
        population, sample = test.population, test.sample  # each a sum over the strata: once, not per row
        places = shown_strata([(bool(s.flag), s.population) for s in test.strata])
        strata = [test.strata[i] for i in places]
        rows = [
            {
                "label": s.label,
                "population": f"{s.population:,}",
                "population_share": _pct(s.population, population),
                "sample": f"{s.sample:,}",
                "sample_share": _pct(s.sample, sample),
                "expected": f"{s.expected:.1f}",
                "residual": "" if s.residual is None else f"{s.residual:+.2f}",
                "flag": FLAG_TEXT[s.flag],
                "group": merge_text(merged[s.label], names=NAMES_PER_MERGE) if s.label in merged else "",
            }
            for s in strata
        ]
        chart = bar_chart(
            title=f"Sample share against population share by {test.label.lower()}",
            categories=[s.label for s in strata],
            series=[
                Series("Share of the sample", [r["sample_share"] for r in rows]),
                Series("Share of open cases", [r["population_share"] for r in rows]),
            ],
            unit="%",
            decimals=1,
            category_label=test.label,
            chart_id=f"{chart_prefix}-sample-{test.dimension}",
        )
        result.append(
            {
                "dimension": test.dimension,
                "label": test.label,
                "rows": rows,
                "test": test_text(test),
                "method": _method(test),
                "verdict": test.verdict,
                "chart": chart,
                "not_shown": _not_shown(test, len(strata)),
            }
        )
    return result


# -- members (frozen into the scorecard snapshot) ---------------------------------------------------


def _member_dimension(test: DimensionTest) -> dict:
    # Suppressed over the whole dimension, then bounded: leaving rows out shows less, never more.
    table = suppress_table([[s.sample, s.population - s.sample] for s in test.strata])
    visible = []
    for stratum, (sampled, _), population in zip(test.strata, table.cells, table.row_totals, strict=True):
        shown = sampled != SUPPRESSED and population != SUPPRESSED
        visible.append((stratum, sampled, population, shown))
    places = shown_strata(
        [
            (shown and bool(s.flag), None if population == SUPPRESSED else population)
            for s, _, population, shown in visible
        ]
    )
    rows = []
    for stratum, sampled, population, shown in (visible[i] for i in places):
        rows.append(
            {
                "label": stratum.label,
                "population": _count(population),
                "population_share": ""
                if population == SUPPRESSED or table.grand_total == SUPPRESSED
                else f"{_pct(stratum.population, test.population)}%",
                "sample": _count(sampled),
                "sample_share": f"{_pct(stratum.sample, test.sample)}%" if shown else "",
                "expected": f"{stratum.expected:.1f}" if population != SUPPRESSED else "",
                "residual": "" if not shown or stratum.residual is None else f"{stratum.residual:+.2f}",
                "flag": FLAG_TEXT[stratum.flag] if shown else "",
            }
        )
    hidden = bool(table.suppressed)
    return {
        "dimension": test.dimension,
        "label": test.label,
        "rows": rows,
        "population": _count(table.grand_total),
        "sample": _count(table.column_totals[0]),
        "verdict": test.verdict,
        "test": HIDDEN_TEST if hidden and test.chi_square is not None else test_text(test),
        "method": _method(test),
        # Only where rows are left out, so snapshots of councils with few teams are as they were.
        **({"not_shown": not_shown} if (not_shown := _not_shown(test, len(rows))) else {}),
    }


def scorecard_addition(check: SampleCheck | None) -> dict | None:
    """The audit panel's "is the sample representative?" part, as plain JSON for the snapshot (None: not checked)."""
    if check is None:
        return None
    if not check.rounds:
        return {
            "tested": False,
            "verdict": "",
            "message": verdict_sentence(check),
            "thematic_note": thematic_note(check),
            "dimensions": [],
        }
    dimensions = [_member_dimension(test) for test in check.dimensions]
    return {
        "tested": True,
        "verdict": check.verdict,
        # Flags name strata whose counts may be hidden; the table shows them where it may.
        "message": verdict_sentence(check, flags=False),
        "thematic_note": thematic_note(check),
        "dimensions": dimensions,
    }


def officer_context(
    check: SampleCheck | None, *, chart_prefix: str, thematic: bool = False, download_url: str = ""
) -> dict:
    """What ``audits/includes/sample_check.html`` shows on the round and results pages."""
    if thematic or check is None:
        return {"thematic": True}
    return {
        "thematic": False,
        "verdict": check.verdict if check.rounds else "",
        "message": verdict_sentence(check),
        "thematic_note": thematic_note(check),
        "not_counted": check.not_counted,
        "dimensions": officer_dimensions(check, chart_prefix=chart_prefix),
        "download_url": download_url if check.rounds else "",
    }


# -- the officers' download -------------------------------------------------------------------------

DOWNLOAD_COLUMNS = (
    "Dimension",
    "Stratum",
    "Open cases",
    "Share of open cases (%)",
    "Sampled",
    "Share of the sample (%)",
    "Expected",
    "Residual",
    "Flag",
    "Tested as",
)


def download_rows(check: SampleCheck):
    """Every stratum of every dimension, as the officers' table shows them but unbounded (header first).

    Values only: the caller writes each row through ``perfsite.spreadsheet.csv_row``."""
    yield DOWNLOAD_COLUMNS
    for test in check.dimensions:
        population, sample = test.population, test.sample
        for s in test.strata:
            yield (
                test.label,
                s.label,
                s.population,
                _pct(s.population, population),
                s.sample,
                _pct(s.sample, sample),
                round(s.expected, 2),
                "" if s.residual is None else round(s.residual, 2),
                FLAG_TEXT[s.flag],
                s.group if s.group != s.label else "",
            )
