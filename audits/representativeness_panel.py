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

from audits.representativeness import NOT_REPRESENTATIVE, REPRESENTATIVE, TOO_SMALL, DimensionTest, SampleCheck
from perfsite.charts import Series, bar_chart
from perfsite.disclosure import SUPPRESSED, suppress_table

HIDDEN_TEST = "not shown: with the expected counts, it would give back hidden counts"
FLAG_TEXT = {"over": "Over-represented", "under": "Under-represented", "": ""}


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
        if named:
            text += f" ({'; '.join(named)})"
    return text + "."


def thematic_note(check: SampleCheck) -> str:
    if not check.thematic_rounds:
        return ""
    titles = ", ".join(check.thematic_rounds)
    return f"Thematic rounds ({titles}) choose their cases on purpose, so they are not tested for representativeness."


# -- officers ---------------------------------------------------------------------------------------


def officer_dimensions(check: SampleCheck, *, chart_prefix: str) -> list[dict]:
    """Each dimension with its full table and an SVG chart of sample share against population share."""
    result = []
    for test in check.dimensions:
        rows = [
            {
                "label": s.label,
                "population": f"{s.population:,}",
                "population_share": _pct(s.population, test.population),
                "sample": f"{s.sample:,}",
                "sample_share": _pct(s.sample, test.sample),
                "expected": f"{s.expected:.1f}",
                "residual": "" if s.residual is None else f"{s.residual:+.2f}",
                "flag": FLAG_TEXT[s.flag],
                "group": s.group if s.group != s.label else "",
            }
            for s in test.strata
        ]
        chart = bar_chart(
            title=f"Sample share against population share by {test.label.lower()}",
            categories=[s.label for s in test.strata],
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
                "method": test.method,
                "verdict": test.verdict,
                "chart": chart,
            }
        )
    return result


# -- members (frozen into the scorecard snapshot) ---------------------------------------------------


def _member_dimension(test: DimensionTest) -> dict:
    table = suppress_table([[s.sample, s.population - s.sample] for s in test.strata])
    rows = []
    for stratum, (sampled, _), population in zip(test.strata, table.cells, table.row_totals, strict=True):
        shown = sampled != SUPPRESSED and population != SUPPRESSED
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
        "method": test.method,
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


def officer_context(check: SampleCheck | None, *, chart_prefix: str, thematic: bool = False) -> dict:
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
    }
