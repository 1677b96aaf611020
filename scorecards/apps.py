from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Quarterly scorecards"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_links(self, user) -> list:
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import is_performance_officer, roles_of

        if not user.is_authenticated or not (roles_of(user) or user.is_superuser):
            return []
        description = "Each quarter's scorecard: ratings, key messages, audits, caseloads and the committee pack."
        if is_performance_officer(user):
            description = "Preview, publish and amend quarterly scorecards; add commentary; build committee packs."
        return [NavLink("Scorecards", reverse("scorecards:index"), description)]

    def load_demo(self, *, stdout) -> None:
        from scorecards.demo import load_demo

        load_demo(stdout=stdout)
