"""Judicial confirmation (司法确认) of an agreement: the parties' joint application within 30 days of
the agreement taking effect, the court's acceptance (3 days) and its ruling (15 days, once +10)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import DeadlineState, User
from governance.services.deadlines import deadline_cancel, deadline_complete, deadline_extend, deadline_open
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.choices import AgreementForm, ConfirmationStatus, FileStatus
from mediation.models import CONFIRMATION_TRANSITIONS, Agreement, JudicialConfirmation
from mediation.services import stats
from mediation.services.agreements import lock_agreement, open_window
from mediation.services.common import move, now_or


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def _lock_confirmation(confirmation: JudicialConfirmation) -> JudicialConfirmation:
    return (
        JudicialConfirmation.objects.select_for_update(of=("self",))
        .select_related(
            "agreement",
            "agreement__file",
            "agreement__file__case",
            "agreement__file__case__center",
            "acceptance_deadline",
            "ruling_deadline",
        )
        .get(pk=confirmation.pk)
    )


@transaction.atomic
def confirmation_apply(
    *, actor: User | None, agreement: Agreement, court: str, joint: bool, at: datetime | None = None
) -> JudicialConfirmation:
    """The parties jointly apply to a court to confirm the agreement, within 30 days of its taking
    effect (人民调解法第三十三条). The window is a timer on the engine: opened when the agreement
    took effect if the parties said they would apply, or now from that same start."""
    agreement = lock_agreement(agreement)
    file = agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    if file.status != FileStatus.AGREED:
        raise TransitionNotAllowed(_("调解成功后才能申请司法确认"))
    if not joint:
        raise InvalidInput(_("司法确认须由双方当事人共同申请（人民调解法第三十三条）"), field="joint")
    if agreement.form != AgreementForm.WRITTEN:
        raise InvalidInput(_("口头协议不能申请司法确认，请先制作书面调解协议书"), field="agreement")
    if not court.strip():
        raise InvalidInput(_("请填写受理法院"), field="court")
    if JudicialConfirmation.objects.filter(agreement=agreement).exists():
        raise Conflict(_("该协议已申请司法确认"))
    window = agreement.window_deadline
    if window is None:
        window = open_window(agreement, file.case)
        Agreement.objects.filter(pk=agreement.pk).update(window_deadline=window)
    if window.state != DeadlineState.OPEN or (window.due_at is not None and at > window.due_at):
        raise TransitionNotAllowed(
            _("已超过调解协议生效后30日的申请期限（%(due)s 届满）")
            % {"due": timezone.localtime(window.due_at).strftime("%Y-%m-%d %H:%M") if window.due_at else ""}
        )
    deadline_complete(deadline=window, at=at)
    confirmation = JudicialConfirmation.objects.create(agreement=agreement, court=court, applied_at=at)
    confirmation.acceptance_deadline = deadline_open(
        kind=deadlines.CONFIRMATION_ACCEPTANCE,
        subject_id=confirmation.pk,
        center=file.case.center,
        start=at,
        case=file.case,
        **deadlines.law_timer(deadlines.CONFIRMATION_ACCEPTANCE),
    )
    confirmation.save(update_fields=["acceptance_deadline"])
    event_record(
        case=file.case,
        kind="confirmation_applied",
        actor=actor,
        at=at,
        message=_("双方当事人共同向%(court)s申请司法确认") % {"court": court},
        data={"confirmation": confirmation.pk},
    )
    stats.confirmation_counted(confirmation)
    return confirmation


@transaction.atomic
def confirmation_accept(
    *, actor: User | None, confirmation: JudicialConfirmation, court_case_number: str = "", at: datetime | None = None
) -> JudicialConfirmation:
    """The court accepted the application; it rules within 15 days."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    before = stats.confirmation_state(confirmation)
    move(
        confirmation,
        CONFIRMATION_TRANSITIONS,
        ConfirmationStatus.ACCEPTED,
        ConfirmationStatus,
        accepted_at=at,
        court_case_number=court_case_number,
    )
    if confirmation.acceptance_deadline_id:
        deadline_complete(deadline=confirmation.acceptance_deadline, at=at)
    confirmation.ruling_deadline = deadline_open(
        kind=deadlines.CONFIRMATION_RULING,
        subject_id=confirmation.pk,
        center=file.case.center,
        start=at,
        case=file.case,
        **deadlines.law_timer(deadlines.CONFIRMATION_RULING),
    )
    JudicialConfirmation.objects.filter(pk=confirmation.pk).update(ruling_deadline=confirmation.ruling_deadline)
    event_record(
        case=file.case,
        kind="confirmation_accepted",
        actor=actor,
        at=at,
        message=_("%(court)s受理司法确认申请%(number)s，应于 %(due)s 前裁定")
        % {
            "court": confirmation.court,
            "number": f"（{court_case_number}）" if court_case_number else "",
            "due": _fmt(confirmation.ruling_deadline.due_at),
        },
        data={"confirmation": confirmation.pk},
    )
    stats.confirmation_counted(confirmation, before)
    return confirmation


