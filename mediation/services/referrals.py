"""Court docking (诉调对接): a court refers a suit to the center's pre-litigation mediation, or to
its fast-track tribunal (速裁). The referral arrives as a case on the ledger (channel court
referral, service line court docking); the mediator's signing opens its mediation file and
starts the 30 days; the file's outcome decides the referral's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseStatus, Category, Center, Channel, RiskLevel, ServiceLine, User
from governance.services.cases import case_register
from governance.services.deadlines import deadline_open
from governance.services.persons import PartyInput
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.choices import (
    ConsentForm,
    FileStatus,
    MediationKind,
    ReferralKind,
    ReferralResult,
    ReferralStatus,
    Side,
)
from mediation.models import REFERRAL_TRANSITIONS, Committee, Consent, CourtReferral, MediationFile, Mediator
from mediation.services import stats
from mediation.services.common import LITIGATION, RESOLVED, WITHDRAWN, case_conclude, move, now_or


def _lock(referral: CourtReferral) -> CourtReferral:
    return (
        CourtReferral.objects.select_for_update(of=("self",))
        .select_related("case", "case__center", "case__category", "committee", "file")
        .get(pk=referral.pk)
    )


def _move(referral: CourtReferral, status: str, **values) -> None:
    move(referral, REFERRAL_TRANSITIONS[referral.kind], status, ReferralStatus, **values)


def _require_allowed(referral: CourtReferral, status: str) -> None:
    """Refuse early (before other checks) what the table refuses."""
    if status not in REFERRAL_TRANSITIONS[referral.kind].get(referral.status, frozenset()):
        raise TransitionNotAllowed(
            _("当前为“%(status)s”，不能改为“%(new)s”")
            % {"status": ReferralStatus(referral.status).label, "new": ReferralStatus(status).label}
        )


@transaction.atomic
def referral_register(
    *,
    actor: User | None,
    center: Center,
    kind: str,
    court: str,
    court_ref: str,
    category: Category,
    summary: str,
    parties: Sequence[PartyInput],
    committee: Committee | None = None,
    parties_consented: bool = False,
    referred_at: datetime | None = None,
    risk_level: str = RiskLevel.BLUE,
    note: str = "",
    at: datetime | None = None,
) -> CourtReferral:
    """Register a court's referral as a case on the ledger. Pre-litigation mediation needs the
    parties' consent (obtained by the court) and a committee or studio to take it."""
    roles.require(actor, permissions.REGISTER_REFERRAL)
    at = now_or(at)
    if kind not in ReferralKind.values:
        raise InvalidInput(_("无效的委派类型"), field="kind")
    if not court.strip():
        raise InvalidInput(_("请填写委派法院"), field="court")
    if not court_ref.strip():
        raise InvalidInput(_("请填写法院编号"), field="court_ref")
    if kind == ReferralKind.PRE_LITIGATION:
        if not parties_consented:
            raise InvalidInput(_("诉前委派调解须经当事人同意"), field="parties_consented")
        if committee is None:
            raise InvalidInput(_("请指定承接的调解组织"), field="committee")
    if committee is not None:
        if not committee.is_active:
            raise InvalidInput(_("该调解组织已停用"), field="committee")
        if committee.center.path[: Center.steplen] != center.path[: Center.steplen]:
            raise InvalidInput(_("调解组织不在本县(市、区)"), field="committee")
    case = case_register(
        actor=actor,
        center=center,
        channel=Channel.COURT_REFERRAL,
        service_line=ServiceLine.COURT_DOCKING,
        category=category,
        risk_level=risk_level,
        summary=summary,
        parties=parties,
        external_ref=court_ref,
        registered_at=at,
    )
    referral = CourtReferral.objects.create(
        case=case,
        case_center_id=case.center_id,
        case_registered_on=case.registered_on,
        kind=kind,
        court=court,
        court_ref=court_ref,
        committee=committee,
        referred_at=referred_at or at,
        parties_consented=parties_consented,
        note=note,
        registered_by=actor,
    )
    event_record(
        case=case,
        kind="referral_registered",
        actor=actor,
        at=at,
        message=_("%(court)s委派%(kind)s（%(ref)s）%(to)s")
        % {
            "court": court,
            "kind": ReferralKind(kind).label,
            "ref": court_ref,
            "to": _("至%(committee)s") % {"committee": committee.name} if committee else "",
        },
        data={"referral": referral.pk},
    )
    stats.referral_counted(referral)
    return referral


