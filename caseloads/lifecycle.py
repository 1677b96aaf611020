"""The caseload return's lifecycle, declared once on the shared pattern (perfsite/lifecycle.py).

    (new) draft --save figures--> draft --submit--> submitted --reopen (officer, reason)--> draft
                                                    submitted --replace (import)--> submitted

A manager's or officer's figures go into a draft only; a submitted return changes only when an
officer reopens it, or when an import replaces its figures with the file's (the file is the
record for the months it carries; its history says "Imported"). Every writer (the services, the
import, the demo loader) moves a return with the functions below, which raise the one
``InvalidTransition`` for any other move; the admin shows the status read-only. The database
refuses any other status (``RETURN_LIFECYCLE.status_constraint`` on ``CaseloadReturn``).
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.db import models

from perfsite.lifecycle import InvalidTransition, Lifecycle

__all__ = ["RETURN_LIFECYCLE", "InvalidTransition", "ReturnStatus", "Transition"]


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Transition(StrEnum):
    SAVE_FIGURES = "save figures"
    SUBMIT = "submit"
    REOPEN = "reopen"
    REPLACE = "replace"


RETURN_LIFECYCLE = Lifecycle(
    "caseload return",
    ReturnStatus,
    {
        Transition.SAVE_FIGURES: ({ReturnStatus.DRAFT}, ReturnStatus.DRAFT),
        Transition.SUBMIT: ({ReturnStatus.DRAFT}, ReturnStatus.SUBMITTED),
        Transition.REOPEN: ({ReturnStatus.SUBMITTED}, ReturnStatus.DRAFT),
        Transition.REPLACE: ({ReturnStatus.SUBMITTED}, ReturnStatus.SUBMITTED),
    },
)


def check_figures_may_change(caseload_return) -> None:
    """Raise InvalidTransition unless the return (None: not started yet) may take new figures."""
    if caseload_return is not None:
        RETURN_LIFECYCLE.next_status(Transition.SAVE_FIGURES, caseload_return.status)


def submit(caseload_return, *, user, at: datetime.datetime, transition: Transition = Transition.SUBMIT) -> None:
    """Move the return to submitted by ``user`` at ``at`` (not saved)."""
    caseload_return.status = RETURN_LIFECYCLE.next_status(transition, caseload_return.status)
    caseload_return.submitted_at = at
    caseload_return.submitted_by = user
    # From the first submission on, the return's workers are fixed (CaseloadReturn.first_submitted_at).
    caseload_return.first_submitted_at = caseload_return.first_submitted_at or at


def submit_imported(caseload_return, *, user, at: datetime.datetime) -> None:
    """An import submits a draft (or a new return) and replaces a submitted one's figures (not saved)."""
    replacing = caseload_return.status == ReturnStatus.SUBMITTED
    submit(caseload_return, user=user, at=at, transition=Transition.REPLACE if replacing else Transition.SUBMIT)


def reopen(caseload_return) -> None:
    """Move a submitted return back to draft (not saved); the reason is the service's to record."""
    caseload_return.status = RETURN_LIFECYCLE.next_status(Transition.REOPEN, caseload_return.status)
    caseload_return.submitted_at = None
    caseload_return.submitted_by = None
