"""The clock of a mediation file: more time with both parties' consent, and no time counted while
an expert appraisal runs (鉴定期间不计入调解期限) — both on the shared deadline engine."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from governance import policies
from governance.exceptions import InvalidInput, TransitionNotAllowed
from governance.models import TimeUnit, User
from governance.services.deadlines import deadline_extend, deadline_resume, deadline_suspend
from mediation import deadlines, permissions
from mediation.choices import FileStatus
from mediation.models import MediationFile
from mediation.policies import EXTENSION_MAX_DAYS
from mediation.services.common import now_or
from mediation.services.files import lock_file


@transaction.atomic
def file_extend(
    *,
    actor: User | None,
    file: MediationFile,
    days: int,
    applicant_consents: bool,
    respondent_consents: bool,
    reason: str,
    at: datetime | None = None,
) -> MediationFile:
    """Extend the time to mediate — only with both parties' consent, and not a labour mediation
    (after 15 days the parties may go to arbitration)."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    if file.status != FileStatus.MEDIATING or file.deadline_id is None:
        raise TransitionNotAllowed(_("调解中的卷宗才能延期"))
    if file.deadline.kind not in deadlines.EXTENDABLE:
        raise TransitionNotAllowed(_("劳动争议调解期限依法不能延长，期满未达成协议的当事人可以申请仲裁"))
    if not (applicant_consents and respondent_consents):
        raise InvalidInput(_("延长调解期限须经双方当事人同意"), field="applicant_consents")
    cap = policies.policy_value(EXTENSION_MAX_DAYS.key, file.case.center)
    if not isinstance(days, int) or days < 1 or days > cap:
        raise InvalidInput(_("延期天数须在1至%(cap)s之间") % {"cap": cap}, field="days")
    if not reason.strip():
        raise InvalidInput(_("请填写延期理由"), field="reason")
    unit = TimeUnit(file.deadline.unit).label
    deadline_extend(
        deadline=file.deadline,
        amount=days,
        reason=_("经双方当事人同意延长%(days)s%(unit)s：%(reason)s") % {"days": days, "unit": unit, "reason": reason},
        approver=actor,
        actor=actor,
        at=now_or(at),
    )
    file.deadline.refresh_from_db()
    return file


@transaction.atomic
def file_appraisal_start(
    *, actor: User | None, file: MediationFile, reason: str, at: datetime | None = None
) -> MediationFile:
    """Stop the clock while an expert appraisal runs (鉴定期间不计入调解期限)."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    if file.status != FileStatus.MEDIATING or file.deadline_id is None:
        raise TransitionNotAllowed(_("调解中的卷宗才能委托鉴定"))
    if file.deadline.kind not in deadlines.SUSPENDABLE:
        raise TransitionNotAllowed(_("劳动争议调解期限不因鉴定中止"))
    deadline_suspend(
        deadline=file.deadline,
        reason=_("委托鉴定，鉴定期间不计入调解期限：%(reason)s") % {"reason": reason},
        actor=actor,
        at=now_or(at),
    )
    file.deadline.refresh_from_db()
    return file


@transaction.atomic
def file_appraisal_end(
    *, actor: User | None, file: MediationFile, note: str = "", at: datetime | None = None
) -> MediationFile:
    """The appraisal is back: the clock runs again with the time that was left."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    if file.status != FileStatus.MEDIATING or file.deadline_id is None or file.deadline.due_at is not None:
        raise TransitionNotAllowed(_("该卷宗没有进行中的鉴定"))
    deadline_resume(deadline=file.deadline, actor=actor, reason=note or _("鉴定结束，恢复计时"), at=now_or(at))
    file.deadline.refresh_from_db()
    return file
