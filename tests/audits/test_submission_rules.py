import pytest

from audits.choices import Grade, Theme
from audits.rules import ThemeEntry, submission_problems

GOOD = Grade.GOOD.value
INADEQUATE = Grade.INADEQUATE.value


def complete(**changes):
    values = {
        "themes": {theme.value: ThemeEntry(GOOD, "Seen in the plan") for theme in Theme},
        "overall_grade": GOOD,
        "strengths": "Child seen alone",
        "areas_for_development": "",
        "grade_reason": "",
    }
    values.update(changes)
    return values


def with_theme(theme, grade, evidence="Evidence"):
    themes = {t.value: ThemeEntry(GOOD, "Seen in the plan") for t in Theme}
    themes[theme] = ThemeEntry(grade, evidence)
    return themes


def test_a_complete_audit_has_no_problems():
    assert submission_problems(**complete()) == {}


@pytest.mark.parametrize("theme", list(Theme))
def test_every_theme_needs_a_grade(theme):
    problems = submission_problems(**complete(themes=with_theme(theme.value, None)))
    assert problems == {f"{theme.value}_grade": f"Select a grade for {theme.label}"}


@pytest.mark.parametrize("theme", list(Theme))
def test_every_theme_needs_its_evidence(theme):
    problems = submission_problems(**complete(themes=with_theme(theme.value, GOOD, "   ")))
    assert problems == {f"{theme.value}_evidence": f"Enter the evidence for {theme.label}"}


def test_the_overall_grade_is_needed():
    assert submission_problems(**complete(overall_grade=None)) == {"overall_grade": "Select the overall grade"}


@pytest.mark.parametrize(
    ("strengths", "areas", "ok"),
    [("Good", "", True), ("", "Chronology", True), ("Good", "Chronology", True), ("", "", False), (" ", "\n", False)],
)
def test_at_least_one_strength_or_area_for_development(strengths, areas, ok):
    problems = submission_problems(**complete(strengths=strengths, areas_for_development=areas))
    assert (problems == {}) is ok
    if not ok:
        assert problems == {"strengths": "Enter at least one strength or area for development"}


@pytest.mark.parametrize(
    ("overall", "theme_grade", "reason", "needs_reason"),
    [
        (Grade.OUTSTANDING, INADEQUATE, "", True),
        (Grade.GOOD, INADEQUATE, "", True),
        (Grade.GOOD, INADEQUATE, "Risk was managed well despite gaps", False),
        (Grade.REQUIRES_IMPROVEMENT, INADEQUATE, "", False),
        (Grade.INADEQUATE, INADEQUATE, "", False),
        (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT.value, "", False),
    ],
)
def test_good_or_better_with_an_inadequate_theme_needs_a_reason(overall, theme_grade, reason, needs_reason):
    problems = submission_problems(
        **complete(
            overall_grade=overall.value, themes=with_theme(Theme.SAFEGUARDING.value, theme_grade), grade_reason=reason
        )
    )
    if needs_reason:
        assert problems == {
            "grade_reason": f"Explain why the overall grade is {overall.label} when Safeguarding is graded Inadequate"
        }
    else:
        assert problems == {}


def test_an_empty_audit_lists_every_problem():
    problems = submission_problems(
        themes={}, overall_grade=None, strengths="", areas_for_development="", grade_reason=""
    )
    assert len(problems) == 2 * len(Theme) + 2
