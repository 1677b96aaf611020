"""Quarterly roll-ups of agreed grades: overall, by team, by case type and by theme.

Summed in the database from the pre-aggregated tallies (``audits.tally_models``, kept by
``audits.tallies``) in four queries whatever the number of audits: one for the quarter and the
previous quarter overall (with moderation and agreement), one each by team, by case type and by
theme. A quarter's audits are those completed in it; the agreed grade is the moderator's where
moderated, else the auditor's. Theme grades are the auditor's: moderators re-grade only the whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from audits import conf
from audits.choices import GRADE_KEYS, CaseType, RoundKind, Theme
from audits.models import AuditTally, ThemeTally
from indicators.quarters import Quarter
from perfsite.stats import percentage, wilson_interval

GRADE_NAMES = tuple(GRADE_KEYS.values())


@dataclass(frozen=True)
class GradeCounts:
    """Counts by grade and the share good or above, with its 95% Wilson interval."""

    audited: int
    by_grade: dict[str, int]
    good_or_above: int
    good_or_above_pct: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None

    @classmethod
    def from_grades(cls, by_grade: dict[str, int]) -> GradeCounts:
        by_grade = {name: int(by_grade.get(name, 0)) for name in GRADE_NAMES}
        audited = sum(by_grade.values())
        good = by_grade["outstanding"] + by_grade["good"]
        return cls.from_totals(audited, good, by_grade)

    @classmethod
    def from_totals(cls, audited: int, good_or_above: int, by_grade: dict[str, int] | None = None) -> GradeCounts:
        interval = wilson_interval(good_or_above, audited)
        return cls(
            audited=audited,
            by_grade=by_grade or {},
            good_or_above=good_or_above,
            good_or_above_pct=percentage(good_or_above, audited),
            ci_low=interval[0] if interval else None,
            ci_high=interval[1] if interval else None,
        )

    @property
    def below_good(self) -> int:
        return self.audited - self.good_or_above

    @property
    def below_good_pct(self) -> Decimal | None:
        return percentage(self.below_good, self.audited)


@dataclass(frozen=True)
class GroupRollup(GradeCounts):
    key: str = ""
    label: str = ""


@dataclass(frozen=True)
class Comparison:
    """A figure to set this quarter against: the previous quarter or the baseline."""

    label: str
    counts: GradeCounts


@dataclass(frozen=True)
class AuditRollup:
    quarter: Quarter
    audited: int
    by_grade: dict[str, int]
    good_or_above: int
    good_or_above_pct: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    target_pct: Decimal
    moderated: int
    agreement_pct: Decimal | None
    by_team: list[GroupRollup] = field(default_factory=list)
    by_case_type: list[GroupRollup] = field(default_factory=list)
    by_theme: list[GroupRollup] = field(default_factory=list)
    previous: GradeCounts | None = None
    baseline: Comparison | None = None

    @property
    def counts(self) -> GradeCounts:
        return GradeCounts(
            self.audited, self.by_grade, self.good_or_above, self.good_or_above_pct, self.ci_low, self.ci_high
        )

    @property
    def meets_target(self) -> bool | None:
        return None if self.good_or_above_pct is None else self.good_or_above_pct >= self.target_pct

    @property
    def gap_to_target(self) -> Decimal | None:
        """Percentage points short of the target (negative when above it)."""
        return None if self.good_or_above_pct is None else self.target_pct - self.good_or_above_pct

    @property
    def change_since_previous(self) -> Decimal | None:
        if self.good_or_above_pct is None or self.previous is None or self.previous.good_or_above_pct is None:
            return None
        return self.good_or_above_pct - self.previous.good_or_above_pct

    @property
    def change_since_baseline(self) -> Decimal | None:
        if self.good_or_above_pct is None or self.baseline is None or self.baseline.counts.good_or_above_pct is None:
            return None
        return self.good_or_above_pct - self.baseline.counts.good_or_above_pct

    @staticmethod
    def _intervals_overlap(a: GradeCounts, b: GradeCounts | None) -> bool | None:
        if b is None or a.ci_low is None or b.ci_low is None:
            return None
        return a.ci_low <= b.ci_high and b.ci_low <= a.ci_high

    @property
    def overlaps_previous(self) -> bool | None:
        return self._intervals_overlap(self.counts, self.previous)

    @property
    def overlaps_baseline(self) -> bool | None:
        return self._intervals_overlap(self.counts, self.baseline.counts if self.baseline else None)


def _grade_counts(prefix: str = "", condition: Q | None = None, field_name: str = "agreed") -> dict[str, Count]:
    """One COUNT per grade, optionally under an extra condition."""
    aggregates = {}
    for value, name in GRADE_KEYS.items():
        q = Q(**{field_name: value})
        if condition is not None:
            q &= condition
        aggregates[f"{prefix}{name}"] = Count("pk", filter=q)
    return aggregates


def _grades_from_row(row: dict, prefix: str = "") -> dict[str, int]:
    return {name: row[f"{prefix}{name}"] for name in GRADE_NAMES}


def _tally_sums(prefix: str = "") -> dict[str, Coalesce]:
    """One SUM per grade column of a tally (0, not NULL, where no row matches)."""
    return {name: Coalesce(Sum(f"{prefix}{name}"), 0) for name in GRADE_NAMES}


def _tallies(model, *, quarter_starts: list, teams: list | None, random_only: bool):
    rows = model.objects.filter(quarter_start__in=quarter_starts)
    if teams is not None:
        rows = rows.filter(team__in=teams)
    if random_only:
        rows = rows.exclude(kind=RoundKind.THEMATIC)
    return rows


def quarter_rollup(*, quarter: Quarter, teams: Iterable | None = None, random_only: bool = False) -> AuditRollup:
    """The roll-up of ``quarter``'s completed audits, for ``teams`` (all when None).

    ``random_only`` leaves out thematic rounds, which are chosen on purpose and are no sample of
    the caseload: the quality figure, its interval and its trend use the random rounds only (and
    imported results, the programme's record of its past random samples).

    Read from the tallies (``audits.tally_models``), never the audits: four queries over a few rows
    per team and case type, however many audits the quarter or its history holds.
    """
    if teams is not None:
        teams = list(teams)
    previous = quarter.previous()
    audits = _tallies(AuditTally, quarter_starts=[quarter.start, previous.start], teams=teams, random_only=random_only)
    both = {
        row["quarter_start"]: row
        for row in audits.values("quarter_start")
        .annotate(**_tally_sums(), moderated_sum=Sum("moderated"), agreed_sum=Sum("agreed_by_moderator"))
        .order_by()
    }
    now_row = both.get(quarter.start, {})
    current = GradeCounts.from_grades(_grades_from_row(now_row) if now_row else {})
    before = GradeCounts.from_grades(_grades_from_row(both[previous.start]) if previous.start in both else {})

    this_quarter = audits.filter(quarter_start=quarter.start)
    by_team = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))), key=str(row["team_id"]), label=row["team__name"]
        )
        for row in this_quarter.values("team_id", "team__name").annotate(**_tally_sums()).order_by("team__name")
    ]
    by_case_type = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))),
            key=row["case_type"],
            label=CaseType(row["case_type"]).label,
        )
        for row in this_quarter.values("case_type").annotate(**_tally_sums()).order_by("case_type")
    ]
    theme_rows = (
        _tallies(ThemeTally, quarter_starts=[quarter.start], teams=teams, random_only=random_only)
        .values("theme")
        .annotate(**_tally_sums())
        .order_by()
    )
    theme_counts = {row["theme"]: _grades_from_row(row) for row in theme_rows}
    by_theme = [
        GroupRollup(
            **vars(GradeCounts.from_grades(theme_counts.get(theme.value, {}))), key=theme.value, label=theme.label
        )
        for theme in Theme
    ]
    moderated = int(now_row.get("moderated_sum") or 0)
    return assemble(
        quarter=quarter,
        current=current,
        before=before,
        moderated=moderated,
        agreed_by_moderator=int(now_row.get("agreed_sum") or 0),
        by_team=by_team,
        by_case_type=by_case_type,
        by_theme=by_theme,
    )


def assemble(
    *,
    quarter: Quarter,
    current: GradeCounts,
    before: GradeCounts,
    moderated: int,
    agreed_by_moderator: int,
    by_team: list[GroupRollup],
    by_case_type: list[GroupRollup],
    by_theme: list[GroupRollup],
) -> AuditRollup:
    """The roll-up from its counts, with the programme's target and baseline beside them."""
    base = conf.baseline()
    return AuditRollup(
        quarter=quarter,
        audited=current.audited,
        by_grade=current.by_grade,
        good_or_above=current.good_or_above,
        good_or_above_pct=current.good_or_above_pct,
        ci_low=current.ci_low,
        ci_high=current.ci_high,
        target_pct=conf.target_pct(),
        moderated=moderated,
        agreement_pct=percentage(agreed_by_moderator, moderated),
        by_team=by_team,
        by_case_type=by_case_type,
        by_theme=by_theme,
        previous=before,
        baseline=Comparison(base.label, GradeCounts.from_totals(base.audited, base.good_or_above)),
    )
