"""The auditor's worklist and the audit form; the read-only audit page everyone in scope shares."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits.choices import EDITABLE_STATUSES
from audits.forms import ActionForm, AuditForm, ReturnForm
from audits.history import grade_history
from audits.lifecycle import InvalidTransition, Transition, may
from audits.models import Audit
from audits.scope import audits_for, own_audits, refuse_members
from audits.services import actions as action_services
from audits.services import auditing
from perfsite.access import role_required
from perfsite.pagination import page_of
from perfsite.roles import Role, has_role, is_performance_officer


def worklist(request):
    """/audits/: the auditor's own audits. Other roles are sent to the page their role starts from."""
    refuse_members(request.user)
    if not has_role(request.user, Role.AUDITOR):
        if is_performance_officer(request.user):
            return redirect("audits:round_list")
        if has_role(request.user, Role.MODERATOR):
            return redirect("audits:moderation_queue")
        return redirect("audits:team_audits")
    # Paged, each list on its own: an auditor's history grows by the quarter.
    own = own_audits(request.user)
    to_do = own.filter(status__in=EDITABLE_STATUSES).order_by("due_on", "case__case_ref", "pk")
    done = own.exclude(status__in=EDITABLE_STATUSES).order_by("-completed_on", "case__case_ref", "pk")
    return render(
        request,
        "audits/worklist.html",
        {
            "to_do": page_of(request, to_do, field="to_do_page"),
            "done": page_of(request, done, field="done_page"),
            "today": timezone.localdate(),
        },
    )


def _audit_in_scope(request, pk):
    refuse_members(request.user)
    return get_object_or_404(audits_for(request.user), pk=pk)


def audit_detail(request, pk):
    audit = _audit_in_scope(request, pk)
    user = request.user
    actions = list(audit.actions.select_related("owner", "closed_by").order_by("due_on", "pk"))
    today = timezone.localdate()
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "theme_grades": list(audit.theme_grades.order_by("pk")),
            "actions": actions,
            "closable": {a.pk for a in actions if a.is_open and action_services.may_close(a, user)},
            "history": grade_history(audit),
            "today": today,
            "is_auditor": audit.auditor_id == user.pk,
            "is_officer": is_performance_officer(user),
            "can_return": is_performance_officer(user) and may(audit, Transition.RETURN),
            "can_close": is_performance_officer(user) and may(audit, Transition.CLOSE),
            "return_form": ReturnForm(),
        },
    )


def _own_audit(request, pk) -> Audit:
    refuse_members(request.user)
    return get_object_or_404(audits_for(request.user).filter(auditor=request.user), pk=pk)


def _submitted(request, audit: Audit):
    """A submitted audit's form and check page lead to its read-only page. A double click or a resent
    form after submission changes nothing and says why."""
    if request.method == "POST":
        messages.info(request, "This audit has been submitted and can no longer be changed.")
    return redirect("audits:audit_detail", pk=audit.pk)


@role_required(Role.AUDITOR)
def audit_edit(request, pk):
    audit = _own_audit(request, pk)
    if not audit.is_editable:
        return _submitted(request, audit)
    if request.method == "POST":
        form = AuditForm(request.POST)
        # "submit" only leads to the check-your-answers page: submitting cannot be undone by its
        # author, so it is never one keypress away (Enter in a field presses "Save draft").
        checking = request.POST.get("action") == "submit"
        if form.is_valid():
            entry = form.entry()
            problems = auditing.problems_of(entry) if checking else {}
            for field, message in problems.items():
                form.add_error(field, message)
            if not problems:
                auditing.save_draft(audit=audit, user=request.user, entry=entry)
                if checking:
                    return redirect("audits:audit_submit", pk=audit.pk)
                messages.success(request, "Draft saved. You can come back to it at any time before the due date.")
                return redirect("audits:audit_edit", pk=audit.pk)
    else:
        form = AuditForm(initial=AuditForm.initial_from(auditing.entry_of(audit)))
    return render(
        request,
        "audits/audit_form.html",
        {
            "audit": audit,
            "form": form.for_display(),
            "actions": list(audit.actions.select_related("owner").order_by("due_on", "pk")),
        },
    )


@role_required(Role.AUDITOR)
def audit_submit(request, pk):
    """Check your answers, then submit: says what submitting does and who will see the audit."""
    audit = _own_audit(request, pk)
    if not audit.is_editable:
        return _submitted(request, audit)
    if request.method == "POST":
        try:
            auditing.submit_audit(audit=audit, user=request.user)
        except auditing.SubmissionInvalid:
            messages.error(request, "The audit is not complete yet: correct the answers shown, then submit it.")
            return redirect("audits:audit_edit", pk=audit.pk)
        messages.success(request, f"Audit of {audit.case.case_ref} submitted.")
        return redirect("audits:audit_detail", pk=audit.pk)
    entry = auditing.entry_of(audit)
    if auditing.problems_of(entry):
        return redirect("audits:audit_edit", pk=audit.pk)
    return render(
        request,
        "audits/audit_submit.html",
        {
            "audit": audit,
            "theme_grades": list(audit.theme_grades.order_by("pk")),
            "actions": list(audit.actions.select_related("owner").order_by("due_on", "pk")),
        },
    )


@role_required(Role.AUDITOR)
def action_add(request, pk):
    audit = _own_audit(request, pk)
    if not audit.is_editable:
        raise PermissionDenied
    owners = action_services.owner_choices(audit)
    form = ActionForm(request.POST if request.method == "POST" else None, owners=owners)
    if request.method == "POST" and form.is_valid():
        action_services.add_action(audit=audit, user=request.user, **form.cleaned_data)
        messages.success(request, "Action added.")
        return redirect(reverse("audits:audit_edit", args=[audit.pk]) + "#actions")
    return render(request, "audits/action_form.html", {"audit": audit, "form": form})


@require_POST
@role_required(Role.AUDITOR)
def action_remove(request, pk, action_pk):
    audit = _own_audit(request, pk)
    action = get_object_or_404(audit.actions, pk=action_pk)
    action_services.remove_action(action=action, user=request.user)
    messages.success(request, "Action removed.")
    return redirect(reverse("audits:audit_edit", args=[audit.pk]) + "#actions")


@role_required(Role.PERFORMANCE_OFFICER)
def audit_return(request, pk):
    audit = _audit_in_scope(request, pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            auditing.return_to_auditor(audit=audit, user=request.user, reason=form.cleaned_data["reason"])
        except (ValueError, InvalidTransition) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Audit of {audit.case.case_ref} returned to its auditor.")
        return redirect("audits:audit_detail", pk=audit.pk)
    return render(request, "audits/audit_return.html", {"audit": audit, "form": form})


@require_POST
@role_required(Role.PERFORMANCE_OFFICER)
def audit_close(request, pk):
    audit = _audit_in_scope(request, pk)
    try:
        closed = auditing.close_audit(audit=audit, user=request.user)
    except (ValueError, InvalidTransition) as exc:
        messages.error(request, str(exc))
    else:
        if closed:
            messages.success(request, f"Audit of {audit.case.case_ref} closed.")
    return redirect("audits:audit_detail", pk=audit.pk)
