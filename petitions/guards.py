"""A petition is dispatched and closed through its procedure (forward / assign / reply / refuse),
never around it from the case page or the core API: that would leave the petition without its
decision, its handling timer and its written reply."""

from django.utils.translation import gettext as _

from governance.exceptions import TransitionNotAllowed
from governance.models import Case, ServiceLine
from petitions.models import Petition
from petitions.origin import ORIGIN


def petition_procedure_guard(case: Case, action: str, origin: str) -> None:
    if origin == ORIGIN or case.service_line != ServiceLine.PETITION:
        return
    if Petition.objects.filter(case=case).exists():
        message = {
            "dispatch": _("信访事项须按信访程序转送或交办，请在信访页面办理"),
            "close": _("信访事项须按信访程序书面答复或不予受理后办结，请在信访页面办理"),
        }.get(action, _("信访事项须按信访程序办理，请在信访页面办理"))
        raise TransitionNotAllowed(message)
