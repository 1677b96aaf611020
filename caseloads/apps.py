from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "caseloads"
    verbose_name = "Caseloads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # This app's figures are computed indicators; the services that change them queue the recompute.
        from caseloads.computed import CASELOAD_FIGURES
        from indicators.computed import register

        register(CASELOAD_FIGURES)

    def upload_links(self, user):
        """This app's import page, for the other apps' Imports pages (perfsite.imports.pages)."""
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import is_performance_officer

        if not is_performance_officer(user):
            return []
        return [NavLink("Upload caseload returns", reverse("caseloads:import_upload", args=["returns"]))]

    def nav_links(self, user):
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import Role, has_role, is_performance_officer

        if not (is_performance_officer(user) or has_role(user, Role.TEAM_MANAGER)):
            return []
        return [
            NavLink(
                "Caseloads",
                reverse("caseloads:index"),
                "File your teams' monthly caseload returns and manage their workers."
                if not is_performance_officer(user)
                else "Every team's monthly caseload returns: chase, read, reopen.",
            ),
            NavLink(
                "Caseload figures",
                reverse("caseloads:rollup"),
                "Average caseload per WTE, staff over 20 cases per WTE and the trend since February 2016.",
            ),
        ]

    def scorecard_panels(self) -> list:
        """This app's panel of the quarterly scorecard (``perfsite.scorecard_panels``)."""
        from caseloads.scorecard import PANEL

        return [PANEL]

    def load_demo(self, *, stdout) -> None:
        from caseloads.demo import load_demo

        load_demo(stdout=stdout)
