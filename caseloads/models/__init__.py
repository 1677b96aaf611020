"""Caseloads models: staff (teams, workers) and the monthly return (returns, lines, reopenings, reminders)."""

from caseloads.models.imports import CaseloadImportBatch, CaseloadImportKind
from caseloads.models.returns import (
    CASE_TYPE_FIELDS,
    CaseloadLine,
    CaseloadReturn,
    CaseType,
    ReminderSent,
    ReturnReopening,
    ReturnStatus,
)
from caseloads.models.staff import Employment, ServiceArea, Team, Worker, WorkerRole
from caseloads.models.tallies import CaseloadTally

__all__ = [
    "CASE_TYPE_FIELDS",
    "CaseType",
    "CaseloadImportBatch",
    "CaseloadImportKind",
    "CaseloadLine",
    "CaseloadReturn",
    "CaseloadTally",
    "Employment",
    "ReminderSent",
    "ReturnReopening",
    "ReturnStatus",
    "ServiceArea",
    "Team",
    "Worker",
    "WorkerRole",
]
