"""The petitions' timers on the core deadline engine: what each kind is, how long it runs, and what
the sweep does when one is nearly due or overdue.

Obligations of the center (a breach is late work, escalated to the leaders):
- `petition.decision`: forward, assign or refuse within 15 days of registration [law];
- `petition.handling`: reply within 60 days of acceptance [law] (shorter on a local fast track or
  when assigned with a deadline), extendable once by at most 30 days;
- `petition.review` / `petition.re_review`: answer a review / re-review within 30 days [law].

Windows of the petitioner (a "breach" only means the window closed, which ends the procedure):
- `petition.review_window` / `petition.re_review_window`: 30 days from the written answer to ask
  for a review / re-review [law]; when it closes unused the petition is final (终结).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import registry
from governance.models import CaseEvent, Deadline, Notification, Role, TimeUnit
from governance.selectors.people import liaisons_by_department, users_by_center
from governance.services.deadlines import deadline_complete, deadline_open
from governance.services.notifications import notifications_build
from governance.services.timeline import events_record
from petitions.models import DECISION_DAYS, HANDLING_DAYS, REVIEW_DAYS, Petition, PetitionStatus, Step

DECISION = "petition.decision"
HANDLING = "petition.handling"
REVIEW_WINDOW = "petition.review_window"
REVIEW = "petition.review"
RE_REVIEW_WINDOW = "petition.re_review_window"
RE_REVIEW = "petition.re_review"

BASES = {
    DECISION: gettext_lazy("《信访工作条例》：登记之日起15日内转送、交办或书面告知不予受理"),
    HANDLING: gettext_lazy("《信访工作条例》：受理之日起60日内办结，经批准可延长一次、不超过30日"),
    REVIEW_WINDOW: gettext_lazy("《信访工作条例》：收到书面答复之日起30日内可请求复查"),
    REVIEW: gettext_lazy("《信访工作条例》：收到复查请求之日起30日内提出复查意见"),
    RE_REVIEW_WINDOW: gettext_lazy("《信访工作条例》：收到复查意见之日起30日内可请求复核"),
    RE_REVIEW: gettext_lazy("《信访工作条例》：收到复核请求之日起30日内提出复核意见"),
}
# what the center must do before each obligation's due time (warnings and escalations say it)
_DUTIES = {
    DECISION: gettext_lazy("作出处理（转送、交办或书面告知不予受理）"),
    HANDLING: gettext_lazy("办结并书面答复信访人"),
    REVIEW: gettext_lazy("提出复查意见并书面答复"),
    RE_REVIEW: gettext_lazy("提出复核意见并书面答复"),
}
# window kind → the state it closes, and where the petition goes then
_WINDOWS = {REVIEW_WINDOW: PetitionStatus.REPLIED, RE_REVIEW_WINDOW: PetitionStatus.REVIEWED}


def deadline_of(petition: Petition, kind: str) -> Deadline:
    return Deadline.objects.get(kind=kind, subject_id=petition.pk)


def open_for(
    petition: Petition,
    kind: str,
    start: datetime,
    *,
    unit: str = TimeUnit.CALENDAR_DAYS,
    amount: int = REVIEW_DAYS,
    basis: str | None = None,
) -> Deadline:
    """Start one of the petition's timers; periods fixed by law unless the caller says otherwise."""
    case = petition.case
    return deadline_open(
        kind=kind,
        subject_id=petition.pk,
        center=case.center,
        start=start,
        case=case,
        department=petition.handling_department if kind == HANDLING else None,
        unit=unit,
        amount=amount,
        basis=str(basis or BASES[kind]),
    )


