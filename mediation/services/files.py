"""Use cases of a mediation file: open it on a ledger case, record both parties' consent, accept,
record investigations and sessions, extend (with both parties' consent) or stop the clock during
expert appraisal, and end it — with an agreement, or with the routes left to the parties."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import registry, roles
from governance.exceptions import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseStatus, Center, ServiceLine, User
from governance.services.deadlines import (
    deadline_cancel,
    deadline_complete,
    deadline_open,
)
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.choices import (
    ConsentForm,
    FailureRoute,
    FileStatus,
    MediationKind,
    ReferralResult,
    ReferralStatus,
    SessionKind,
    Side,
)
from mediation.models import (
    FILE_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    Committee,
    Consent,
    CourtReferral,
    MediationFile,
    Mediator,
    Session,
)
from mediation.services import stats
from mediation.services.agreements import AgreementInput, agreement_create
from mediation.services.common import LITIGATION, RESOLVED, UNRESOLVED, WITHDRAWN, case_conclude, move, now_or

# Categories whose mediation has a time limit fixed by law (keys of governance.Category).
LAW_KIND_BY_CATEGORY = {"labour": deadlines.LABOUR, "medical": deadlines.MEDICAL}


def lock_file(file: MediationFile) -> MediationFile:
    return (
        MediationFile.objects.select_for_update(of=("self",))
        .select_related("case", "case__center", "case__category", "committee", "mediator", "deadline")
        .get(pk=file.pk)
    )


def _same_county(a: Center, b: Center) -> bool:
    return a.path[: Center.steplen] == b.path[: Center.steplen]


def _check_mediator(case: Case, committee: Committee, mediator: Mediator) -> None:
    if not committee.is_active:
        raise InvalidInput(_("该调解组织已停用"), field="committee")
    if not _same_county(committee.center, case.center):
        raise InvalidInput(_("调解组织不在本案受理中心所属的县(市、区)"), field="committee")
    if not mediator.is_active or mediator.committee_id != committee.pk:
        raise InvalidInput(_("调解员须为该调解组织的在岗调解员"), field="mediator")


def _timer_label(file: MediationFile) -> str:
    return str(registry.deadline_kind(file.deadline.kind).label) if file.deadline_id else ""


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@transaction.atomic
def file_open(
    *,
    actor: User | None,
    case: Case,
    committee: Committee,
    mediator: Mediator,
    kind: str = MediationKind.PEOPLE,
    request: str = "",
    at: datetime | None = None,
) -> MediationFile:
    """Open the mediation file of a case (申请调解) and give it to a committee and a mediator. The
    center's staff route any case; a mediator opens files for themselves (a chief mediator for
    anyone of their committee). A labour dispute's 15 days run from the application [law]."""
    roles.require(actor, permissions.OPEN_FILE)
    at = now_or(at)
    case = Case.objects.select_for_update().select_related("center", "category").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("案件已办结，不能再建立调解卷宗"))
    if case.service_line != ServiceLine.MEDIATION:
        raise InvalidInput(_("只有“矛盾纠纷调解”条线的案件可以建立调解卷宗；法院委派的案件在签收时建立"), field="case")
    if kind not in MediationKind.values or kind == MediationKind.PRE_LITIGATION:
        raise InvalidInput(_("诉前调解须由法院委派，请登记为法院委派"), field="kind")
    if MediationFile.objects.filter(case=case).exists():
        raise Conflict(_("该案件已有调解卷宗"))
    _check_mediator(case, committee, mediator)
    if not permissions.is_center_staff(actor) and not (actor is None or actor.is_superuser):
        own = permissions.mediator_of(actor)
        if own is None or not (own.pk == mediator.pk or (own.is_chief and own.committee_id == committee.pk)):
            raise Forbidden(_("调解员只能为自己建档（首席调解员可为本调委会调解员建档）"))
    file = MediationFile.objects.create(
        case=case,
        case_center_id=case.center_id,
        case_registered_on=case.registered_on,
        committee=committee,
        mediator=mediator,
        kind=kind,
        request=request or case.summary,
        applied_at=at,
        opened_by=actor,
    )
    if LAW_KIND_BY_CATEGORY.get(case.category.key) == deadlines.LABOUR:
        file.deadline = deadline_open(
            kind=deadlines.LABOUR,
            subject_id=file.pk,
            center=case.center,
            start=at,
            case=case,
            **deadlines.law_timer(deadlines.LABOUR),
        )
        file.save(update_fields=["deadline"])
    event_record(
        case=case,
        kind="mediation_file_opened",
        actor=actor,
        at=at,
        message=_("建立调解卷宗（%(kind)s）：%(committee)s，调解员%(mediator)s")
        % {"kind": MediationKind(kind).label, "committee": committee.name, "mediator": mediator.name},
        data={"file": file.pk},
    )
    stats.file_counted(file)
    return file


