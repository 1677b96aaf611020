"""The team manager's monthly return: fill in (draft), submit, see the results; officers reopen."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseloads import conf
from caseloads.forms import SUBMIT, ReopenForm, ReturnForm, confirm_field_name
from caseloads.models import CaseloadLine, CaseloadReturn, CaseType
from caseloads.months import month_long_label
from caseloads.selectors import ReturnRow, return_rows, team_average
from caseloads.services.returns import (
    FigureOverCeiling,
    ImplausibleFigures,
    InvalidTransition,
    ReturnError,
    ReturnIncomplete,
    StaleReturn,
    implausible_flags,
    reopen_return,
    save_return,
)
from caseloads.services.workers import can_manage_team
from caseloads.views.common import caseload_view, not_in_future, officer_view, scoped_team
from perfsite.pagination import page_of
from perfsite.roles import is_performance_officer


@dataclass
class RowView:
    row: ReturnRow
    field: object = None
    flag: str | None = None
    confirm_name: str = ""
    confirm_value: str = ""
    confirm_ticked: bool = False
    split_fields: list = None
    split_open: bool = False


def _load_return(team, month) -> CaseloadReturn | None:
    return (
        CaseloadReturn.objects.select_related("team", "updated_by", "submitted_by")
        .filter(team=team, month=month)
        .first()
    )


def _history(request, caseload_return: CaseloadReturn | None):
    """The return's history and its figures' changes, each a page at a time, newest first: a return
    saved and reopened month after month keeps every version, and every figure's every change."""
    if caseload_return is None:
        return [], [], []
    events = page_of(
        request,
        caseload_return.history.select_related("history_user").order_by("-history_date", "-history_id"),
        field="history_page",
    )
    changes = page_of(
        request,
        CaseloadLine.history.filter(caseload_return_id=caseload_return.pk)
        .select_related("history_user", "worker")
        .order_by("-history_date", "-history_id"),
        field="changes_page",
    )
    reopenings = list(caseload_return.reopenings.select_related("reopened_by"))
    return events, changes, reopenings


def _context(request, team, month, caseload_return, **extra):
    events, changes, reopenings = _history(request, caseload_return)
    return {
        "team": team,
        "month": month,
        "month_label": month_long_label(month),
        "caseload_return": caseload_return,
        "events": events,
        "line_changes": changes,
        "reopenings": reopenings,
        "can_reopen": is_performance_officer(request.user),
        "can_manage_workers": can_manage_team(request.user, team),
        "optimum": conf.optimum(),
        "implausible_cases": conf.implausible_cases(),
        "max_cases": conf.max_cases(),
        **extra,
    }


def _results(request, team, month, caseload_return, *, status=200, error=None):
    rows = return_rows(team=team, month=month, caseload_return=caseload_return)
    counted = [row for row in rows if row.figures and row.figures.counted]
    context = _context(
        request,
        team,
        month,
        caseload_return,
        rows=rows,
        average=team_average(rows),
        counted_count=len(counted),
        over_count=sum(1 for row in counted if row.figures.over_optimum),
        submit_error=error,
    )
    return render(request, "caseloads/return_results.html", context, status=status)


@caseload_view
@require_http_methods(["GET", "POST"])
def return_page(request, team_id: int, month):
    team = scoped_team(request, team_id)
    month = not_in_future(month)
    caseload_return = _load_return(team, month)
    if caseload_return is not None and caseload_return.is_submitted:
        if request.method == "POST":
            return _results(
                request,
                team,
                month,
                caseload_return,
                status=409,
                error="This return has been submitted, so it cannot be changed. "
                "Ask a performance officer to reopen it if a figure is wrong.",
            )
        return _results(request, team, month, caseload_return)

    rows = return_rows(team=team, month=month, caseload_return=caseload_return)
    version = caseload_return.version if caseload_return else 0
    stale = None
    flags: dict[int, str] = {}
    if request.method == "POST":
        form = ReturnForm(request.POST, rows=rows)
        # "Submit" only leads to the check-and-submit page: Enter in a field presses the first button,
        # "Save draft", and a submitted return cannot be changed by its author.
        checking = form.action == SUBMIT
        if form.is_valid():
            try:
                result = save_return(
                    team=team,
                    month=month,
                    expected_version=form.cleaned_data["version"],
                    figures=form.figures(),
                    confirmed=form.confirmed(),
                    splits=form.splits() if form.has_split_data() else None,
                    user=request.user,
                )
            except (StaleReturn, InvalidTransition) as exc:
                stale = exc
            except ImplausibleFigures as exc:
                _flag_figures(form, flags, exc.flags)
            except FigureOverCeiling as exc:
                for worker_id, name, _cases in exc.over:
                    form.add_error(f"cases_{worker_id}", f"The cases held by {name} must be {exc.ceiling} or fewer")
            else:
                if checking:
                    return redirect("caseloads:submit", team_id=team.pk, month=month)
                return _after_save(request, result, month)
        else:
            # Every problem at once: a figure that needs confirming is flagged beside the other errors,
            # not only once they are corrected.
            _flag_figures(form, flags, _unconfirmed_flags(form, rows, month))
    else:
        form = ReturnForm(initial={"version": version}, rows=rows)

    row_views = []
    for row in rows:
        field = form.cell(row)
        value = field.value()
        split_fields = list(zip(CaseType.labels, form.split_cells(row), strict=True))
        row_views.append(
            RowView(
                row=row,
                field=field,
                flag=flags.get(row.worker.pk),
                confirm_name=confirm_field_name(row.worker.pk),
                confirm_value="" if value in (None, "") else str(value),
                confirm_ticked=bool(form.is_bound and form.data.get(confirm_field_name(row.worker.pk))),
                split_fields=split_fields,
                split_open=any(f.errors or f.value() not in (None, "") for _, f in split_fields),
            )
        )
    context = _context(request, team, month, caseload_return, rows=rows, form=form, row_views=row_views, stale=stale)
    status = 409 if stale else 200
    return render(request, "caseloads/return_form.html", context, status=status)


