"""The timers of mediation, court docking and legal services, declared once on the core's deadline
engine. Lengths fixed by law are passed explicitly when a timer is opened (so no local policy can
change them); the default time to mediate comes from the SLA policies (default 30 days)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import registry
from governance.models import CaseEvent, Deadline, Notification, TimeUnit, User
from governance.services.notifications import notifications_build
from governance.services.timeline import events_record

PERIOD = "mediation.period"
LABOUR = "mediation.labour"
MEDICAL = "mediation.medical"
PRE_LITIGATION = "mediation.pre_litigation"
TERM = "mediation.term"
CONFIRMATION_WINDOW = "mediation.confirmation_window"
CONFIRMATION_ACCEPTANCE = "mediation.confirmation_acceptance"
CONFIRMATION_RULING = "mediation.confirmation_ruling"
LEGAL_AID_REVIEW = "legal.aid_review"
NOTARISATION = "legal.notarisation"
ARBITRATION_ACCEPTANCE = "legal.arbitration_acceptance"
ARBITRATION_AWARD = "legal.arbitration_award"

# (unit, amount) fixed by law; PERIOD is a local policy (SLA policies, default 30 days).
LAW: dict[str, tuple[str, int]] = {
    LABOUR: (TimeUnit.CALENDAR_DAYS, 15),
    MEDICAL: (TimeUnit.WORKING_DAYS, 30),
    PRE_LITIGATION: (TimeUnit.CALENDAR_DAYS, 30),
    CONFIRMATION_WINDOW: (TimeUnit.CALENDAR_DAYS, 30),
    CONFIRMATION_ACCEPTANCE: (TimeUnit.CALENDAR_DAYS, 3),
    CONFIRMATION_RULING: (TimeUnit.CALENDAR_DAYS, 15),
    LEGAL_AID_REVIEW: (TimeUnit.CALENDAR_DAYS, 7),
    NOTARISATION: (TimeUnit.WORKING_DAYS, 15),
    ARBITRATION_ACCEPTANCE: (TimeUnit.CALENDAR_DAYS, 5),
    ARBITRATION_AWARD: (TimeUnit.CALENDAR_DAYS, 45),
}
# The mediation timers of a file (one per file).
FILE_KINDS = (PERIOD, LABOUR, MEDICAL, PRE_LITIGATION)
# Extension with both parties' consent: pre-litigation [law], medical (the regulation lets the
# committee and both sides agree to extend) and the local default period. Labour is not: after 15
# days without agreement the parties may go to arbitration.
EXTENDABLE = frozenset({PERIOD, PRE_LITIGATION, MEDICAL})
# Expert appraisal time is not counted: pre-litigation [law], medical [law], and the local period.
SUSPENDABLE = frozenset({PERIOD, MEDICAL, PRE_LITIGATION})
# The court's ruling on a confirmation may be extended once by at most 10 days (court president's
# approval); an arbitration award once by at most 15 days (the commission director's approval).
EXTENSION_CAPS = {CONFIRMATION_RULING: 10, ARBITRATION_AWARD: 15}


def law_timer(kind: str) -> dict:
    unit, amount = LAW[kind]
    return {"unit": unit, "amount": amount}


def _recipients(case_ids: set[int]) -> dict[int, list[User]]:
    """Who hears about a case's mediation or legal-service timer: the file's mediator (if they use
    the system) or the legal-service handler."""
    from mediation.models import LegalService, MediationFile

    by_case: dict[int, set[int]] = defaultdict(set)
    for case_id, user_id in MediationFile.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "mediator__user_id"
    ):
        if user_id:
            by_case[case_id].add(user_id)
    for case_id, user_id in LegalService.objects.filter(case_id__in=case_ids).values_list("case_id", "handled_by_id"):
        if user_id:
            by_case[case_id].add(user_id)
    users = User.objects.in_bulk({u for ids in by_case.values() for u in ids})
    return {case_id: [users[u] for u in ids if u in users] for case_id, ids in by_case.items()}


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _handler(event_kind: str, message: Callable[[Deadline], str]) -> Callable[[list[Deadline], datetime], None]:
    """A sweep handler: one timeline event per timer and one notification per recipient, in bulk,
    inside the sweep's transaction."""

    def handle(deadlines: list[Deadline], now: datetime) -> None:
        recipients = _recipients({d.case_id for d in deadlines if d.case_id})
        events, notes = [], []
        for deadline in deadlines:
            if not deadline.case_id:
                continue
            text = message(deadline)
            events.append(
                CaseEvent(
                    case_id=deadline.case_id,
                    kind=event_kind,
                    at=now,
                    message=text[:500],
                    data={"deadline": deadline.pk, "deadline_kind": deadline.kind},
                )
            )
            notes += notifications_build(
                recipients=recipients.get(deadline.case_id, []),
                kind=event_kind,
                title=text,
                case=deadline.case,
                link=f"/mediation/cases/{deadline.case_id}/",
                at=now,
            )
        events_record(events)
        Notification.objects.bulk_create(notes)

    return handle


def _warn(deadline: Deadline) -> str:
    return _("临期提醒：%(kind)s将于 %(due)s 到期（%(number)s）") % {
        "kind": registry.deadline_kind(deadline.kind).label,
        "due": _fmt(deadline.due_at),
        "number": deadline.case.number if deadline.case else "",
    }


