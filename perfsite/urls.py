from django.contrib import admin
from django.urls import include, path

from perfsite import accounts, oidc, sessions, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/session/", sessions.status, name="session_status"),
    path("accounts/session/keep-alive/", sessions.keep_alive, name="session_keep_alive"),
    path("accounts/two-factor/", include("perfsite.mfa.urls")),
    # The names mozilla-django-oidc reverses; both answer 404 unless council sign-in is configured.
    path("accounts/council/sign-in/", oidc.council_sign_in, name="oidc_authentication_init"),
    path("accounts/council/callback/", oidc.council_callback, name="oidc_authentication_callback"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("indicators/", include("indicators.urls")),
    path("caseloads/", include("caseloads.urls")),
    path("audits/", include("audits.urls")),
    path("scorecards/", include("scorecards.urls")),
]

admin.site.site_header = "Children's services performance: administration"
admin.site.site_title = "perfsite admin"
