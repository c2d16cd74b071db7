"""The grid event loop: report → review → handle (close on site, or escalate one tier up, where the
event becomes a case on the ledger) → feed back. Hotline tickets enter it at the grid: see
`grids.services.hotline`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import (
    Case,
    Category,
    Channel,
    Outcome,
    RiskLevel,
    Role,
    ServiceLine,
    User,
)
from governance.selectors.people import users_by_center
from governance.services.cases import case_register
from governance.services.notifications import notify
from governance.services.timeline import event_record
from grids import access
from grids.models import (
    ALLOWED_TRANSITIONS,
    TIER_ORDER,
    EventCategory,
    EventSource,
    EventStatus,
    Grid,
    GridEvent,
    GridMember,
    MemberRole,
    Tier,
)
from grids.services import stats
from grids.services.deadlines import timer_open, timers_cancel, timers_stop

# Verbs for the messages of refused transitions.
_ACTION_LABELS = {
    EventStatus.ACCEPTED: gettext_lazy("审核通过"),
    EventStatus.INVALID: gettext_lazy("作不予受理"),
    EventStatus.CLOSED_ON_SITE: gettext_lazy("现场办结"),
    EventStatus.ESCALATED: gettext_lazy("提级"),
    EventStatus.ESCALATED_CLOSED: gettext_lazy("标记上级办结"),
    EventStatus.FED_BACK: gettext_lazy("反馈"),
}
# A report may be entered a little after the fact, never in the future (clocks drift a little).
CLOCK_SKEW = timedelta(minutes=5)


def _lock(event: GridEvent) -> GridEvent:
    return GridEvent.objects.select_for_update(of=("self",)).select_related("grid", "center").get(pk=event.pk)


def _check(event: GridEvent, new_status: str) -> None:
    if new_status not in ALLOWED_TRANSITIONS.get(event.status, frozenset()):
        raise TransitionNotAllowed(
            _("事件当前为“%(status)s”，不能%(action)s")
            % {"status": EventStatus(event.status).label, "action": _ACTION_LABELS[new_status]}
        )


def _move(event: GridEvent, new_status: str, **values) -> None:
    """Conditional update from the current status and tier: of two people pressing at once, one
    wins and the other gets a conflict (409)."""
    _check(event, new_status)
    updated = GridEvent.objects.filter(pk=event.pk, status=event.status, tier=event.tier).update(
        status=new_status, updated_at=timezone.now(), **values
    )
    if not updated:
        raise Conflict()
    event.status = new_status
    for name, value in values.items():
        setattr(event, name, value)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def responsible_worker(grid: Grid) -> User | None:
    """Who a matter sent to a grid is counted for: the nearest full-time grid worker with an account
    (on the grid itself, else on a grid above it)."""
    lineage = grid.lineage_ids
    members = list(
        GridMember.objects.filter(
            grid_id__in=lineage, role=MemberRole.FULL_TIME, is_active=True, user__isnull=False, user__is_active=True
        ).select_related("user")
    )
    members.sort(key=lambda m: (lineage.index(m.grid_id), m.pk))
    return members[0].user if members else None


@transaction.atomic
def grid_event_report(
    *,
    actor: User | None,
    grid: Grid,
    category: str,
    summary: str,
    place: str = "",
    people_involved: str = "",
    dispute_category: Category | None = None,
    risk_level: str = RiskLevel.BLUE,
    reported_at: datetime | None = None,
) -> GridEvent:
    """上报: a grid worker reports what they found; it waits for review. The type's time limit
    starts now."""
    access.require(access.can_work_in(actor, grid))
    if not grid.is_active:
        raise InvalidInput(_("该网格已停用"), field="grid")
    if category not in EventCategory.values:
        raise InvalidInput(_("无效的事件类型"), field="category")
    if risk_level not in RiskLevel.values:
        raise InvalidInput(_("无效的风险等级"), field="risk_level")
    summary = _text(summary, "summary", _("请填写事件描述"))
    if dispute_category is not None:
        if category != EventCategory.DISPUTE:
            raise InvalidInput(_("只有矛盾纠纷事件需要选择纠纷类别"), field="dispute_category")
        if not dispute_category.is_active:
            raise InvalidInput(_("该纠纷类别已停用"), field="dispute_category")
    now = timezone.now()
    at = reported_at or now
    if at > now + CLOCK_SKEW:
        raise InvalidInput(_("上报时间不能晚于当前时间"), field="reported_at")
    worker = actor if actor is not None and access.is_member(actor, grid) else responsible_worker(grid)
    event = GridEvent.objects.create(
        grid=grid,
        center=grid.center,
        category=category,
        source=EventSource.GRID_REPORT,
        status=EventStatus.REPORTED,
        summary=summary,
        place=place.strip(),
        people_involved=people_involved.strip(),
        dispute_category=dispute_category,
        risk_level=risk_level,
        reported_by=actor,
        worker=worker,
        reported_at=at,
        reported_on=timezone.localdate(at),
    )
    event.deadline = timer_open(event, at)
    event.save(update_fields=["deadline"])
    stats.event_counted(event, reported=1, events=1, disputes=int(category == EventCategory.DISPUTE))
    return event


@transaction.atomic
def grid_event_review(
    *, actor: User | None, event: GridEvent, valid: bool, note: str = "", at: datetime | None = None
) -> GridEvent:
    """审核: the grid leader or the center accepts the report for handling, or refuses it as not a
    valid event (duplicate, not a matter for the grid…) with a reason."""
    event = _lock(event)
    access.require(
        access.can_review(actor, event), _("只有网格长或上级综治中心工作人员可以审核，且不能审核本人上报的事件")
    )
    note = note.strip()
    if not valid:
        note = _text(note, "note", _("请填写不予受理的理由"))
    at = at or timezone.now()
    new_status = EventStatus.ACCEPTED if valid else EventStatus.INVALID
    _move(event, new_status, reviewed_by=actor, reviewed_at=at, review_note=note)
    if not valid:
        timers_cancel(event, at)
        stats.event_counted(event, invalid=1, events=-1, disputes=-int(event.category == EventCategory.DISPUTE))
        notify(
            recipients=[u for u in (event.reported_by,) if u is not None],
            kind="grid_invalid",
            title=_("网格事件 #%(id)s 未予受理：%(note)s") % {"id": event.pk, "note": note},
            link=f"/grids/events/{event.pk}/",
            at=at,
        )
    return event


@transaction.atomic
def grid_event_close_on_site(
    *, actor: User | None, event: GridEvent, result: str, resolved: bool = True, at: datetime | None = None
) -> GridEvent:
    """现场办结: the grid handled it on the spot (微事不出格). For a dispute, `resolved` says whether
    it was settled (化解) and not only dealt with."""
    event = _lock(event)
    if event.tier != Tier.GRID:
        raise TransitionNotAllowed(_("事件已提级，由上级办理"))
    access.require(access.can_handle(actor, event))
    result = _text(result, "result", _("请填写处置结果"))
    at = at or timezone.now()
    _move(event, EventStatus.CLOSED_ON_SITE, handled_by=actor, handled_at=at, result=result, resolved=resolved)
    late = timers_stop(event, at)
    dispute = event.category == EventCategory.DISPUTE
    stats.event_counted(event, closed_on_site=1, disputes_resolved=int(dispute and resolved), overdue=int(late))
    if event.case is not None:  # a hotline ticket: the center replies to the caller and closes it
        event_record(
            case=event.case,
            kind="grid_closed_on_site",
            actor=actor,
            at=at,
            message=_("网格现场办结（%(grid)s）：%(result)s") % {"grid": event.grid.name, "result": result},
            data={"grid_event": event.pk, "resolved": resolved},
        )
        notify(
            recipients=[event.case.first_handler],
            kind="grid_closed_on_site",
            title=_("工单 %(number)s 已由网格现场办结，请答复并办结") % {"number": event.case.number},
            body=result,
            case=event.case,
            at=at,
        )
    return event


def _case_category(event: GridEvent) -> Category:
    if event.dispute_category is not None:
        return event.dispute_category
    try:
        return Category.objects.get(key="other")
    except Category.DoesNotExist:
        raise InvalidInput(_("纠纷类别“其他”不存在，请管理员恢复后再提级"), field="dispute_category") from None


def _case_summary(event: GridEvent) -> str:
    parts = [
        _("【网格事件 #%(id)s·%(type)s】%(summary)s")
        % {"id": event.pk, "type": event.get_category_display(), "summary": event.summary}
    ]
    if event.place:
        parts.append(_("地点：%(place)s") % {"place": event.place})
    if event.people_involved:
        parts.append(_("涉及人员：%(people)s") % {"people": event.people_involved})
    return "；".join(parts)[:2000]


@transaction.atomic
def grid_event_escalate(*, actor: User | None, event: GridEvent, reason: str, at: datetime | None = None) -> Case:
    """提级: the event goes one tier up (grid → village → township → county center). Leaving the
    grid, it becomes a case on the ledger — exactly once; later tiers are steps on that case's
    timeline. Returns the case."""
    event = _lock(event)
    if event.status == EventStatus.ESCALATED and event.tier == TIER_ORDER[-1]:
        raise TransitionNotAllowed(_("事件已提级至县级综治中心，不能再提级"))
    access.require(access.can_handle(actor, event))
    reason = _text(reason, "reason", _("请填写提级理由"))
    _check(event, EventStatus.ESCALATED)
    at = at or timezone.now()
    first = event.status == EventStatus.ACCEPTED
    new_tier = TIER_ORDER[TIER_ORDER.index(event.tier) + 1]
    values = {"tier": new_tier}
    if first:
        values.update(escalated_by=actor, escalated_at=at, escalation_reason=reason)
        if event.case is None:
            dispute = event.category == EventCategory.DISPUTE
            values["case"] = case_register(
                actor=actor,
                center=event.center,
                channel=Channel.GRID_REPORT,
                service_line=ServiceLine.MEDIATION if dispute else ServiceLine.GRID,
                category=_case_category(event),
                risk_level=event.risk_level,
                summary=_case_summary(event),
                registered_at=at,
            )
    _move(event, EventStatus.ESCALATED, **values)
    target = access.tier_center(event, new_tier)
    if first:
        late = timers_stop(event, at)
        stats.event_counted(event, escalated=1, overdue=int(late))
    event_record(
        case=event.case,
        kind="grid_escalated",
        actor=actor,
        at=at,
        message=_("网格事件提级至%(center)s（%(tier)s）：%(reason)s")
        % {"center": target.name, "tier": Tier(new_tier).label, "reason": reason},
        data={"grid_event": event.pk, "tier": new_tier},
    )
    staff = users_by_center([target.pk], Role.WINDOW_STAFF, Role.CENTER_ADMIN)[target.pk]
    notify(
        recipients=staff,
        kind="grid_escalated",
        title=_("网格事件提级：%(number)s（%(grid)s）") % {"number": event.case.number, "grid": event.grid.name},
        body=reason,
        case=event.case,
        at=at,
    )
    return event.case


@transaction.atomic
def grid_event_feedback(*, actor: User | None, event: GridEvent, note: str, at: datetime | None = None) -> GridEvent:
    """反馈: the grid tells the people concerned what was done, closing the loop — after a closure
    on site, or once the case an escalated event became is closed."""
    event = _lock(event)
    access.require(access.can_feed_back(actor, event))
    note = _text(note, "note", _("请填写反馈情况"))
    at = at or timezone.now()
    _move(event, EventStatus.FED_BACK, fed_back_by=actor, fed_back_at=at, feedback_note=note)
    stats.event_counted(event, fed_back=1)
    if event.case is not None:
        event_record(
            case=event.case,
            kind="grid_fed_back",
            actor=actor,
            at=at,
            message=_("网格员已向群众反馈：%(note)s") % {"note": note},
            data={"grid_event": event.pk},
        )
    return event


def grid_event_case_closed(case: Case) -> None:
    """Registered with the core: the case an escalated event became was closed (办结) — inside
    `case_close`'s transaction. The event counts as escalated and closed; the grid is asked to
    feed back."""
    event = (
        GridEvent.objects.select_for_update(of=("self",))
        .select_related("grid", "center", "worker")
        .filter(case_id=case.pk)
        .first()
    )
    if event is None or event.status != EventStatus.ESCALATED:
        return
    resolved = case.outcome == Outcome.RESOLVED
    _move(event, EventStatus.ESCALATED_CLOSED, escalated_closed_at=case.closed_at, resolved=resolved)
    dispute = event.category == EventCategory.DISPUTE
    stats.event_counted(event, escalated_closed=1, disputes_resolved=int(dispute and resolved))
    notify(
        recipients=[u for u in (event.worker,) if u is not None],
        kind="grid_escalated_closed",
        title=_("网格事件 #%(id)s 已由上级办结（%(outcome)s），请向群众反馈")
        % {"id": event.pk, "outcome": Outcome(case.outcome).label},
        case=case,
        link=f"/grids/events/{event.pk}/",
        at=case.closed_at,
    )