BREACH_MESSAGES = {
    PERIOD: gettext_lazy("调解期限已届满，请结束调解，或经双方当事人同意后延期"),
    LABOUR: gettext_lazy("劳动争议调解已满15日未达成协议，当事人可以依法申请劳动仲裁"),
    MEDICAL: gettext_lazy("医疗纠纷调解已超过30个工作日，未约定延期的视为调解不成，请终止调解并告知当事人其他途径"),
    PRE_LITIGATION: gettext_lazy("诉前调解期限已届满，未经双方当事人同意延期的，应终止调解并退回法院立案"),
    TERM: gettext_lazy("调解协议条款履行期限已到，请回访核实履行情况"),
    CONFIRMATION_WINDOW: gettext_lazy("调解协议生效已满30日，司法确认申请期限届满"),
    CONFIRMATION_ACCEPTANCE: gettext_lazy("法院逾3日未决定是否受理司法确认申请，请跟进"),
    CONFIRMATION_RULING: gettext_lazy("法院逾期未作出司法确认裁定，请跟进"),
    LEGAL_AID_REVIEW: gettext_lazy("法律援助申请逾7日未作出是否给予援助的决定"),
    NOTARISATION: gettext_lazy("公证事项逾15个工作日未出具公证书"),
    ARBITRATION_ACCEPTANCE: gettext_lazy("仲裁委逾5日未决定是否受理，申请人可以就该劳动争议向人民法院提起诉讼"),
    ARBITRATION_AWARD: gettext_lazy("仲裁庭逾期未作出裁决，当事人可以就该劳动争议向人民法院提起诉讼"),
}


def _breach(deadline: Deadline) -> str:
    return _("超时督办：%(message)s（%(number)s，时限 %(due)s）") % {
        "message": BREACH_MESSAGES[deadline.kind],
        "number": deadline.case.number if deadline.case else "",
        "due": _fmt(deadline.due_at),
    }


def _window_lapsed(deadlines: list[Deadline], now: datetime) -> None:
    """A lapsed application window is not work anyone still owes: it is marked done so that it
    does not stay on the open-overdue lists."""
    _handler("escalated", _breach)(deadlines, now)
    Deadline.objects.filter(pk__in=[d.pk for d in deadlines], completed_at__isnull=True).update(completed_at=now)


KINDS = [
    (
        PERIOD,
        gettext_lazy("调解期限"),
        (TimeUnit.CALENDAR_DAYS, 30),
        gettext_lazy("人民调解一般在一个月内调结（本地政策，可调整）"),
    ),
    (LABOUR, gettext_lazy("劳动争议调解期限"), LAW[LABOUR], gettext_lazy("劳动争议调解仲裁法第十四条")),
    (
        MEDICAL,
        gettext_lazy("医疗纠纷调解期限"),
        LAW[MEDICAL],
        gettext_lazy("医疗纠纷预防和处理条例（30个工作日，鉴定时间不计入）"),
    ),
    (
        PRE_LITIGATION,
        gettext_lazy("诉前调解期限"),
        LAW[PRE_LITIGATION],
        gettext_lazy("最高人民法院关于进一步完善委派调解机制的指导意见"),
    ),
    (TERM, gettext_lazy("协议履行期限"), (TimeUnit.CALENDAR_DAYS, 30), gettext_lazy("调解协议约定的履行期限")),
    (
        CONFIRMATION_WINDOW,
        gettext_lazy("司法确认申请期限"),
        LAW[CONFIRMATION_WINDOW],
        gettext_lazy("人民调解法第三十三条、民事诉讼法（司法确认）"),
    ),
    (
        CONFIRMATION_ACCEPTANCE,
        gettext_lazy("司法确认受理期限"),
        LAW[CONFIRMATION_ACCEPTANCE],
        gettext_lazy("最高人民法院关于人民调解协议司法确认程序的若干规定（三日内决定是否受理）"),
    ),
    (
        CONFIRMATION_RULING,
        gettext_lazy("司法确认裁定期限"),
        LAW[CONFIRMATION_RULING],
        gettext_lazy("最高人民法院关于人民调解协议司法确认程序的若干规定（十五日内裁定，可延长十日）"),
    ),
    (LEGAL_AID_REVIEW, gettext_lazy("法律援助审查期限"), LAW[LEGAL_AID_REVIEW], gettext_lazy("法律援助法第四十三条")),
    (NOTARISATION, gettext_lazy("公证办理期限"), LAW[NOTARISATION], gettext_lazy("公证程序规则第三十五条")),
    (
        ARBITRATION_ACCEPTANCE,
        gettext_lazy("劳动仲裁受理期限"),
        LAW[ARBITRATION_ACCEPTANCE],
        gettext_lazy("劳动争议调解仲裁法第二十九条"),
    ),
    (
        ARBITRATION_AWARD,
        gettext_lazy("劳动仲裁裁决期限"),
        LAW[ARBITRATION_AWARD],
        gettext_lazy("劳动争议调解仲裁法第四十三条"),
    ),
]


def register_deadline_kinds() -> None:
    warn = _handler("warned", _warn)
    breach = _handler("escalated", _breach)
    for key, label, (unit, amount), basis in KINDS:
        registry.register_deadline_kind(
            registry.DeadlineKind(
                key=key,
                label=label,
                default_unit=unit,
                default_amount=amount,
                basis=basis,
                on_warn=warn,
                on_breach=_window_lapsed if key == CONFIRMATION_WINDOW else breach,
                policy_by_case=key == PERIOD,
            )
        )
