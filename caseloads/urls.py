from django.urls import path

from caseloads.views import imports, returns, rollups, teams, workers
from caseloads.views.common import MonthConverter  # noqa: F401  (registers the <month:...> converter)

app_name = "caseloads"

urlpatterns = [
    path("", teams.index, name="index"),
    path("rollup/", rollups.rollup_page, name="rollup"),
    path("teams/<int:team_id>/", teams.team_page, name="team"),
    path("teams/<int:team_id>/returns/<month:month>/", returns.return_page, name="return"),
    path("teams/<int:team_id>/returns/<month:month>/submit/", returns.submit_page, name="submit"),
    path("teams/<int:team_id>/returns/<month:month>/reopen/", returns.reopen_page, name="reopen"),
    path("teams/<int:team_id>/workers/add/", workers.worker_add, name="worker_add"),
    path("workers/<int:worker_id>/", workers.worker_edit, name="worker_edit"),
    path("workers/<int:worker_id>/move/", workers.worker_move, name="worker_move"),
    path("workers/<int:worker_id>/end/", workers.worker_end, name="worker_end"),
    *imports.PAGES.urls(),
]
