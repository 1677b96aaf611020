"""The quality figure is a random sample's: thematic rounds never feed CASE AUDIT 1 or its interval (issue 9)."""

import datetime
from decimal import Decimal

import pytest

from audits.choices import Grade, RoundKind
from audits.computed import GOOD_OR_ABOVE_CODE, recompute_quarter
from audits.rollups import quarter_rollup
from indicators.models import IndicatorValue
from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import quarter_rows

Q4 = Quarter.parse("2016-17-q4")
DAY = datetime.date(2017, 2, 15)


def _actual():
    return IndicatorValue.objects.filter(indicator__code=GOOD_OR_ABOVE_CODE, series="actual").first()


def test_seen_1_one_thematic_audit_is_not_the_quality_figure(build):
    """Before: a thematic round's single submitted audit made CASE AUDIT 1 = 100.0 GREEN."""
    thematic = build.round(kind=RoundKind.THEMATIC, title="Neglect")
    build.completed(Grade.GOOD, round=thematic, completed_on=DAY)
    recompute_quarter(Q4)
    assert _actual() is None
    rows = [r for r in quarter_rows(Q4) if r.code == GOOD_OR_ABOVE_CODE]
    assert not rows or rows[0].target.rag is not Rag.GREEN


def test_only_random_rounds_and_imported_results_count(build):
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    historic = build.round(kind=RoundKind.HISTORIC, title="Imported results")
    thematic = build.round(kind=RoundKind.THEMATIC, title="Neglect")
    for grade in (Grade.GOOD, Grade.INADEQUATE, Grade.GOOD):
        build.completed(grade, round=random_round, completed_on=DAY)
    build.completed(Grade.INADEQUATE, round=historic, completed_on=DAY)
    for _ in range(5):
        build.completed(Grade.OUTSTANDING, round=thematic, completed_on=DAY)
    everything = quarter_rollup(quarter=Q4)
    sample = quarter_rollup(quarter=Q4, random_only=True)
    assert (everything.audited, everything.good_or_above) == (9, 7)
    assert (sample.audited, sample.good_or_above, sample.good_or_above_pct) == (4, 2, Decimal("50.0"))
    assert (sample.ci_low, sample.ci_high) == (Decimal("15.0"), Decimal("85.0"))
    recompute_quarter(Q4)
    figure = _actual()
    assert (figure.value, figure.numerator, figure.denominator) == (Decimal("50.0"), 2, 4)


def test_the_previous_quarter_trend_is_random_only_too(build):
    before = Q4.previous()
    thematic = build.round(before.slug, kind=RoundKind.THEMATIC, title="Neglect")
    build.completed(Grade.INADEQUATE, round=thematic, completed_on=before.end)
    assert quarter_rollup(quarter=Q4, random_only=True).previous.audited == 0
    assert quarter_rollup(quarter=Q4).previous.audited == 1


@pytest.mark.parametrize(
    ("audited", "good", "rated"),
    [(1, 1, False), (9, 9, False), (10, 10, True), (12, 3, True)],
)
def test_too_few_audits_are_not_rated(build, audited, good, rated, settings):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for index in range(audited):
        build.completed(Grade.GOOD if index < good else Grade.INADEQUATE, round=random_round, completed_on=DAY)
    recompute_quarter(Q4)
    (row,) = [r for r in quarter_rows(Q4) if r.code == GOOD_OR_ABOVE_CODE]
    assert row.too_few_to_rate is not rated
    if rated:
        assert row.target.rag in (Rag.GREEN, Rag.RED) and row.target.note == ""
    else:
        assert row.target.rag is Rag.NA
        assert row.small_base_note.startswith(f"Too few to rate: {audited} audit")
        assert "95% interval" in row.small_base_note and "(fewer than 10)" in row.small_base_note
        assert row.latest.note == row.small_base_note


def test_too_few_audits_are_neither_good_nor_bad_news_in_the_key_message(build, settings):
    from scorecards.messages import Tone, key_message

    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for _ in range(9):  # 100% of 9: GREEN against 65% before, and large enough to be shown
        build.completed(Grade.GOOD, round=random_round, completed_on=DAY)
    recompute_quarter(Q4)
    (row,) = [r for r in quarter_rows(Q4) if r.code == GOOD_OR_ABOVE_CODE]
    message = key_message(row)
    assert message.tone is Tone.NEUTRAL and message.rag is Rag.NA
    assert "target met" not in message.text and "Too few to rate: 9 audits (fewer than 10)" in message.text


def test_a_hidden_figure_too_few_to_rate_gives_members_no_base_or_interval(build, settings):
    """2 good of 6: members see "c", so neither "6 audits" nor the interval (which, for 6 audits,
    differs for every count of good ones) may reach them; officers keep both."""
    from indicators.disclosure import HIDDEN_BASE_NOTE, member_safe_row
    from perfsite.disclosure import SUPPRESSED
    from scorecards.snapshot import row_dict

    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for index in range(6):
        build.completed(Grade.GOOD if index < 2 else Grade.INADEQUATE, round=random_round, completed_on=DAY)
    recompute_quarter(Q4)
    (row,) = [r for r in quarter_rows(Q4) if r.code == GOOD_OR_ABOVE_CODE]
    assert row.small_base_note.startswith("Too few to rate: 6 audits") and "interval" in row.small_base_note

    member = member_safe_row(row)
    assert member.latest.value == SUPPRESSED
    assert member.small_base_note == HIDDEN_BASE_NOTE and member.latest.note == HIDDEN_BASE_NOTE
    frozen = row_dict(row, history=[], chart_prefix="test")
    assert frozen["latest"]["display"] == SUPPRESSED
    assert frozen["rating_note"] == HIDDEN_BASE_NOTE
    assert all(note == HIDDEN_BASE_NOTE for note in frozen["notes"].values() if note.startswith("Too few"))
    assert not any(ch.isdigit() for ch in frozen["rating_note"] + "".join(frozen["notes"].values()))
