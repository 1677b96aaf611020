import datetime

from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Quarterly scorecards"
    nav_label = "Scorecards"  # the header menu item
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web included), so scorecards.packs can send the
        # pack build by name, in-process when there is no broker, without importing the task module.
        from scorecards import tasks  # noqa: F401

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

    def published_through(self) -> datetime.date | None:
        """The end of the latest published quarter (None: nothing published), for ``indicators.horizon``.

        One query. Quarter slugs (``2016-17-q4``) sort as the quarters do, so the database's maximum is the latest.
        """
        from django.db.models import Max

        from indicators.quarters import Quarter
        from scorecards.models import PublishedScorecard

        latest = PublishedScorecard.objects.order_by().aggregate(latest=Max("quarter"))["latest"]
        return Quarter.parse(latest).end if latest else None

    def load_demo(self, *, stdout) -> None:
        from scorecards.demo import load_demo

        load_demo(stdout=stdout)
