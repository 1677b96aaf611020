from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from perfsite import views
from perfsite.forms import GovukAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=GovukAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("indicators/", include("indicators.urls")),
    path("caseloads/", include("caseloads.urls")),
    path("audits/", include("audits.urls")),
    path("scorecards/", include("scorecards.urls")),
]

admin.site.site_header = "Children's services performance: administration"
admin.site.site_title = "perfsite admin"
