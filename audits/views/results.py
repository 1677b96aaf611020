"""Roll-up pages: a quarter's agreed grades overall and by team, case type and theme."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audits.charts import grades_by_team_chart, grades_by_theme_chart
from audits.models import AuditTally
from audits.representativeness import sample_check
from audits.representativeness_panel import officer_context
from audits.rollups import GRADE_NAMES, quarter_rollup
from audits.scope import audits_for, refuse_members, teams_for
from audits.tables import TeamAuditTable
from audits.thematic import thematic_results
from indicators.quarters import Quarter, QuarterError
from perfsite.access import role_required
from perfsite.pagination import paginate_table
from perfsite.roles import Role, has_role, is_performance_officer


def quarters_with_results() -> list[Quarter]:
    """Quarters in which any audit was completed, newest first (one query over the tallies, not the audits)."""
    starts = AuditTally.objects.order_by("-quarter_start").values_list("quarter_start", flat=True).distinct()
    return [Quarter.containing(start) for start in starts]


@role_required(Role.PERFORMANCE_OFFICER, Role.TEAM_MANAGER)
def results(request):
    teams = None if is_performance_officer(request.user) else list(teams_for(request.user))
    if teams is not None and not teams:
        raise PermissionDenied("You do not manage any team yet.")
    available = quarters_with_results()
    quarter = available[0] if available else Quarter.containing(timezone.localdate())
    error = ""
    if request.GET.get("quarter"):
        try:
            quarter = Quarter.parse(request.GET["quarter"])
        except QuarterError as exc:
            error = str(exc)
    if quarter not in available:
        available = sorted([*available, quarter], reverse=True)
    # The headline is the random sample's; thematic rounds have their own section below.
    rollup = quarter_rollup(quarter=quarter, teams=teams, random_only=True)
    # The sample is drawn from every team's cases, so only officers (who see every team) see the check.
    check = None
    if teams is None:
        download = f"{reverse('audits:results_sample_check_csv')}?quarter={quarter.slug}"
        check = officer_context(sample_check(quarter=quarter), chart_prefix=quarter.slug, download_url=download)
    return render(
        request,
        "audits/results.html",
        {
            "rollup": rollup,
            "quarter": quarter,
            "quarters": available,
            "error": error,
            "grade_names": GRADE_NAMES,
            "team_chart": grades_by_team_chart(rollup),
            "theme_chart": grades_by_theme_chart(rollup),
            "own_teams_only": teams is not None,
            "teams": teams,
            "sample_check": check,
            "thematic": thematic_results(quarter=quarter, teams=teams),
        },
    )


def team_audits(request):
    """Audits of the user's teams' cases (team managers), or of every team (officers)."""
    refuse_members(request.user)
    if not (is_performance_officer(request.user) or has_role(request.user, Role.TEAM_MANAGER)):
        raise PermissionDenied
    audits = audits_for(request.user)
    if not is_performance_officer(request.user):
        audits = audits.filter(team__in=teams_for(request.user))
    table = TeamAuditTable(audits, order_by=("-quarter", "team", "case"))
    paginate_table(request, table)
    return render(request, "audits/team_audits.html", {"table": table})
