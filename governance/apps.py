from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("综治中心")

    def ready(self):
        from governance import registry
        from governance.services.dispatch import register_deadline_kinds

        register_deadline_kinds()
        registry.register_event_kinds(
            {
                "registered": _("登记受理"),
                "dispatched": _("派单"),
                "accepted": pgettext_lazy("status", "签收"),
                "rejected": _("退回"),
                "fed_back": _("反馈"),
                "warned": _("临期提醒"),
                "escalated": _("超时督办"),
                "closed": _("办结"),
                "followed_up": _("回访"),
                "deadline_extended": _("延期"),
                "deadline_suspended": _("中止计时"),
                "deadline_resumed": _("恢复计时"),
                "note": _("备注"),
            }
        )
