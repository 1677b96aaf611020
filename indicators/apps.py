from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from indicators.figures_version import move_after_migrating

        post_migrate.connect(move_after_migrating, sender=self, dispatch_uid="indicators.figures_version")

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
            links.append(
                NavLink(
                    "Performance actions",
                    reverse("indicators:action_list"),
                    "What is being done about red indicators: owners, due dates and progress.",
                )
            )
        return links

    def upload_links(self, user) -> list:
        """This app's import pages, for the other apps' Imports pages (perfsite.imports.pages)."""
        from django.urls import reverse

        from perfsite.navigation import NavLink
        from perfsite.roles import is_performance_officer

        if not is_performance_officer(user):
            return []
        return [NavLink("Import indicators, values and DfE statistics", reverse("indicators:imports"))]

    def load_demo(self, *, stdout) -> None:
        from indicators.demo import load_demo

        load_demo(stdout=stdout)