def complete_for(petition: Petition, kind: str, at: datetime) -> str:
    return deadline_complete(deadline=deadline_of(petition, kind), at=at)


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _on_duty(deadlines: list[Deadline], now: datetime, *, breach: bool) -> None:
    """Warnings and escalations (督办) for a batch of obligations, written in bulk: the first-contact
    handler, the handling department's liaisons (handling only), and on a breach the leaders."""
    petitions = {
        p.pk: p
        for p in Petition.objects.filter(pk__in=[d.subject_id for d in deadlines]).select_related(
            "case", "case__first_handler"
        )
    }
    departments = [p.handling_department_id for p in petitions.values() if p.handling_department_id]
    liaisons = liaisons_by_department(departments)
    leaders = users_by_center({p.case.center_id for p in petitions.values()}, Role.LEADER) if breach else {}
    events, notifications = [], []
    for deadline in deadlines:
        petition = petitions.get(deadline.subject_id)
        if petition is None:
            continue
        case = petition.case
        values = {"number": case.number, "due": _fmt(deadline.due_at), "duty": _DUTIES[deadline.kind]}
        recipients = [case.first_handler]
        if deadline.kind == HANDLING and petition.handling_department_id:
            recipients += liaisons.get(petition.handling_department_id, [])
        if breach:
            message = _("督办：信访事项超过期限（%(due)s）仍未%(duty)s") % values
            title = _("督办：信访事项 %(number)s 超期未%(duty)s") % values
            recipients += leaders.get(case.center_id, [])
        else:
            message = _("临期提醒：信访事项须于 %(due)s 前%(duty)s") % values
            title = _("临期提醒：信访事项 %(number)s 须于 %(due)s 前%(duty)s") % values
        kind = "petition_overdue" if breach else "petition_warned"
        events.append(CaseEvent(case=case, kind=kind, at=now, message=message, data={"deadline": deadline.pk}))
        notifications += notifications_build(recipients=recipients, kind=kind, title=title, case=case, at=now)
    events_record(events)
    Notification.objects.bulk_create(notifications, batch_size=1000)


def _on_warn(deadlines: list[Deadline], now: datetime) -> None:
    _on_duty(deadlines, now, breach=False)


def _on_breach(deadlines: list[Deadline], now: datetime) -> None:
    _on_duty(deadlines, now, breach=True)


def _on_window_closed(deadlines: list[Deadline], now: datetime) -> None:
    """The petitioner's 30 days passed without a request: the petition is final (终结). The timer
    is marked done so that it is not counted as open overdue work."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for deadline in deadlines:
        by_kind[deadline.kind].append(deadline.subject_id)
    finalized: list[int] = []
    for kind, petition_ids in by_kind.items():
        # locked, so a review request recorded at the same moment either wins or waits
        ids = list(
            Petition.objects.select_for_update()
            .filter(pk__in=petition_ids, status=_WINDOWS[kind])
            .values_list("pk", flat=True)
        )
        Petition.objects.filter(pk__in=ids).update(status=PetitionStatus.CLOSED, finalized_at=now)
        finalized += ids
    Deadline.objects.filter(pk__in=[d.pk for d in deadlines], completed_at__isnull=True).update(completed_at=now)
    cases = dict(Petition.objects.filter(pk__in=finalized).values_list("pk", "case_id"))
    message = _("信访人在法定期限内未请求复查（复核），信访事项终结；同一事实和理由不再受理")
    events_record(
        [
            CaseEvent(case_id=case_id, kind="petition_finalized", at=now, message=message, data={"step": Step.FINALIZE})
            for case_id in cases.values()
        ]
    )


def register_deadline_kinds() -> None:
    kinds = [
        (DECISION, gettext_lazy("信访事项处理（转送、交办或告知）"), DECISION_DAYS, _on_warn, _on_breach),
        (HANDLING, gettext_lazy("信访事项办理"), HANDLING_DAYS, _on_warn, _on_breach),
        (REVIEW_WINDOW, gettext_lazy("请求复查期限"), REVIEW_DAYS, None, _on_window_closed),
        (REVIEW, gettext_lazy("复查答复"), REVIEW_DAYS, _on_warn, _on_breach),
        (RE_REVIEW_WINDOW, gettext_lazy("请求复核期限"), REVIEW_DAYS, None, _on_window_closed),
        (RE_REVIEW, gettext_lazy("复核答复"), REVIEW_DAYS, _on_warn, _on_breach),
    ]
    for key, label, days, on_warn, on_breach in kinds:
        registry.register_deadline_kind(
            registry.DeadlineKind(
                key=key,
                label=label,
                default_unit=TimeUnit.CALENDAR_DAYS,
                default_amount=days,
                basis=BASES[key],
                on_warn=on_warn,
                on_breach=on_breach,
                policy_by_case=False,
            )
        )
