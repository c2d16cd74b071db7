from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("一站式接待")

    def ready(self):
        from governance import registry
        from intake import selectors, services

        registry.register_dashboard_section(
            registry.DashboardSection(
                key="visits", label=_("来访接待"), compute=selectors.visit_figures, top_level=True
            )
        )
        registry.register_stats_rebuilder(services.visit_stats_rebuild)
