"""indicators.small_bases: a computed rate on too few cases says so, with its interval, instead of a RAG word."""

from decimal import Decimal as D

import pytest

from indicators.small_bases import small_base


@pytest.mark.parametrize(
    ("code", "numerator", "denominator", "expected"),
    [
        ("CASE AUDIT 1", D(1), D(1), "Too few to rate: 1 audit (fewer than 10); 95% interval 20.7% to 100.0%."),
        ("CASE AUDIT 1", D(4), D(9), "Too few to rate: 9 audits (fewer than 10); 95% interval 18.9% to 73.3%."),
        ("CASE AUDIT 1", D(5), D(10), None),
        # A share of counted workers is a proportion: its interval too (before: none was given).
        ("CASELOAD 2", D(1), D(4), "Too few to rate: 4 counted workers (fewer than 5); 95% interval 4.6% to 69.9%."),
        ("CASELOAD 2", D(0), D(3), "Too few to rate: 3 counted workers (fewer than 5); 95% interval 0.0% to 56.2%."),
        ("CASELOAD 2", D(1), D(5), None),
        ("CASELOAD 1", D(60), D("4.5"), "Too few to rate: 4.5 counted workers (fewer than 5)."),
        ("CASCYP 15", D(1), D(1), None),  # not computed: entered figures carry their own base
        ("CASE AUDIT 1", None, None, None),
    ],
)
def test_small_bases(code, numerator, denominator, expected, settings):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    settings.PERFSITE_SMALLEST_WORKER_BASE = 5
    found = small_base(code=code, numerator=numerator, denominator=denominator)
    assert (found.text if found else None) == expected
