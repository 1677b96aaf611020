"""What an audit needs before it can be submitted: one plain function the form, the services and
the admin all call, so the rules cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audits.choices import GOOD_OR_ABOVE_MAX, Grade, Theme


@dataclass(frozen=True)
class ThemeEntry:
    grade: int | None
    evidence: str = ""


def theme_grade_field(theme: str) -> str:
    return f"{theme}_grade"


def theme_evidence_field(theme: str) -> str:
    return f"{theme}_evidence"


def submission_problems(
    *,
    themes: Mapping[str, ThemeEntry],
    overall_grade: int | None,
    strengths: str,
    areas_for_development: str,
    grade_reason: str,
) -> dict[str, str]:
    """Field name -> message for every rule the audit breaks; empty when it may be submitted.

    - every theme of the framework has a grade and its evidence;
    - the overall grade is given;
    - at least one strength or area for development is recorded;
    - an overall grade of Good or better with any theme Inadequate needs a recorded reason.
    """
    problems: dict[str, str] = {}
    for theme in Theme:
        entry = themes.get(theme.value) or ThemeEntry(None)
        if entry.grade is None:
            problems[theme_grade_field(theme.value)] = f"Select a grade for {theme.label}"
        if not (entry.evidence or "").strip():
            problems[theme_evidence_field(theme.value)] = f"Enter the evidence for {theme.label}"
    if overall_grade is None:
        problems["overall_grade"] = "Select the overall grade"
    if not (strengths or "").strip() and not (areas_for_development or "").strip():
        problems["strengths"] = "Enter at least one strength or area for development"
    inadequate = [
        theme.label for theme in Theme if (themes.get(theme.value) or ThemeEntry(None)).grade == Grade.INADEQUATE.value
    ]
    if overall_grade is not None and overall_grade <= GOOD_OR_ABOVE_MAX and inadequate and not grade_reason.strip():
        problems["grade_reason"] = (
            f"Explain why the overall grade is {Grade(overall_grade).label} "
            f"when {' and '.join(inadequate)} {'is' if len(inadequate) == 1 else 'are'} graded Inadequate"
        )
    return problems