@transaction.atomic
def file_consent(
    *,
    actor: User | None,
    file: MediationFile,
    side: str,
    agreed: bool,
    form: str,
    note: str = "",
    at: datetime | None = None,
) -> Consent:
    """Record one side's consent to mediation, or their refusal (人民调解法第十七条)."""
    file = lock_file(file)
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    if file.status != FileStatus.APPLIED:
        raise TransitionNotAllowed(_("只能在受理前记录当事人的调解意愿"))
    if side not in Side.values:
        raise InvalidInput(_("无效的当事方"), field="side")
    if form not in (ConsentForm.WRITTEN, ConsentForm.ORAL):
        raise InvalidInput(_("请选择书面或口头（已记录）"), field="form")
    if Consent.objects.filter(file=file, side=side).exists():
        raise Conflict(_("该方当事人的调解意愿已记录"))
    consent = Consent.objects.create(
        file=file, side=side, agreed=agreed, form=form, note=note, recorded_by=actor, recorded_at=at
    )
    event_record(
        case=file.case,
        kind="mediation_consent",
        actor=actor,
        at=at,
        message=_("%(side)s%(answer)s调解（%(form)s）%(note)s")
        % {
            "side": Side(side).label,
            "answer": _("同意") if agreed else _("拒绝"),
            "form": ConsentForm(form).label,
            "note": note,
        },
        data={"file": file.pk},
    )
    return consent


@transaction.atomic
def file_accept(*, actor: User | None, file: MediationFile, at: datetime | None = None) -> MediationFile:
    """Accept the file for mediation (受理) once both sides have consented [law]; the time limit
    starts (30 days by default, medical 30 working days; labour's is already running)."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    at = now_or(at)
    if file.status == FileStatus.APPLIED:
        consents = dict(file.consents.values_list("side", "agreed"))
        if not (consents.get(Side.APPLICANT) and consents.get(Side.RESPONDENT)):
            raise TransitionNotAllowed(_("须双方当事人同意调解后方可受理（人民调解法第十七条）"))
    before = stats.file_state(file)
    move(file, FILE_TRANSITIONS, FileStatus.MEDIATING, FileStatus, accepted_at=at)
    case = file.case
    if file.deadline_id is None:
        kind = LAW_KIND_BY_CATEGORY.get(case.category.key, deadlines.PERIOD)
        timer = deadlines.law_timer(kind) if kind in deadlines.LAW else {}
        file.deadline = deadline_open(
            kind=kind,
            subject_id=file.pk,
            center=case.center,
            start=at,
            case=case,
            service_line=case.service_line,
            risk_level=case.risk_level,
            **timer,
        )
        MediationFile.objects.filter(pk=file.pk).update(deadline=file.deadline)
    event_record(
        case=case,
        kind="mediation_accepted",
        actor=actor,
        at=at,
        message=_("受理调解，%(timer)s至 %(due)s") % {"timer": _timer_label(file), "due": _fmt(file.deadline.due_at)},
        data={"file": file.pk},
    )
    stats.file_counted(file, before)
    return file


def _stop_timer(file: MediationFile, at: datetime, *, done: bool) -> None:
    if file.deadline_id is None:
        return
    if done:
        deadline_complete(deadline=file.deadline, at=at)
    else:
        deadline_cancel(deadline=file.deadline, at=at)


@transaction.atomic
def file_refuse(*, actor: User | None, file: MediationFile, reason: str, at: datetime | None = None) -> MediationFile:
    """Do not take the file (a side refused, or the matter is outside mediation). The case stays
    open for the center to route it elsewhere."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    if not reason.strip():
        raise InvalidInput(_("请填写不予受理的理由"), field="reason")
    at = now_or(at)
    before = stats.file_state(file)
    move(file, FILE_TRANSITIONS, FileStatus.REFUSED, FileStatus, concluded_at=at, end_note=reason)
    _stop_timer(file, at, done=False)
    event_record(
        case=file.case,
        kind="mediation_refused",
        actor=actor,
        at=at,
        message=_("不予受理调解：%(reason)s") % {"reason": reason},
        data={"file": file.pk},
    )
    stats.file_counted(file, before)
    return file