@transaction.atomic
def referral_sign(
    *, actor: User | None, referral: CourtReferral, mediator: Mediator | None = None, at: datetime | None = None
) -> MediationFile:
    """A mediator of the committee signs for the referral (签收): its mediation file opens with
    the parties' consent as recorded by the court, and the 30 days start now [law]."""
    referral = _lock(referral)
    if referral.kind != ReferralKind.PRE_LITIGATION:
        raise TransitionNotAllowed(_("速裁案件不经调解员签收"))
    _require_allowed(referral, ReferralStatus.SIGNED)
    permissions.require_act_for_committee(actor, referral.committee_id)
    at = now_or(at)
    own = permissions.mediator_of(actor)
    mediator = mediator or own
    if mediator is None:
        raise InvalidInput(_("请指定签收的调解员"), field="mediator")
    if not mediator.is_active or mediator.committee_id != referral.committee_id:
        raise InvalidInput(_("签收人须为承接调解组织的在岗调解员"), field="mediator")
    if own is not None and not permissions.is_center_staff(actor) and own.pk != mediator.pk and not own.is_chief:
        raise Forbidden(_("调解员只能由本人签收"))
    case = Case.objects.select_for_update().select_related("center").get(pk=referral.case_id)
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("案件已办结"))
    if MediationFile.objects.filter(case=case).exists():
        raise Conflict(_("该案件已有调解卷宗"))
    before = stats.referral_state(referral)
    _move(referral, ReferralStatus.SIGNED, signed_at=at, signed_by=mediator)
    file = MediationFile.objects.create(
        case=case,
        case_center_id=case.center_id,
        case_registered_on=case.registered_on,
        committee_id=referral.committee_id,
        mediator=mediator,
        kind=MediationKind.PRE_LITIGATION,
        status=FileStatus.MEDIATING,
        request=case.summary,
        applied_at=referral.referred_at,
        accepted_at=at,
        opened_by=actor,
    )
    Consent.objects.bulk_create(
        [
            Consent(file=file, side=side, agreed=True, form=ConsentForm.COURT, recorded_by=actor, recorded_at=at)
            for side in Side.values
        ]
    )
    file.deadline = deadline_open(
        kind=deadlines.PRE_LITIGATION,
        subject_id=file.pk,
        center=case.center,
        start=at,
        case=case,
        **deadlines.law_timer(deadlines.PRE_LITIGATION),
    )
    file.save(update_fields=["deadline"])
    CourtReferral.objects.filter(pk=referral.pk).update(file=file)
    referral.file = file
    event_record(
        case=case,
        kind="referral_signed",
        actor=actor,
        at=at,
        message=_("调解员%(mediator)s签收，诉前调解期限至 %(due)s")
        % {"mediator": mediator.name, "due": timezone.localtime(file.deadline.due_at).strftime("%Y-%m-%d %H:%M")},
        data={"referral": referral.pk, "file": file.pk},
    )
    stats.file_counted(file)
    stats.referral_counted(referral, before)
    return file


@transaction.atomic
def referral_return(
    *, actor: User | None, referral: CourtReferral, reason: str, at: datetime | None = None
) -> CourtReferral:
    """Send a referral back unsigned (a party no longer agrees, or it is unsuitable): the court
    files the case."""
    referral = _lock(referral)
    if referral.kind != ReferralKind.PRE_LITIGATION:
        raise TransitionNotAllowed(_("速裁案件以速裁结果结案"))
    permissions.require_act_for_committee(actor, referral.committee_id)
    if not reason.strip():
        raise InvalidInput(_("请填写退回原因"), field="reason")
    at = now_or(at)
    before = stats.referral_state(referral)
    _move(referral, ReferralStatus.RETURNED, result=ReferralResult.RETURNED, return_reason=reason, concluded_at=at)
    event_record(
        case=referral.case,
        kind="referral_returned",
        actor=actor,
        at=at,
        message=_("退回%(court)s立案：%(reason)s") % {"court": referral.court, "reason": reason},
        data={"referral": referral.pk},
    )
    case_conclude(case=referral.case, outcome=LITIGATION, note=_("未调解，退回法院立案"), actor=actor, at=at)
    stats.referral_counted(referral, before)
    return referral


