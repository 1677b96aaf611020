"""The RAG rule of docs/indicators.md ("The RAG rule (exact)"), including its edges."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.rag import Rag, rate

TWO = D("2")


@pytest.mark.parametrize(
    ("value", "comparator", "polarity", "tolerance", "expected"),
    [
        # Same or better is GREEN, whichever way better points.
        (D("69.0"), D("64.0"), "higher", TWO, Rag.GREEN),
        (D("64.0"), D("64.0"), "higher", TWO, Rag.GREEN),
        (D("18.9"), D("19.5"), "lower", TWO, Rag.GREEN),
        (D("19.5"), D("19.5"), "lower", TWO, Rag.GREEN),
        # Exactly at the tolerance is AMBER: 45.9 against 45, lower is better, is 2.0% exactly.
        (D("45.9"), D("45"), "lower", TWO, Rag.AMBER),
        (D("45.9000"), D("45.00"), "lower", TWO, Rag.AMBER),
        (D("98"), D("100"), "higher", TWO, Rag.AMBER),
        # Just past the tolerance is RED.
        (D("45.9001"), D("45"), "lower", TWO, Rag.RED),
        (D("97.9999"), D("100"), "higher", TWO, Rag.RED),
        # Appendix 3 cases worked by hand.
        (D("83.0"), D("85.0"), "higher", TWO, Rag.RED),  # 2.35% behind
        (D("83.0"), D("84.2"), "higher", TWO, Rag.AMBER),  # 1.43% behind
        (D("382"), D("372"), "lower", TWO, Rag.RED),  # 2.69% worse
        (D("69.0"), D("69.3"), "higher", TWO, Rag.AMBER),
        (D("17.4"), D("17.2"), "lower", TWO, Rag.AMBER),
        (D("14.9"), D("14.5"), "lower", TWO, Rag.RED),  # 2.76% worse
        # Tolerance 0: no amber band at all.
        (D("45.9"), D("45"), "lower", D("0"), Rag.RED),
        (D("45"), D("45"), "lower", D("0"), Rag.GREEN),
        (D("99.99"), D("100"), "higher", D("0"), Rag.RED),
        # Other tolerances.
        (D("95"), D("100"), "higher", D("5"), Rag.AMBER),
        (D("94.9"), D("100"), "higher", D("5"), Rag.RED),
        (D("101"), D("100"), "lower", D("1.00"), Rag.AMBER),
        # Negative values (attainment gaps: higher, i.e. nearer zero, is better).
        (D("-12.5"), D("-12.3"), "higher", TWO, Rag.AMBER),  # 0.2 / 12.3 = 1.63%
        (D("-12.5"), D("-13.3"), "higher", TWO, Rag.GREEN),
        (D("-16"), D("-22.0"), "higher", TWO, Rag.GREEN),
        (D("-10.3"), D("-10"), "higher", TWO, Rag.RED),  # 3% of |c|
        (D("-10.2"), D("-10"), "higher", TWO, Rag.AMBER),  # exactly 2% of |c|
        (D("-9.8"), D("-10"), "lower", TWO, Rag.AMBER),  # lower is better: -9.8 is 0.2 worse
        (D("-5"), D("3"), "higher", TWO, Rag.RED),
        (D("3"), D("-5"), "higher", TWO, Rag.GREEN),
        # A comparator of zero: any shortfall is RED, none is GREEN.
        (D("0.001"), D("0"), "lower", TWO, Rag.RED),
        (D("-0.001"), D("0"), "higher", TWO, Rag.RED),
        (D("0"), D("0"), "lower", TWO, Rag.GREEN),
        (D("0"), D("0.0"), "higher", D("100"), Rag.GREEN),
        (D("-1"), D("0"), "lower", TWO, Rag.GREEN),
        (D("5"), D("0"), "lower", D("100"), Rag.RED),
        # A value of zero against a real comparator is just a shortfall.
        (D("0"), D("10"), "higher", TWO, Rag.RED),
        # Neutral polarity is never rated.
        (D("148"), D("143"), "neutral", TWO, Rag.NA),
        (D("1"), D("1"), "neutral", TWO, Rag.NA),
        # A missing side is NA.
        (None, D("45"), "lower", TWO, Rag.NA),
        (D("45"), None, "lower", TWO, Rag.NA),
        (None, None, "higher", TWO, Rag.NA),
        # Whole numbers are exact too.
        (98, 100, "higher", 2, Rag.AMBER),
    ],
)
def test_rate(value, comparator, polarity, tolerance, expected):
    assert rate(value=value, comparator=comparator, polarity=polarity, tolerance=tolerance) is expected


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"value": 45.9, "comparator": D("45")}, TypeError),
        ({"value": D("45.9"), "comparator": 45.0}, TypeError),
        ({"value": D("45.9"), "comparator": "45"}, TypeError),
        ({"value": D("NaN"), "comparator": D("45")}, ValueError),
        ({"value": D("1"), "comparator": D("Infinity")}, ValueError),
        ({"value": True, "comparator": D("1")}, TypeError),
    ],
)
def test_rate_refuses_inexact_or_odd_numbers(kwargs, error):
    with pytest.raises(error):
        rate(polarity="higher", tolerance=TWO, **kwargs)


@pytest.mark.parametrize(
    ("polarity", "tolerance"), [("up", TWO), ("", TWO), ("higher", D("-1")), ("higher", 2.0), ("higher", None)]
)
def test_rate_refuses_bad_polarity_or_tolerance(polarity, tolerance):
    with pytest.raises((ValueError, TypeError)):
        rate(value=D("1"), comparator=D("1"), polarity=polarity, tolerance=tolerance)


def test_rag_words():
    assert [r.value for r in Rag] == ["GREEN", "AMBER", "RED", "NA"]
    assert Rag("AMBER") is Rag.AMBER
    assert str(Rag.RED) == "RED"


decimals = st.decimals(min_value=-10000, max_value=10000, places=3, allow_nan=False, allow_infinity=False)


@given(value=decimals, comparator=decimals, tolerance=st.decimals(min_value=0, max_value=50, places=2))
def test_polarities_mirror_each_other(value, comparator, tolerance):
    """Lower-is-better on (v, c) is higher-is-better on (-v, -c): the rule has one shape."""
    lower = rate(value=value, comparator=comparator, polarity="lower", tolerance=tolerance)
    higher = rate(value=-value, comparator=-comparator, polarity="higher", tolerance=tolerance)
    assert lower is higher


@given(value=decimals, comparator=decimals, tolerance=st.decimals(min_value=0, max_value=50, places=2))
def test_rate_agrees_with_the_percentage_wording(value, comparator, tolerance):
    """The division-free test agrees with "d / |c| * 100 <= tolerance" done in exact fractions."""
    from fractions import Fraction

    shortfall = Fraction(comparator) - Fraction(value)
    if shortfall <= 0:
        expected = Rag.GREEN
    elif comparator == 0:
        expected = Rag.RED
    elif shortfall / abs(Fraction(comparator)) * 100 <= Fraction(tolerance):
        expected = Rag.AMBER
    else:
        expected = Rag.RED
    assert rate(value=value, comparator=comparator, polarity="higher", tolerance=tolerance) is expected
