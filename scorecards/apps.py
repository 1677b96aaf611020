from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Quarterly scorecards"
    default_auto_field = "django.db.models.BigAutoField"
