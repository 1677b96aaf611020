from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "caseloads"
    verbose_name = "Caseloads"
    default_auto_field = "django.db.models.BigAutoField"
