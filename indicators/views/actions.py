"""Performance actions: the officers' list (filter, sort, CSV/XLSX), an action's page, and its forms.

Officers see and write every action; an action's owner (any signed-in person given it) reads it,
moves it and writes its progress notes. Everyone else gets 403. Members read open actions only
on the published scorecard, without names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from indicators.action_models import PerformanceAction
from indicators.actions import services
from indicators.actions.filters import ActionFilter
from indicators.actions.forms import ActionForm, MoveForm, NoteForm
from indicators.actions.selectors import action_list, history_entries, history_records
from indicators.actions.tables import ActionTable
from indicators.models import Indicator
from indicators.views.access import officer_required
from perfsite.lifecycle import InvalidTransition
from perfsite.pagination import BoundedPaginator, page_of
from perfsite.roles import is_performance_officer
from perfsite.spreadsheet import SpreadsheetExportMixin


@method_decorator(officer_required, name="dispatch")
class ActionListView(SpreadsheetExportMixin, SingleTableMixin, FilterView):
    model = PerformanceAction
    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "indicators/actions/action_list.html"
    paginate_by = 50
    paginator_class = BoundedPaginator  # ?per_page= from the query string, held between 1 and 200

    def get_queryset(self):
        return action_list()

    def get_export_filename(self, export_format):
        return f"performance-actions-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filtered"] = any(self.request.GET.get(name) for name in ActionFilter.Meta.fields)
        return context


def _action_for(request, pk) -> PerformanceAction:
    action = get_object_or_404(PerformanceAction.objects.select_related("indicator", "owner", "created_by"), pk=pk)
    if not services.may_update(action, request.user):
        raise PermissionDenied
    return action


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def action_detail(request, pk):
    action = _action_for(request, pk)
    return _render_detail(request, action, MoveForm(status=action.status), NoteForm())


def _history_page(request, action) -> dict:
    records = history_records(action)
    page = page_of(request, records, field="history_page")
    # The page's oldest change is worded against the record before it, the first of the next page: read
    # with the page's own in one query (oldest first), so that every page costs the same.
    shown = list(records[page.start_index() - 1 : page.end_index() + 1])[::-1] if page.paginator.count else []
    previous = shown.pop(0) if page.has_next() else None
    return {"page": page, "entries": history_entries(shown, previous)}


def _render_detail(request, action, move_form, note_form, status=200):
    return render(
        request,
        "indicators/actions/action_detail.html",
        {
            "action": action,
            # Notes and changes accrue month after month while the action is open: a page of each.
            "notes": page_of(request, action.notes.select_related("author"), field="notes_page"),
            "move_form": move_form,
            "note_form": note_form,
            "can_edit": is_performance_officer(request.user),
            "overdue": action.is_overdue(timezone.localdate()),
            "history": _history_page(request, action),
        },
        status=status,
    )


@require_POST
@login_required
def action_move(request, pk):
    action = _action_for(request, pk)
    form = MoveForm(request.POST, status=action.status)
    if form.is_valid():
        try:
            services.action_move(
                action=action, transition=form.cleaned_data["transition"], reason=form.cleaned_data["reason"],
                user=request.user,
            )  # fmt: skip
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The action's status was changed.")
            return redirect("indicators:action_detail", pk=action.pk)
    return _render_detail(request, action, form, NoteForm(), status=400)


@require_POST
@login_required
def action_note_add(request, pk):
    action = _action_for(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(
                action=action, text=form.cleaned_data["text"], written_on=form.cleaned_data["written_on"],
                user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Progress note added.")
            return redirect("indicators:action_detail", pk=action.pk)
    return _render_detail(request, action, MoveForm(status=action.status), form, status=400)


@officer_required
def action_new(request):
    initial = {}
    indicator_id = request.GET.get("indicator", "")
    if indicator_id.isdigit():
        indicator = Indicator.objects.filter(pk=int(indicator_id)).first()
        if indicator is not None:
            initial["indicator"] = indicator
    if request.GET.get("quarter"):
        initial["quarter"] = request.GET["quarter"][:10]
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                indicator=data["indicator"], quarter=data["quarter"], description=data["description"],
                owner=data["owner"], owner_service=data["owner_service"], due_on=data["due_on"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Performance action added.")
            return redirect("indicators:action_detail", pk=action.pk)
    return render(request, "indicators/actions/action_form.html", {"form": form, "title": "Add a performance action"})


@officer_required
def action_edit(request, pk):
    action = get_object_or_404(PerformanceAction.objects.select_related("indicator"), pk=pk)
    initial = {
        "description": action.description,
        "owner": action.owner_id,
        "owner_service": action.owner_service,
        "due_on": action.due_on,
    }
    form = ActionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                action=action, description=data["description"], owner=data["owner"],
                owner_service=data["owner_service"], due_on=data["due_on"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Performance action changed.")
            return redirect("indicators:action_detail", pk=action.pk)
    return render(
        request,
        "indicators/actions/action_form.html",
        {"form": form, "title": "Change a performance action", "action": action},
    )
