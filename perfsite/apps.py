from django.apps import AppConfig


class PerfsiteConfig(AppConfig):
    name = "perfsite"
    verbose_name = "perfsite"
    default_auto_field = "django.db.models.BigAutoField"
