"""The moderator's queue and the moderation form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from audits.forms import ModerationForm
from audits.models import Moderation
from audits.services.moderating import ModerationError, record_moderation
from perfsite.access import role_required
from perfsite.pagination import page_of
from perfsite.roles import Role


def _queue(user):
    return Moderation.objects.filter(moderator=user).select_related(
        "audit", "audit__case", "audit__team", "audit__round", "audit__auditor", "sent_by"
    )


@role_required(Role.MODERATOR)
def moderation_queue(request):
    # Paged, each list on its own: a moderator's record grows by the quarter.
    queue = _queue(request.user)
    pending = queue.filter(grade__isnull=True).order_by("sent_at", "audit__case__case_ref", "pk")
    done = queue.filter(grade__isnull=False).order_by("-moderated_at", "audit__case__case_ref", "pk")
    return render(
        request,
        "audits/moderation_queue.html",
        {
            "pending": page_of(request, pending, field="pending_page"),
            "done": page_of(request, done, field="done_page"),
        },
    )


@role_required(Role.MODERATOR)
def moderation_record(request, pk):
    moderation = get_object_or_404(_queue(request.user), pk=pk)
    audit = moderation.audit
    if not moderation.is_pending:
        if request.method == "POST":
            messages.info(request, "You have already moderated this audit; nothing was changed.")
        return redirect("audits:audit_detail", pk=audit.pk)
    form = ModerationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_moderation(moderation=moderation, user=request.user, **form.cleaned_data)
        except ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Moderation of {audit.case.case_ref} recorded.")
            return redirect("audits:moderation_queue")
    return render(
        request,
        "audits/moderation_form.html",
        {
            "moderation": moderation,
            "audit": audit,
            "theme_grades": list(audit.theme_grades.order_by("pk")),
            "form": form,
        },
    )