def _flag_figures(form, flags: dict[int, str], found) -> None:
    for flag in found:
        flags[flag.worker_id] = flag.reason
        form.add_error(
            f"cases_{flag.worker_id}",
            f"{flag.worker_name}: {flag.reason}. Check it, then tick “This figure is right” and save again",
        )


def _unconfirmed_flags(form: ReturnForm, rows: list[ReturnRow], month):
    """The implausible figures among those entered correctly, as the save would refuse them."""
    figures = {pk: cases for pk, cases in form.figures().items() if f"cases_{pk}" not in form.errors}
    confirmed = form.confirmed()
    already = {
        row.worker.pk
        for row in rows
        if row.line is not None and row.line.confirmed_implausible and row.line.cases == figures.get(row.worker.pk)
    }
    names = {row.worker.pk: row.worker.name for row in rows}
    return [
        flag
        for flag in implausible_flags(month=month, figures=figures, names=names)
        if flag.worker_id not in confirmed and flag.worker_id not in already
    ]


def _after_save(request, result, month):
    label = month_long_label(month)
    if result.submitted:
        messages.success(request, f"You submitted the {label} return for {result.caseload_return.team}.")
    elif result.changed:
        messages.success(request, f"Draft saved. The {label} return is not submitted yet.")
    else:
        messages.info(request, "Nothing had changed, so nothing was saved.")
    return redirect(result.caseload_return.get_absolute_url())


@caseload_view
@require_http_methods(["GET", "POST"])
def submit_page(request, team_id: int, month):
    """Check the saved figures, then submit: says what submitting does and who will see the figures."""
    team = scoped_team(request, team_id)
    month = not_in_future(month)
    caseload_return = _load_return(team, month)
    if caseload_return is not None and caseload_return.is_submitted:
        if request.method == "POST":
            # A double click or a resent form: nothing changes.
            return _results(
                request, team, month, caseload_return, status=409, error="This return has already been submitted."
            )
        return redirect(caseload_return.get_absolute_url())
    return_url = reverse("caseloads:return", kwargs={"team_id": team.pk, "month": month})
    if caseload_return is None:
        return redirect(return_url)
    rows = return_rows(team=team, month=month, caseload_return=caseload_return)
    error = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            save_return(
                team=team,
                month=month,
                expected_version=version,
                figures={row.worker.pk: row.cases for row in rows},
                user=request.user,
                submit=True,
            )
        except StaleReturn as exc:
            error = exc
        except (ImplausibleFigures, ReturnIncomplete, FigureOverCeiling, InvalidTransition) as exc:
            messages.error(request, str(exc))
            return redirect(return_url)
        else:
            messages.success(request, f"You submitted the {month_long_label(month)} return for {team}.")
            return redirect(caseload_return.get_absolute_url())
    elif any(row.cases is None for row in rows):
        messages.error(request, "Enter the cases held by every worker before submitting the return.")
        return redirect(return_url)
    context = _context(request, team, month, caseload_return, rows=rows, average=team_average(rows), stale=error)
    return render(request, "caseloads/return_submit.html", context, status=409 if error else 200)


@officer_view
@require_http_methods(["GET", "POST"])
def reopen_page(request, team_id: int, month):
    team = scoped_team(request, team_id)
    caseload_return = _load_return(team, not_in_future(month))
    if caseload_return is None or not caseload_return.is_submitted:
        messages.info(request, "This return is not submitted, so there is nothing to reopen.")
        if caseload_return is None:
            return redirect(reverse("caseloads:team", kwargs={"team_id": team.pk}))
        return redirect(caseload_return.get_absolute_url())
    error = None
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                reopen_return(
                    caseload_return=caseload_return,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except (ReturnError, InvalidTransition) as exc:
                error = str(exc)
            else:
                messages.success(
                    request, f"Reopened. {team}'s manager can now correct the {month_long_label(month)} return."
                )
                return redirect(caseload_return.get_absolute_url())
    else:
        form = ReopenForm(initial={"version": caseload_return.version})
    context = {
        "team": team,
        "month_label": month_long_label(month),
        "caseload_return": caseload_return,
        "form": form,
        "error": error,
    }
    return render(request, "caseloads/return_reopen.html", context, status=409 if error else 200)
