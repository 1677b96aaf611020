from django.urls import path

from audits.views import actions, auditing, cases, imports, moderation, results, rounds, sample_download

app_name = "audits"

urlpatterns = [
    path("", auditing.worklist, name="worklist"),
    path("<int:pk>/", auditing.audit_detail, name="audit_detail"),
    path("<int:pk>/edit/", auditing.audit_edit, name="audit_edit"),
    path("<int:pk>/submit/", auditing.audit_submit, name="audit_submit"),
    path("<int:pk>/actions/add/", auditing.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/remove/", auditing.action_remove, name="action_remove"),
    path("<int:pk>/return/", auditing.audit_return, name="audit_return"),
    path("<int:pk>/close/", auditing.audit_close, name="audit_close"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/random/", rounds.round_random_new, name="round_random_new"),
    path("rounds/new/thematic/", rounds.round_thematic_new, name="round_thematic_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/sample-check.csv", sample_download.round_sample_check_csv, name="round_sample_check_csv"),
    path("rounds/<int:pk>/moderation/", rounds.round_send_for_moderation, name="round_send_for_moderation"),
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("moderation/<int:pk>/", moderation.moderation_record, name="moderation_record"),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/<int:pk>/close/", actions.action_close, name="action_close"),
    path("results/", results.results, name="results"),
    path("results/sample-check.csv", sample_download.quarter_sample_check_csv, name="results_sample_check_csv"),
    path("team-audits/", results.team_audits, name="team_audits"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    *imports.PAGES.urls(),
]
