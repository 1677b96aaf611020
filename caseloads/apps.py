from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "caseloads"
    verbose_name = "Caseloads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Publish this app's figures as computed indicators whenever they change.
        from . import computed  # noqa: F401

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