def _require_referral_clerk(actor: User | None, referral: CourtReferral) -> None:
    if referral.file is not None and permissions.may_mediate(actor, referral.file):
        return
    permissions.require_act_for_committee(actor, referral.committee_id)


@transaction.atomic
def referral_record(
    *, actor: User | None, referral: CourtReferral, court_record: str, at: datetime | None = None
) -> CourtReferral:
    """The successful agreement is recorded with the court (调解书、司法确认或备案)."""
    referral = _lock(referral)
    _require_referral_clerk(actor, referral)
    if not court_record.strip():
        raise InvalidInput(_("请填写法院文书号"), field="court_record")
    at = now_or(at)
    before = stats.referral_state(referral)
    _move(referral, ReferralStatus.RECORDED, court_record=court_record, recorded_at=at)
    event_record(
        case=referral.case,
        kind="referral_recorded",
        actor=actor,
        at=at,
        message=_("调解协议已送%(court)s（%(record)s）") % {"court": referral.court, "record": court_record},
        data={"referral": referral.pk},
    )
    stats.referral_counted(referral, before)
    return referral


@transaction.atomic
def referral_file(
    *, actor: User | None, referral: CourtReferral, filing_number: str, at: datetime | None = None
) -> CourtReferral:
    """The court filed the case after the failed or returned referral (立案)."""
    referral = _lock(referral)
    _require_referral_clerk(actor, referral)
    if not filing_number.strip():
        raise InvalidInput(_("请填写立案案号"), field="filing_number")
    at = now_or(at)
    before = stats.referral_state(referral)
    _move(referral, ReferralStatus.FILED, filing_number=filing_number, filed_at=at)
    event_record(
        case=referral.case,
        kind="referral_filed",
        actor=actor,
        at=at,
        message=_("%(court)s已立案（%(number)s）") % {"court": referral.court, "number": filing_number},
        data={"referral": referral.pk},
    )
    stats.referral_counted(referral, before)
    return referral


FAST_TRACK_OUTCOMES = {
    ReferralResult.MEDIATED: RESOLVED,
    ReferralResult.JUDGED: RESOLVED,
    ReferralResult.WITHDRAWN: WITHDRAWN,
}


@transaction.atomic
def fast_track_conclude(
    *, actor: User | None, referral: CourtReferral, result: str, note: str = "", at: datetime | None = None
) -> CourtReferral:
    """Record the result of a fast-track (速裁) referral and close its case."""
    referral = _lock(referral)
    if not permissions.is_center_staff(actor):
        permissions.require_act_for_committee(actor, referral.committee_id)
    if referral.kind != ReferralKind.FAST_TRACK:
        raise TransitionNotAllowed(_("只有速裁案件以此方式结案"))
    if result not in FAST_TRACK_OUTCOMES:
        raise InvalidInput(_("无效的速裁结果"), field="result")
    at = now_or(at)
    before = stats.referral_state(referral)
    _move(referral, ReferralStatus.CONCLUDED, result=result, concluded_at=at, note=note or referral.note)
    label = ReferralResult(result).label
    event_record(
        case=referral.case,
        kind="fast_track_concluded",
        actor=actor,
        at=at,
        message=_("速裁%(result)s。%(note)s") % {"result": label, "note": note},
        data={"referral": referral.pk},
    )
    case_conclude(
        case=referral.case,
        outcome=FAST_TRACK_OUTCOMES[result],
        note=_("速裁%(result)s") % {"result": label},
        actor=actor,
        at=at,
    )
    stats.referral_counted(referral, before)
    return referral
