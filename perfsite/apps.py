from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PerfsiteConfig(AppConfig):
    name = "perfsite"
    verbose_name = "perfsite"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from perfsite import startup  # noqa: F401  (registers the "services" system check)
        from perfsite.roles import grant_officer_permissions

        post_migrate.connect(grant_officer_permissions, dispatch_uid="perfsite.grant_officer_permissions")
        # Signal receivers (session clock, second-factor step) and system checks register on import.
        from perfsite import checks, sessions  # noqa: F401
        from perfsite.mfa import policy  # noqa: F401
