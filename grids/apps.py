from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格化管理")

    def ready(self):
        from governance import registry
        from grids import demo, policies  # noqa: F401  (policies declare on import)
        from grids.links import grid_links
        from grids.selectors import figures
        from grids.selectors.scoping import grid_case_scope
        from grids.services import deadlines, events
        from grids.services.stats import grid_stats_rebuild

        registry.register_case_links(grid_links)

        deadlines.register_deadline_kinds()
        registry.register_event_kinds(
            {
                "grid_assigned": _("派至网格"),
                "grid_closed_on_site": _("网格现场办结"),
                "grid_escalated": _("网格事件提级"),
                "grid_fed_back": _("网格反馈"),
            }
        )
        registry.register_case_scope(grid_case_scope)
        registry.register_case_closed(events.grid_event_case_closed)
        registry.register_stats_rebuilder(grid_stats_rebuild)
        registry.register_dashboard_section(
            registry.DashboardSection(
                key="grids",
                label=_("网格化管理"),
                compute=figures.grid_dashboard_section,
                template="grids/_dashboard_section.html",
            )
        )
        registry.register_demo_structure(demo.seed_structure)
        registry.register_demo_history(demo.generate_history)
        self._register_nav()

    def _register_nav(self):
        from governance.models import Role
        from governance.views.nav import NavItem, register_nav_item

        register_nav_item(
            NavItem(
                key="grids",
                label=_("网格工作台"),
                url_name="grids:home",
                roles=frozenset({Role.GRID_WORKER, Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER}),
                order=70,
                also_current=("grids:",),
            )
        )