@transaction.atomic
def file_withdraw(*, actor: User | None, file: MediationFile, reason: str, at: datetime | None = None) -> MediationFile:
    """The applicant withdraws (撤回调解申请); the case is closed as withdrawn."""
    file = lock_file(file)
    permissions.require_mediate_or_staff(actor, file)
    if file.kind == MediationKind.PRE_LITIGATION:
        raise TransitionNotAllowed(_("诉前调解请以调解成功或调解不成（退回法院立案）结束"))
    if not reason.strip():
        raise InvalidInput(_("请填写撤回原因"), field="reason")
    at = now_or(at)
    before = stats.file_state(file)
    move(file, FILE_TRANSITIONS, FileStatus.WITHDRAWN, FileStatus, concluded_at=at, end_note=reason)
    _stop_timer(file, at, done=False)
    event_record(
        case=file.case,
        kind="mediation_withdrawn",
        actor=actor,
        at=at,
        message=_("当事人撤回调解申请：%(reason)s") % {"reason": reason},
        data={"file": file.pk},
    )
    case_conclude(case=file.case, outcome=WITHDRAWN, note=_("当事人撤回调解申请"), actor=actor, at=at)
    stats.file_counted(file, before)
    return file


@transaction.atomic
def session_add(
    *,
    actor: User | None,
    file: MediationFile,
    kind: str,
    held_at: datetime,
    record: str,
    place: str = "",
    attendees: str = "",
) -> Session:
    """Record an investigation (调查) or a mediation session (调解) with its record (笔录)."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    if file.status != FileStatus.MEDIATING:
        raise TransitionNotAllowed(_("受理后、结束前才能记录调查和调解"))
    if kind not in SessionKind.values:
        raise InvalidInput(_("无效的记录类型"), field="kind")
    if not record.strip():
        raise InvalidInput(_("请填写记录内容"), field="record")
    if held_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput(_("时间不能晚于现在"), field="held_at")
    if timezone.localdate(held_at) < timezone.localdate(file.applied_at):  # minutes are typed, not seconds
        raise InvalidInput(_("时间不能早于申请日期"), field="held_at")
    mediator = permissions.mediator_of(actor) or file.mediator
    session = Session.objects.create(
        file=file,
        kind=kind,
        held_at=held_at,
        place=place,
        attendees=attendees,
        record=record,
        mediator=mediator,
        recorded_by=actor,
    )
    event_record(
        case=file.case,
        kind="mediation_session",
        actor=actor,
        at=held_at,
        message=_("%(kind)s记录（%(place)s）：%(record)s")
        % {"kind": SessionKind(kind).label, "place": place or "—", "record": record[:200]},
        data={"file": file.pk, "session": session.pk},
    )
    return session


@transaction.atomic
def file_reassign(
    *, actor: User | None, file: MediationFile, mediator: Mediator, reason: str, at: datetime | None = None
) -> MediationFile:
    """Give an open file to another mediator of the same committee (center staff or its chief)."""
    file = lock_file(file)
    own = permissions.mediator_of(actor)
    chief = own is not None and own.is_chief and own.committee_id == file.committee_id
    if not (actor is None or actor.is_superuser or permissions.is_center_staff(actor) or chief):
        raise Forbidden()
    if not file.is_open:
        raise TransitionNotAllowed(_("调解已结束，不能更换调解员"))
    if mediator.pk == file.mediator_id:
        raise InvalidInput(_("已是该调解员"), field="mediator")
    _check_mediator(file.case, file.committee, mediator)
    if not reason.strip():
        raise InvalidInput(_("请填写更换原因"), field="reason")
    at = now_or(at)
    before, counted = file.mediator, stats.file_state(file)
    MediationFile.objects.filter(pk=file.pk).update(mediator=mediator)
    file.mediator = mediator
    event_record(
        case=file.case,
        kind="mediation_reassigned",
        actor=actor,
        at=at,
        message=_("调解员由%(before)s更换为%(after)s：%(reason)s")
        % {"before": before.name, "after": mediator.name, "reason": reason},
        data={"file": file.pk},
    )
    stats.file_counted(file, counted)  # off the former mediator's row, onto the new one's
    return file


def _referral_of(file: MediationFile) -> CourtReferral | None:
    return CourtReferral.objects.select_for_update().filter(file=file).first()


@transaction.atomic
def file_agree(
    *, actor: User | None, file: MediationFile, agreement: AgreementInput, at: datetime | None = None
) -> MediationFile:
    """Mediation succeeded: record the agreement (its parties, facts, responsibilities, terms,
    signatures, mediator, seal and date). The time limit is met, a court referral succeeds, and
    the case is closed as resolved."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    at = now_or(at)
    if file.status != FileStatus.MEDIATING:
        move(file, FILE_TRANSITIONS, FileStatus.AGREED, FileStatus)  # raises with the reason
    if file.deadline_id and file.deadline.due_at is None:
        raise TransitionNotAllowed(_("鉴定尚未结束，请先恢复计时"))
    before = stats.file_state(file)
    created = agreement_create(actor=actor, file=file, data=agreement, at=at)
    move(file, FILE_TRANSITIONS, FileStatus.AGREED, FileStatus, concluded_at=at)
    _stop_timer(file, at, done=True)
    referral = _referral_of(file)
    referral_before = stats.referral_state(referral) if referral is not None else None
    if referral is not None:
        move(
            referral,
            REFERRAL_TRANSITIONS[referral.kind],
            ReferralStatus.SUCCEEDED,
            ReferralStatus,
            result=ReferralResult.SUCCEEDED,
            concluded_at=at,
        )
    event_record(
        case=file.case,
        kind="mediation_agreed",
        actor=actor,
        at=at,
        message=_("调解成功，达成%(form)s，共%(terms)s条")
        % {"form": created.get_form_display(), "terms": len(agreement.terms)},
        data={"file": file.pk, "agreement": created.pk},
    )
    case_conclude(case=file.case, outcome=RESOLVED, note=_("调解成功，达成调解协议"), actor=actor, at=at)
    stats.file_counted(file, before)
    stats.agreement_counted(created)
    if referral is not None:
        stats.referral_counted(referral, referral_before, scope_ids=file.case.center.scope_ids)
    return file


