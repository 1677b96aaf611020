from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Case-file audits"
    nav_label = "Audits"  # the header menu item
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # This app's figures are computed indicators; the services that change them queue the recompute.
        from audits.computed import AUDIT_FIGURES
        from indicators.computed import register

        register(AUDIT_FIGURES)

    def upload_links(self, user):
        """This app's import pages, for the other apps' Imports pages (perfsite.imports.pages)."""
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import is_performance_officer

        if not is_performance_officer(user):
            return []
        return [
            NavLink("Upload the case list", reverse("audits:import_upload", args=["cases"])),
            NavLink("Upload historic audit results", reverse("audits:import_upload", args=["results"])),
        ]

    def nav_links(self, user):
        from django.urls import reverse

        from audits.conf import target_pct
        from perfsite.navigation import NavLink
        from perfsite.roles import Role, has_role, is_performance_officer

        links = []
        officer = is_performance_officer(user)
        if has_role(user, Role.AUDITOR):
            links.append(NavLink("Your audits", reverse("audits:worklist"), "The case-file audits allocated to you."))
        if has_role(user, Role.MODERATOR):
            links.append(NavLink("Moderation", reverse("audits:moderation_queue"), "Re-grade the audits sent to you."))
        if officer:
            links.append(
                NavLink(
                    "Audit rounds",
                    reverse("audits:round_list"),
                    "Draw random samples and thematic audits, allocate them and send audits for moderation.",
                )
            )
        if officer or has_role(user, Role.TEAM_MANAGER):
            links.append(
                NavLink(
                    "Audit results",
                    reverse("audits:results"),
                    f"Grades by quarter, team, case type and theme against the {target_pct()}% target"
                    if officer
                    else "Audit grades of your teams' cases by quarter.",
                )
            )
        if not officer and has_role(user, Role.TEAM_MANAGER):
            links.append(NavLink("Team audits", reverse("audits:team_audits"), "Audits of your teams' cases."))
        if officer or has_role(user, Role.TEAM_MANAGER, Role.AUDITOR):
            links.append(
                NavLink("Audit actions", reverse("audits:action_list"), "Actions from audits, overdue ones first.")
            )
        return links

    def scorecard_panels(self) -> list:
        """This app's panel of the quarterly scorecard (``perfsite.scorecard_panels``)."""
        from audits.scorecard import PANEL

        return [PANEL]

    def load_demo(self, *, stdout) -> None:
        from audits.demo import load_demo

        load_demo(stdout=stdout)
