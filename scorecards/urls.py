from django.urls import path, register_converter

from indicators.quarters import Quarter, QuarterError
from scorecards import views, views_issues, views_preview, views_published


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
    path("<quarter:quarter>/", views_published.scorecard, name="scorecard"),
    path("<quarter:quarter>/levels/<slug:level>/", views_published.level, name="level"),
    path("<quarter:quarter>/panels/<slug:panel>/", views_published.panel, name="panel"),
    path("<quarter:quarter>/appendix-3/", views_published.appendix, name="appendix"),
    path("<quarter:quarter>/versions/<int:version>/", views_published.scorecard, name="version"),
    path("<quarter:quarter>/versions/<int:version>/levels/<slug:level>/", views_published.level, name="version_level"),
    path("<quarter:quarter>/versions/<int:version>/panels/<slug:panel>/", views_published.panel, name="version_panel"),
    path("<quarter:quarter>/versions/<int:version>/appendix-3/", views_published.appendix, name="version_appendix"),
    path("<quarter:quarter>/preview/", views_preview.preview, name="preview"),
    path("<quarter:quarter>/preview/levels/<slug:level>/", views_preview.level, name="preview_level"),
    path("<quarter:quarter>/preview/panels/<slug:panel>/", views_preview.panel, name="preview_panel"),
    path("<quarter:quarter>/preview/appendix-3/", views_preview.appendix, name="preview_appendix"),
    path("<quarter:quarter>/publish/", views.publish_quarter, name="publish"),
    path("<quarter:quarter>/amend/", views.amend_quarter, name="amend"),
    path("<quarter:quarter>/commentary/<int:indicator_id>/", views.commentary, name="commentary"),
    path("<quarter:quarter>/key-issues/", views_issues.key_issues, name="key_issues"),
    path("<quarter:quarter>/pack/", views.pack, name="pack"),
    path("<quarter:quarter>/pack/status/", views.pack_status, name="pack_status"),
    path("<quarter:quarter>/versions/<int:version>/pack.<str:fmt>", views.pack_download, name="pack_download"),
]
