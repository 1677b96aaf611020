from django.urls import path

from indicators import views
from indicators.views import benchmarks, imports

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
]