@transaction.atomic
def confirmation_not_accept(
    *, actor: User | None, confirmation: JudicialConfirmation, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    if not reason.strip():
        raise InvalidInput(_("请填写法院不予受理的理由"), field="reason")
    at = now_or(at)
    before = stats.confirmation_state(confirmation)
    move(confirmation, CONFIRMATION_TRANSITIONS, ConfirmationStatus.NOT_ACCEPTED, ConfirmationStatus, note=reason)
    if confirmation.acceptance_deadline_id:
        deadline_complete(deadline=confirmation.acceptance_deadline, at=at)
    event_record(
        case=file.case,
        kind="confirmation_not_accepted",
        actor=actor,
        at=at,
        message=_("法院不予受理司法确认申请：%(reason)s") % {"reason": reason},
        data={"confirmation": confirmation.pk},
    )
    stats.confirmation_counted(confirmation, before)
    return confirmation


@transaction.atomic
def confirmation_ruling_extend(
    *, actor: User | None, confirmation: JudicialConfirmation, days: int, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    """The court president approved more time to rule: once, at most 10 days."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    deadline = confirmation.ruling_deadline
    if confirmation.status != ConfirmationStatus.ACCEPTED or deadline is None:
        raise TransitionNotAllowed(_("法院受理后、裁定前才能延长裁定期限"))
    cap = deadlines.EXTENSION_CAPS[deadlines.CONFIRMATION_RULING]
    if deadline.extensions >= 1:
        raise TransitionNotAllowed(_("司法确认裁定期限只能延长一次"))
    if days < 1 or days > cap:
        raise InvalidInput(_("延长天数须在1至%(cap)s之间") % {"cap": cap}, field="days")
    deadline_extend(
        deadline=deadline,
        amount=days,
        reason=_("经院长批准延长%(days)s日：%(reason)s") % {"days": days, "reason": reason},
        approver=None,
        actor=actor,
        at=now_or(at),
    )
    return confirmation


@transaction.atomic
def confirmation_rule(
    *,
    actor: User | None,
    confirmation: JudicialConfirmation,
    confirmed: bool,
    note: str = "",
    at: datetime | None = None,
) -> JudicialConfirmation:
    """The court's ruling: the agreement is confirmed (enforceable), or the application refused
    (the parties may then change the agreement through mediation, or sue)."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.REFUSED
    before = stats.confirmation_state(confirmation)
    move(confirmation, CONFIRMATION_TRANSITIONS, status, ConfirmationStatus, ruled_at=at, note=note)
    if confirmation.ruling_deadline_id:
        deadline_complete(deadline=confirmation.ruling_deadline, at=at)
    if confirmed:
        message = _("法院裁定调解协议有效，一方拒绝履行的，对方可以申请强制执行。%(note)s")
    else:
        message = _("法院裁定驳回申请：当事人可以通过调解变更原协议或达成新协议，也可以向人民法院提起诉讼。%(note)s")
    event_record(
        case=file.case,
        kind="confirmation_ruled",
        actor=actor,
        at=at,
        message=message % {"note": note},
        data={"confirmation": confirmation.pk},
    )
    stats.confirmation_counted(confirmation, before)
    return confirmation


@transaction.atomic
def confirmation_withdraw(
    *, actor: User | None, confirmation: JudicialConfirmation, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    if not reason.strip():
        raise InvalidInput(_("请填写撤回原因"), field="reason")
    at = now_or(at)
    before = stats.confirmation_state(confirmation)
    move(confirmation, CONFIRMATION_TRANSITIONS, ConfirmationStatus.WITHDRAWN, ConfirmationStatus, note=reason)
    for deadline in (confirmation.acceptance_deadline, confirmation.ruling_deadline):
        if deadline is not None:
            deadline_cancel(deadline=deadline, at=at)
    event_record(
        case=file.case,
        kind="confirmation_withdrawn",
        actor=actor,
        at=at,
        message=_("当事人撤回司法确认申请：%(reason)s") % {"reason": reason},
        data={"confirmation": confirmation.pk},
    )
    stats.confirmation_counted(confirmation, before)
    return confirmation
