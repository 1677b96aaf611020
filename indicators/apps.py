from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def load_demo(self, *, stdout) -> None:
        from indicators.demo import load_demo

        load_demo(stdout=stdout)
