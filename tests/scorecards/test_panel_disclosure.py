"""Disclosure in the panels: where a published figure is the sum of others (the caseload bands up to and
over 20; good or above = outstanding + good), no hidden count can be worked out from what is shown."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.scorecard import _grade_row
from caseloads.scorecard import suppress_bands
from perfsite.disclosure import SUPPRESSED

SMALL = range(8)  # counts drawn from 0..7: the attacker is told this too, which only helps them


def consistent_values(published_cells, under, over, total, split):
    """For each hidden band, the values consistent with everything published (brute force)."""
    hidden = [i for i, c in enumerate(published_cells) if c == SUPPRESSED]
    possible = {i: set() for i in hidden}
    for guess in itertools.product(SMALL, repeat=len(hidden)):
        cells = list(published_cells)
        for i, value in zip(hidden, guess, strict=True):
            cells[i] = value
        if under != SUPPRESSED and sum(cells[:split]) != under:
            continue
        if over != SUPPRESSED and sum(cells[split:]) != over:
            continue
        if total != SUPPRESSED and sum(cells) != total:
            continue
        for i, value in zip(hidden, guess, strict=True):
            possible[i].add(value)
    return possible


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=7), min_size=6, max_size=6))
def test_no_hidden_band_can_be_worked_out(counts):
    cells, under, over, total = suppress_bands(counts, split=3)
    for i, (published, true) in enumerate(zip(cells, counts, strict=True)):
        if published != SUPPRESSED:
            assert published == true
            assert not 1 <= true <= 5, f"band {i} shows a small count"
    for name, shown, true in (("under", under, sum(counts[:3])), ("over", over, sum(counts[3:]))):
        assert shown == SUPPRESSED or (shown == true and not 1 <= true <= 5), name
    assert total == SUPPRESSED or total == sum(counts)
    for i, values in consistent_values(cells, under, over, total, 3).items():
        assert counts[i] in values
        assert len(values) > 1, f"band {i} is recoverable from {cells}, {under}, {over}, {total}"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([0, 0, 7, 8, 0, 0], ([0, 0, 7, 8, 0, 0], 7, 8, 15)),
        # One small band over 20: hidden, with the next smallest over 20, and nothing else needed.
        ([0, 9, 12, 20, 3, 7], ([0, 9, 12, 20, "c", "c"], 21, 30, 51)),
    ],
)
def test_bands_table(counts, expected):
    cells, under, over, total = suppress_bands(counts, split=3)
    assert (cells, under, over, total) == expected


@pytest.mark.parametrize(
    ("by_grade", "audited", "expected"),
    [
        ({"outstanding": 7, "good": 69, "requires_improvement": 61, "inadequate": 21}, 158, ([7, 69, 61, 21], 158)),
        # Outstanding 3 is small: good is hidden with it, as the two sum to the published good or above.
        ({"outstanding": 3, "good": 60, "requires_improvement": 61, "inadequate": 21}, 145, (["c", "c", 61, 21], 145)),
        ({"outstanding": 0, "good": 7, "requires_improvement": 10, "inadequate": 3}, 20, ([0, 7, "c", "c"], 20)),
        # Too few audits to publish anything.
        ({"outstanding": 0, "good": 2, "requires_improvement": 2, "inadequate": 0}, 4, (["c", "c", "c", "c"], "c")),
    ],
)
def test_grades_are_hidden_in_pairs_under_their_published_sum(by_grade, audited, expected):
    assert _grade_row(by_grade, audited) == expected
