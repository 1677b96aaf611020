from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_officer_permissions, sender=self, dispatch_uid="indicators-officer-permissions")

    def nav_links(self, user) -> list:
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import is_performance_officer, roles_of

        if not user.is_authenticated or not (user.is_superuser or roles_of(user)):
            return []
        links = [
            NavLink("Indicators", reverse("indicators:list"), "Every key indicator: its figures, targets and RAG."),
            NavLink(
                "Quarterly tables",
                reverse("indicators:quarter_latest"),
                "Appendix 3 for any quarter: target and tracker indicators rated against targets and benchmarks.",
            ),
        ]
        if is_performance_officer(user):
            links.append(
                NavLink("Imports", reverse("indicators:imports"), "Load indicators, values and DfE statistics.")
            )
        return links

    def load_demo(self, *, stdout) -> None:
        from indicators.demo import load_demo

        load_demo(stdout=stdout)


def grant_officer_permissions(sender, using="default", **kwargs) -> None:
    """Performance officers keep the register, in Django admin too: give their group this app's permissions.

    Runs after every migrate (permissions exist only once ``post_migrate`` has created them); idempotent.
    """
    from django.contrib.auth.models import Group, Permission

    from perfsite.roles import Role

    group = Group.objects.using(using).filter(name=Role.PERFORMANCE_OFFICER.value).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    group.permissions.add(*permissions)
