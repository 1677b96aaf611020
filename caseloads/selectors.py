"""Reads for the return pages: the rows of a return, last month's figures, the teams a user sees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from caseloads import counting
from caseloads.models import CaseloadLine, CaseloadReturn, ReturnStatus, Team, Worker
from caseloads.months import add_months


@dataclass
class ReturnRow:
    """One worker on a return page: the saved line if any, else the worker as they are now."""

    worker: Worker
    line: CaseloadLine | None
    role: str
    employment: str
    wte: Decimal
    cases: int | None
    last_month: int | None
    split: dict[str, int | None] = field(default_factory=dict)

    @property
    def role_label(self) -> str:
        from caseloads.models import WorkerRole

        return WorkerRole(self.role).label

    @property
    def employment_label(self) -> str:
        from caseloads.models import Employment

        return Employment(self.employment).label

    @property
    def split_summary(self) -> str:
        """``Child protection 3, Looked after 2``: the split by case type where one was given."""
        from caseloads.models import CaseType

        return ", ".join(
            f"{CaseType(case_type).label} {count}" for case_type, count in self.split.items() if count is not None
        )

    @property
    def figures(self) -> counting.LineFigures | None:
        if self.cases is None:
            return None
        return counting.line_figures(role=self.role, employment=self.employment, wte=self.wte, cases=self.cases)


def last_month_figures(*, month: datetime.date, worker_ids) -> dict[int, int]:
    """Each worker's cases on last month's submitted returns (whichever team they were in)."""
    rows = CaseloadLine.objects.filter(
        worker_id__in=list(worker_ids),
        caseload_return__month=add_months(month, -1),
        caseload_return__status=ReturnStatus.SUBMITTED,
        cases__isnull=False,
    ).values_list("worker_id", "cases")
    return dict(rows)


def roster(*, team: Team, month: datetime.date) -> list[Worker]:
    """The team's workers in post at the end of the month, by name."""
    return list(Worker.objects.filter(team=team).active_in_month(month).order_by("name", "staff_number"))


def return_rows(*, team: Team, month: datetime.date, caseload_return: CaseloadReturn | None) -> list[ReturnRow]:
    """The rows of a return page, in three queries whatever the team's size.

    Until a return is first submitted its workers follow the team (the roster); after that its
    lines are fixed and the page shows them with their snapshot of role, employment and WTE.
    """
    lines: dict[int, CaseloadLine] = {}
    if caseload_return is not None:
        lines = {
            line.worker_id: line
            for line in caseload_return.lines.select_related("worker").order_by("worker__name", "worker__staff_number")
        }
    rows: list[ReturnRow] = []
    if caseload_return is not None and caseload_return.workers_fixed:
        for line in lines.values():
            rows.append(_row(line.worker, line, from_line=True))
    else:
        for worker in roster(team=team, month=month):
            rows.append(_row(worker, lines.get(worker.pk), from_line=False))
    last = last_month_figures(month=month, worker_ids=[row.worker.pk for row in rows])
    for row in rows:
        row.last_month = last.get(row.worker.pk)
    return rows


def _row(worker: Worker, line: CaseloadLine | None, *, from_line: bool) -> ReturnRow:
    source = line if from_line else worker
    return ReturnRow(
        worker=worker,
        line=line,
        role=source.role,
        employment=source.employment,
        wte=source.wte,
        cases=line.cases if line is not None else None,
        last_month=None,
        split=line.split if line is not None else {},
    )


def team_average(rows: list[ReturnRow]) -> Decimal | None:
    """The team's average caseload per WTE by the counting rules (counted cases / counted WTE)."""
    counted_cases, counted_wte = 0, Decimal("0")
    for row in rows:
        figures = row.figures
        if figures is not None and figures.counted:
            counted_cases += figures.counted_cases
            counted_wte += figures.counted_wte
    return counting.average_per_wte(counted_cases=counted_cases, counted_wte=counted_wte)
