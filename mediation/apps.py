from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("矛盾纠纷调解")

    def ready(self):
        from governance import registry
        from mediation import deadlines, permissions, policies  # noqa: F401  (policies declare on import)
        from mediation.demo import history, structure
        from mediation.selectors import stats
        from mediation.services.stats import mediation_stats_rebuild

        deadlines.register_deadline_kinds()
        registry.register_stats_rebuilder(mediation_stats_rebuild)
        from mediation.links import mediation_links

        registry.register_case_links(mediation_links)
        registry.register_event_kinds(EVENT_KINDS)
        registry.register_case_scope(permissions.mediator_case_scope)
        registry.register_dashboard_section(
            registry.DashboardSection(
                key="mediation",
                label=_("矛盾纠纷调解与诉调对接"),
                compute=stats.dashboard_mediation,
                template="mediation/_dashboard_section.html",
            )
        )
        registry.register_dashboard_section(
            registry.DashboardSection(
                key="legal_services",
                label=_("公共法律服务"),
                compute=stats.dashboard_legal,
                template="mediation/_dashboard_legal_section.html",
            )
        )
        registry.register_demo_structure(structure.seed)
        registry.register_demo_history(history.generate)
        self.register_pages()

    def register_pages(self):
        from governance import roles
        from governance.models import Role
        from governance.views.nav import NavItem, register_nav_item
        from mediation import permissions

        register_nav_item(
            NavItem(
                key="mediation",
                label=_("调解工作台"),
                url_name="mediation:home",
                roles=frozenset({Role.MEDIATOR}) | roles.CENTER_WIDE,
                order=45,
                also_current=("mediation:",),
            )
        )
        register_nav_item(
            NavItem(
                key="mediation-referrals",
                label=_("诉调对接"),
                url_name="mediation:referrals",
                roles=permissions.REGISTER_REFERRAL | {Role.LEADER},
                order=46,
            )
        )
        register_nav_item(
            NavItem(
                key="mediation-legal",
                label=_("公共法律服务"),
                url_name="mediation:legal",
                roles=roles.CENTER_WIDE,
                order=47,
            )
        )


EVENT_KINDS = {
    "mediation_file_opened": _("建立调解卷宗"),
    "mediation_consent": _("调解意愿"),
    "mediation_accepted": _("受理调解"),
    "mediation_refused": _("不予受理调解"),
    "mediation_withdrawn": _("撤回调解"),
    "mediation_session": _("调查/调解记录"),
    "mediation_reassigned": _("更换调解员"),
    "mediation_agreed": _("调解成功"),
    "mediation_failed": _("调解不成"),
    "agreement_term": _("协议履行"),
    "agreement_checked": _("履行回访"),
    "confirmation_applied": _("申请司法确认"),
    "confirmation_accepted": _("法院受理司法确认"),
    "confirmation_not_accepted": _("法院不予受理司法确认"),
    "confirmation_ruled": _("司法确认裁定"),
    "confirmation_withdrawn": _("撤回司法确认申请"),
    "referral_registered": _("法院委派"),
    "referral_signed": _("签收委派"),
    "referral_returned": _("退回法院"),
    "referral_recorded": _("协议送法院"),
    "referral_filed": _("法院立案"),
    "fast_track_concluded": _("速裁结案"),
    "legal_opened": _("法律服务受理登记"),
    "legal_accepted": _("法律服务受理"),
    "legal_refused": _("法律服务不予受理"),
    "legal_concluded": _("法律服务办结"),
    "legal_withdrawn": _("法律服务撤回"),
}
