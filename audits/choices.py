"""The audit programme's vocabulary: case types, Ofsted grades, framework themes, round kinds."""

from __future__ import annotations

from django.db import models


class CaseType(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CIN = "cin", "Child in need"
    CP = "cp", "Child protection"
    LAC = "lac", "Looked after child"
    CARE_LEAVER = "care_leaver", "Care leaver"


class Grade(models.IntegerChoices):
    """Ofsted's four-point scale; a lower number is a better grade."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"

    @property
    def key(self) -> str:
        return GRADE_KEYS[self.value]

    @property
    def is_good_or_above(self) -> bool:
        return self.value <= GOOD_OR_ABOVE_MAX

    @classmethod
    def from_key(cls, key: str) -> Grade:
        """``good`` -> Grade.GOOD, as the import files and JSON summaries spell grades."""
        try:
            return cls(KEY_GRADES[key.strip().lower()])
        except KeyError:
            raise ValueError(f"{key!r} is not a grade; use one of {', '.join(KEY_GRADES)}") from None


GRADE_KEYS = {1: "outstanding", 2: "good", 3: "requires_improvement", 4: "inadequate"}
KEY_GRADES = {key: value for value, key in GRADE_KEYS.items()}
# Grades up to and including Good count as "good or above".
GOOD_OR_ABOVE_MAX = Grade.GOOD.value


class Theme(models.TextChoices):
    """The four themes of the Durham performance framework (Appendix 5 of the reference)."""

    SAFEGUARDING = "safeguarding", "Safeguarding"
    VOICE_OF_THE_CHILD = "voice_of_the_child", "The Voice of the Child"
    ACHIEVING_ASPIRATION = "achieving_aspiration", "Achieving Aspiration"
    SOCIAL_WORK_PRACTICE = "social_work_practice", "Social Work Practice"


class RoundKind(models.TextChoices):
    RANDOM = "random", "Random sample"
    THEMATIC = "thematic", "Thematic"
    HISTORIC = "historic", "Imported results"


class PopulationDimension(models.TextChoices):
    """How a random round's population is split when its sample is tested (audits.representativeness)."""

    TEAM = "team", "Team"
    CASE_TYPE = "case_type", "Case type"
    TIME_OPEN = "time_open", "Time open"


class AuditStatus(models.TextChoices):
    ALLOCATED = "allocated", "Allocated"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    CLOSED = "closed", "Closed"


# Statuses whose grade counts in roll-ups: the auditor has finished.
COMPLETED_STATUSES = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)
# Statuses in which the auditor may still edit the audit.
EDITABLE_STATUSES = (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS)

STATUS_TAG_CLASSES = {
    AuditStatus.ALLOCATED: "govuk-tag--grey",
    AuditStatus.IN_PROGRESS: "govuk-tag--blue",
    AuditStatus.SUBMITTED: "govuk-tag--turquoise",
    AuditStatus.MODERATED: "govuk-tag--purple",
    AuditStatus.CLOSED: "govuk-tag--green",
}

GRADE_TAG_CLASSES = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--turquoise",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Grade.INADEQUATE: "govuk-tag--red",
}