@transaction.atomic
def file_fail(
    *,
    actor: User | None,
    file: MediationFile,
    reason: str,
    routes: Iterable[str],
    at: datetime | None = None,
) -> MediationFile:
    """Mediation failed: it is ended and the parties are told their other routes (arbitration,
    administrative, judicial — 人民调解法第二十六条). A court referral goes back to the court to be
    filed (立案); the case is closed as unresolved (or "to litigation" for a referral)."""
    file = lock_file(file)
    permissions.require_mediate(actor, file)
    at = now_or(at)
    routes = list(dict.fromkeys(routes))
    if file.kind == MediationKind.PRE_LITIGATION and FailureRoute.LITIGATION not in routes:
        routes.insert(0, FailureRoute.LITIGATION)  # the court must file the case
    if not routes:
        raise InvalidInput(_("调解不成的，须告知当事人可以通过的其他途径"), field="routes")
    if any(route not in FailureRoute.values for route in routes):
        raise InvalidInput(_("无效的途径"), field="routes")
    if not reason.strip():
        raise InvalidInput(_("请填写调解不成的原因"), field="reason")
    before = stats.file_state(file)
    move(file, FILE_TRANSITIONS, FileStatus.FAILED, FileStatus, concluded_at=at, failure_reason=reason, routes=routes)
    _stop_timer(file, at, done=True)
    referral = _referral_of(file)
    referral_before = stats.referral_state(referral) if referral is not None else None
    if referral is not None:
        move(
            referral,
            REFERRAL_TRANSITIONS[referral.kind],
            ReferralStatus.FAILED,
            ReferralStatus,
            result=ReferralResult.FAILED,
            concluded_at=at,
        )
    told = "、".join(file.route_labels)
    event_record(
        case=file.case,
        kind="mediation_failed",
        actor=actor,
        at=at,
        message=_("调解不成，终止调解：%(reason)s。已告知当事人可以%(routes)s") % {"reason": reason, "routes": told},
        data={"file": file.pk, "routes": routes},
    )
    outcome = LITIGATION if referral is not None else UNRESOLVED
    note = _("诉前调解不成，退回法院立案") if referral is not None else _("调解不成，已告知其他途径")
    case_conclude(case=file.case, outcome=outcome, note=note, actor=actor, at=at)
    stats.file_counted(file, before)
    if referral is not None:
        stats.referral_counted(referral, referral_before, scope_ids=file.case.center.scope_ids)
    return file
