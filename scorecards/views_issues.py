"""Exception reporting: the officer chooses the quarter's key performance issues (``scorecards.exceptions``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from indicators.quarters import Quarter
from indicators.selectors import quarter_rows
from perfsite.access import role_required
from perfsite.roles import Role
from scorecards.exceptions import REASON_MAX, choose_key_issues, chosen_for, proposals
from scorecards.messages import headline_rag
from scorecards.snapshot import LEVELS, level_of


@require_http_methods(["GET", "POST"])
@role_required(Role.PERFORMANCE_OFFICER)
def key_issues(request, quarter: Quarter):
    rows = [row for row in quarter_rows(quarter) if row.latest.value is not None]
    proposed = {p.indicator_id: p for p in proposals(rows, level_of=level_of)}
    chosen = chosen_for(quarter)
    errors = []
    if request.method == "POST":
        known = {row.indicator_id for row in rows}
        picked = {}
        for raw in request.POST.getlist("issue"):
            if not raw.isdigit() or int(raw) not in known:
                errors.append("Choose only indicators with a figure this quarter.")
                break
            reason = " ".join(request.POST.get(f"reason-{raw}", "").split())
            if len(reason) > REASON_MAX:
                errors.append(f"A reason must be {REASON_MAX} characters or fewer.")
                break
            picked[int(raw)] = reason
        if not errors:
            choose_key_issues(quarter=quarter, choices=picked, user=request.user)
            messages.success(request, f"{len(picked)} key performance issue(s) chosen for {quarter.label}.")
            return redirect("scorecards:preview", quarter=quarter)
    labels = {key: label for key, label, _ in LEVELS}
    groups: dict[str, list] = {}
    for row in sorted(rows, key=lambda r: r.code):
        proposal = proposed.get(row.indicator_id)
        groups.setdefault(level_of(row.framework_level), []).append(
            {
                "row": row,
                "rag": headline_rag(row).value,
                "proposal": proposal.reason if proposal else "",
                "checked": row.indicator_id in chosen if chosen else proposal is not None,
                "reason": chosen.get(row.indicator_id, ""),
            }
        )
    levels = [(labels.get(key, "Other"), groups[key]) for key in [*labels, "other"] if key in groups]
    return render(
        request,
        "scorecards/key_issues.html",
        {"quarter": quarter, "levels": levels, "errors": errors, "has_choice": bool(chosen), "reason_max": REASON_MAX},
    )
