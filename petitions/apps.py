from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("群众来访接待(信访)")

    def ready(self):
        from governance import registry
        from petitions import demo, selectors
        from petitions.guards import petition_procedure_guard
        from petitions.links import petition_links
        from petitions.services import deadlines, procedure
        from petitions.services.registration import petition_adopt
        from petitions.services.stats import petition_stats_rebuild

        deadlines.register_deadline_kinds()
        registry.register_event_kinds(
            {
                "petition_registered": _("信访登记"),
                "petition_forwarded": _("转送"),
                "petition_assigned": _("交办"),
                "petition_refused": _("不予受理"),
                "petition_extended": _("延长办理期限"),
                "petition_replied": _("书面答复"),
                "petition_review_requested": _("请求复查"),
                "petition_reviewed": _("复查意见"),
                "petition_re_review_requested": _("请求复核"),
                "petition_re_reviewed": _("复核意见"),
                "petition_finalized": _("信访终结"),
                "petition_rated": _("信访人评价"),
                "petition_linked": _("关联信访"),
                "petition_code_reissued": _("重发查询码"),
                "petition_backlog": _("信访积案"),
                "petition_backlog_resolved": _("积案化解"),
                "petition_warned": _("信访临期提醒"),
                "petition_overdue": _("信访超期督办"),
            }
        )
        registry.register_case_exclusion(selectors.accused_cases_rule)
        registry.register_case_guard(petition_procedure_guard)
        registry.register_case_links(petition_links)
        registry.register_case_registered(petition_adopt)
        procedure.register_dispatch_check()
        registry.register_stats_rebuilder(petition_stats_rebuild)
        registry.register_dashboard_section(
            registry.DashboardSection(
                key="petitions",
                label=_("群众来访接待(信访)"),
                compute=selectors.petition_figures,
                template="petitions/_dashboard_section.html",
            )
        )
        from governance.models import Role
        from governance.views.nav import NavItem, register_nav_item

        register_nav_item(
            NavItem(
                key="petitions",
                label=_("信访接待"),
                url_name="petitions:list",
                roles=frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER}),
                order=55,
                also_current=("petitions:",),
            )
        )
        registry.register_demo_structure(demo.seed_structure)
        registry.register_demo_history(demo.generate_history)
