"""Adding, changing, moving and ending workers (team managers for their teams; officers for all)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseloads.forms import WorkerAddForm, WorkerDetailsForm, WorkerEndForm, WorkerMoveForm
from caseloads.services import workers as worker_services
from caseloads.views.common import caseload_view, scoped_team, scoped_worker
from perfsite.pagination import page_of


def _apply(form, call):
    """Run a service; its ValidationError goes onto the form's fields. Returns the result or None."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def _team_url(team) -> str:
    return reverse("caseloads:team", kwargs={"team_id": team.pk})


@caseload_view
@require_http_methods(["GET", "POST"])
def worker_add(request, team_id: int):
    team = scoped_team(request, team_id)
    if not worker_services.can_manage_team(request.user, team):
        raise PermissionDenied
    form = WorkerAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        worker = _apply(form, lambda: worker_services.add_worker(team=team, user=request.user, **form.cleaned_data))
        if worker is not None:
            messages.success(request, f"{worker.name} added to {team}.")
            return redirect(_team_url(team))
    return render(
        request, "caseloads/worker_form.html", {"form": form, "team": team, "heading": f"Add a worker to {team}"}
    )


@caseload_view
@require_http_methods(["GET", "POST"])
def worker_edit(request, worker_id: int):
    worker = scoped_worker(request, worker_id)
    if not worker_services.can_manage_team(request.user, worker.team):
        raise PermissionDenied
    initial = {"name": worker.name, "role": worker.role, "employment": worker.employment, "wte": worker.wte}
    form = WorkerDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _apply(
            form, lambda: worker_services.update_worker(worker=worker, user=request.user, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, f"{worker.name}'s details saved.")
            return redirect(_team_url(worker.team))
    # Every change to a worker is kept for years: a page of them at a time, newest first.
    history = page_of(
        request,
        worker.history.select_related("history_user", "team").order_by("-history_date", "-history_id"),
        field="history_page",
    )
    context = {"form": form, "team": worker.team, "worker": worker, "heading": f"Change {worker.name}'s details"}
    return render(request, "caseloads/worker_form.html", {**context, "history": history})


@caseload_view
@require_http_methods(["GET", "POST"])
def worker_move(request, worker_id: int):
    worker = scoped_worker(request, worker_id)
    old_team = worker.team
    if not worker_services.can_manage_team(request.user, old_team):
        raise PermissionDenied
    form = WorkerMoveForm(request.POST or None, current_team=old_team)
    if request.method == "POST" and form.is_valid():
        to_team = form.cleaned_data["team"]
        if _apply(form, lambda: worker_services.move_worker(worker=worker, to_team=to_team, user=request.user)):
            messages.success(request, f"{worker.name} moved from {old_team} to {to_team}.")
            return redirect(_team_url(old_team))
    context = {"form": form, "team": old_team, "worker": worker, "heading": f"Move {worker.name} to another team"}
    return render(request, "caseloads/worker_form.html", context)


@caseload_view
@require_http_methods(["GET", "POST"])
def worker_end(request, worker_id: int):
    worker = scoped_worker(request, worker_id)
    if not worker_services.can_manage_team(request.user, worker.team):
        raise PermissionDenied
    form = WorkerEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended_on = form.cleaned_data["ended_on"]
        if _apply(form, lambda: worker_services.end_worker(worker=worker, ended_on=ended_on, user=request.user)):
            messages.success(request, f"{worker.name} ends on {ended_on:%-d %B %Y}.")
            return redirect(_team_url(worker.team))
    context = {"form": form, "team": worker.team, "worker": worker, "heading": f"End {worker.name} in {worker.team}"}
    return render(request, "caseloads/worker_form.html", context)
