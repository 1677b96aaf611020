"""Performance officers' pages: rounds, drawing them, and sending samples for moderation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audits.allocation import AllocationRefused
from audits.choices import AuditStatus, RoundKind
from audits.forms import RandomRoundForm, SendForModerationForm, ThematicRoundForm
from audits.models import Audit, AuditRound
from audits.representativeness import sample_check
from audits.representativeness_panel import officer_context
from audits.round_tallies import round_progress
from audits.services.allocating import users_with_role
from audits.services.moderating import ModerationError, send_for_moderation
from audits.services.rounds import RoundError, create_random_round, create_thematic_round
from audits.tables import RoundAuditTable
from perfsite.access import role_required
from perfsite.pagination import page_of, paginate_table
from perfsite.roles import Role


@role_required(Role.PERFORMANCE_OFFICER)
def round_list(request):
    # A few rounds a quarter for years: a page of them, newest quarter first, each with its progress read
    # from its status tally (a few rows a round), so the page costs the same however many audits a round has.
    page = page_of(request, AuditRound.objects.order_by("-quarter", "kind", "title", "pk"))
    progress = round_progress(round_.pk for round_ in page)
    rows = [(round_, progress[round_.pk]) for round_ in page]
    return render(request, "audits/round_list.html", {"rows": rows, "page": page})


def _count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _refusal_message(refused: AllocationRefused) -> list[str]:
    return [str(refusal) for refusal in refused.refusals]


def _round_form_view(request, *, form_class, template, create):
    auditors = users_with_role(Role.AUDITOR)
    form = form_class(request.POST if request.method == "POST" else None, auditors=auditors)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            round_ = create(form.cleaned_data)
        except AllocationRefused as refused:
            refusals = _refusal_message(refused)
            form.add_error(
                None,
                f"Nothing was allocated: {_count(len(refusals), 'case has', 'cases have')} no independent "
                "auditor among those selected. Select more auditors, or remove these cases.",
            )
        except (RoundError, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{round_.display_name}: {_count(round_.audits.count(), 'audit')} allocated.")
            return redirect("audits:round_detail", pk=round_.pk)
    return render(request, template, {"form": form, "refusals": refusals})


@role_required(Role.PERFORMANCE_OFFICER)
def round_random_new(request):
    def create(data):
        round_, _draw = create_random_round(
            quarter=data["quarter"],
            rate=data["rate"],
            seed=data["seed"],
            on=data["sampling_date"],
            due_on=data["due_on"],
            auditors=list(data["auditors"]),
            user=request.user,
        )
        return round_

    return _round_form_view(
        request, form_class=RandomRoundForm, template="audits/round_random_form.html", create=create
    )


@role_required(Role.PERFORMANCE_OFFICER)
def round_thematic_new(request):
    def create(data):
        return create_thematic_round(
            quarter=data["quarter"],
            title=data["title"],
            case_types=data["case_types"],
            teams=list(data["teams"]),
            case_refs=data["case_ref_list"],
            on=data["sampling_date"],
            due_on=data["due_on"],
            auditors=list(data["auditors"]),
            user=request.user,
        )

    return _round_form_view(
        request, form_class=ThematicRoundForm, template="audits/round_thematic_form.html", create=create
    )


@role_required(Role.PERFORMANCE_OFFICER)
def round_detail(request, pk):
    round_ = get_object_or_404(AuditRound.objects.select_related("created_by"), pk=pk)
    audits = (
        Audit.objects.filter(round=round_)
        .select_related("case", "team", "auditor", "moderation", "moderation__moderator")
        .with_agreed_grade()
    )
    table = RoundAuditTable(audits, order_by=("team", "case"))
    paginate_table(request, table)
    progress = round_progress([round_.pk])[round_.pk]
    form = SendForModerationForm(moderators=users_with_role(Role.MODERATOR))
    check = None
    if round_.kind == RoundKind.RANDOM and round_.sampling_date:
        check = officer_context(
            sample_check(quarter=round_.quarter_obj, round_id=round_.pk),
            chart_prefix=f"round-{round_.pk}",
            download_url=reverse("audits:round_sample_check_csv", args=[round_.pk]),
        )
    elif round_.kind == RoundKind.THEMATIC:
        check = officer_context(None, chart_prefix="", thematic=True)
    return render(
        request,
        "audits/round_detail.html",
        {
            "round": round_,
            "table": table,
            "progress": progress,
            "statuses": list(AuditStatus),
            "form": form,
            "sample_check": check,
        },
    )


@require_POST
@role_required(Role.PERFORMANCE_OFFICER)
def round_send_for_moderation(request, pk):
    round_ = get_object_or_404(AuditRound, pk=pk)
    form = SendForModerationForm(request.POST, moderators=users_with_role(Role.MODERATOR))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["case_ref_list"]:
                chosen = list(round_.audits.filter(case__case_ref__in=data["case_ref_list"]))
                found = {audit.case.case_ref for audit in chosen}
                missing = [ref for ref in data["case_ref_list"] if ref not in found]
                if missing:
                    raise ModerationError(f"Not in this round: {', '.join(missing)}.")
                sent = send_for_moderation(audits=chosen, moderators=list(data["moderators"]), user=request.user)
            else:
                sent = send_for_moderation(
                    round_=round_, rate=data["rate"], moderators=list(data["moderators"]), user=request.user
                )
        except AllocationRefused as refused:
            messages.error(
                request, "Nothing was sent. No independent moderator for: " + "; ".join(_refusal_message(refused))
            )
        except ModerationError as exc:
            messages.error(request, f"Nothing was sent. {exc}")
        else:
            messages.success(request, f"{_count(len(sent), 'audit')} sent for moderation.")
    else:
        messages.error(request, "Nothing was sent. " + " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("audits:round_detail", pk=round_.pk)
