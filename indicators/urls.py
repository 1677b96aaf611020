from django.urls import path

from indicators import views
from indicators.views import actions, benchmarks, imports

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/values/add/", views.value_add, name="value_add"),
    path("values/<int:pk>/edit/", views.value_edit, name="value_edit"),
    path("values/<int:pk>/remove/", views.value_delete, name="value_delete"),
    path("quarters/", views.quarter_index, name="quarter_latest"),
    path("quarters/<str:slug>/", views.quarter_page, name="quarter"),
    path("quarters/<str:slug>/scorecard.<str:fmt>", views.quarter_export, name="quarter_export"),
    path("benchmarks/refresh/", benchmarks.refresh, name="refresh_benchmarks"),
    *imports.PAGES.urls(),
    path("actions/", actions.ActionListView.as_view(), name="action_list"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", actions.action_move, name="action_move"),
    path("actions/<int:pk>/notes/", actions.action_note_add, name="action_note_add"),
]
