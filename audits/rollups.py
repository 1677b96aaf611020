"""Quarterly roll-ups of agreed grades: overall, by team, by case type and by theme.

Computed in the database in four queries whatever the number of audits: one for the quarter and
the previous quarter overall (with moderation and agreement), one each by team, by case type and
by theme. A quarter's audits are those completed in it; the agreed grade is the moderator's where
moderated, else the auditor's. Theme grades are the auditor's: moderators re-grade only the whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from audits import conf
from audits.choices import GRADE_KEYS, CaseType, RoundKind, Theme
from audits.models import Audit, ThemeGrade
from audits.stats import percentage, wilson_interval
from indicators.quarters import Quarter

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


def quarter_rollup(*, quarter: Quarter, teams: Iterable | None = None, random_only: bool = False) -> AuditRollup:
    """The roll-up of ``quarter``'s completed audits, for ``teams`` (all when None).

    ``random_only`` leaves out thematic rounds, which are chosen on purpose and are no sample of
    the caseload: the quality figure, its interval and its trend use the random rounds only (and
    imported results, the programme's record of its past random samples).
    """
    if teams is not None:
        teams = list(teams)
    previous = quarter.previous()
    in_quarter = Q(completed_on__gte=quarter.start, completed_on__lte=quarter.end)
    in_previous = Q(completed_on__gte=previous.start, completed_on__lte=previous.end)
    audits = Audit.objects.completed().for_teams(teams).with_agreed_grade()
    if random_only:
        audits = audits.exclude(round__kind=RoundKind.THEMATIC)

    overall = audits.filter(completed_on__gte=previous.start, completed_on__lte=quarter.end).aggregate(
        **_grade_counts("now_", in_quarter),
        **_grade_counts("before_", in_previous),
        moderated=Count("pk", filter=in_quarter & Q(moderation__grade__isnull=False)),
        agreed_by_moderator=Count("pk", filter=in_quarter & Q(moderation__grade=F("overall_grade"))),
    )
    current = GradeCounts.from_grades(_grades_from_row(overall, "now_"))
    before = GradeCounts.from_grades(_grades_from_row(overall, "before_"))

    this_quarter = audits.filter(in_quarter)
    by_team = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))), key=str(row["team_id"]), label=row["team__name"]
        )
        for row in this_quarter.values("team_id", "team__name").annotate(**_grade_counts()).order_by("team__name")
    ]
    by_case_type = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))),
            key=row["case_type"],
            label=CaseType(row["case_type"]).label,
        )
        for row in this_quarter.values("case_type").annotate(**_grade_counts()).order_by("case_type")
    ]
    theme_rows = (
        ThemeGrade.objects.filter(audit__in=this_quarter.values("pk"), grade__isnull=False)
        .values("theme")
        .annotate(**_grade_counts(field_name="grade"))
    )
    theme_counts = {row["theme"]: _grades_from_row(row) for row in theme_rows}
    by_theme = [
        GroupRollup(
            **vars(GradeCounts.from_grades(theme_counts.get(theme.value, {}))), key=theme.value, label=theme.label
        )
        for theme in Theme
    ]

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
        moderated=overall["moderated"],
        agreement_pct=percentage(overall["agreed_by_moderator"], overall["moderated"]),
        by_team=by_team,
        by_case_type=by_case_type,
        by_theme=by_theme,
        previous=before,
        baseline=Comparison(base.label, GradeCounts.from_totals(base.audited, base.good_or_above)),
    )
