from django.urls import path, register_converter

from indicators.quarters import Quarter, QuarterError
from scorecards import views, views_issues


class QuarterConverter:
    regex = r"\d{4}-\d{2}-q[1-4]"

    def to_python(self, value: str) -> Quarter:
        try:
            return Quarter.parse(value)
        except QuarterError as error:
            raise ValueError(str(error)) from None

    def to_url(self, value) -> str:
        return value.slug if isinstance(value, Quarter) else str(value)


register_converter(QuarterConverter, "quarter")

app_name = "scorecards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<quarter:quarter>/", views.scorecard, name="scorecard"),
    path("<quarter:quarter>/versions/<int:version>/", views.scorecard_version, name="version"),
    path("<quarter:quarter>/preview/", views.preview, name="preview"),
    path("<quarter:quarter>/publish/", views.publish_quarter, name="publish"),
    path("<quarter:quarter>/amend/", views.amend_quarter, name="amend"),
    path("<quarter:quarter>/commentary/<int:indicator_id>/", views.commentary, name="commentary"),
    path("<quarter:quarter>/key-issues/", views_issues.key_issues, name="key_issues"),
    path("<quarter:quarter>/pack/", views.pack, name="pack"),
    path("<quarter:quarter>/pack/status/", views.pack_status, name="pack_status"),
    path("<quarter:quarter>/versions/<int:version>/pack.<str:fmt>", views.pack_download, name="pack_download"),
]
