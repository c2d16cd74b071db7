"""Leaders' reception days (领导接访: who receives petitioners when) and backlog cases (信访积案) with
a star rating and the leader in charge (包案)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import Center, Role, User
from governance.services.notifications import notify
from governance.services.timeline import event_record
from petitions import roles as petition_roles
from petitions.choices import BacklogStatus
from petitions.models import BacklogCase, Petition, ReceptionDay


def _check_leader(leader: User, center: Center, field: str) -> None:
    """A leader of this center or of one above it."""
    if not leader.is_active or not leader.has_role(Role.LEADER):
        raise InvalidInput(_("请选择一位领导"), field=field)
    if leader.center_id not in center.scope_ids:
        raise InvalidInput(_("须为本中心或上级中心的领导"), field=field)


def reception_check(*, center: Center, leader: User, starts_at: time, ends_at: time, place: str) -> None:
    """The rules of a reception day (also run by forms before they call `reception_schedule`)."""
    _check_leader(leader, center, "leader")
    if ends_at <= starts_at:
        raise InvalidInput(_("结束时间应晚于开始时间"), field="ends_at")
    if not place or not place.strip():
        raise InvalidInput(_("请填写接访地点"), field="place")


@transaction.atomic
def reception_schedule(
    *,
    actor: User | None,
    center: Center,
    leader: User,
    day: date,
    starts_at: time,
    ends_at: time,
    place: str,
    topic: str = "",
) -> ReceptionDay:
    """Put a leader's reception day on the schedule (Yumen: one city leader each week)."""
    roles.require(actor, petition_roles.PLAN)
    reception_check(center=center, leader=leader, starts_at=starts_at, ends_at=ends_at, place=place)
    try:
        with transaction.atomic():
            reception = ReceptionDay.objects.create(
                center=center,
                leader=leader,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                place=place.strip(),
                topic=topic.strip(),
                created_by=actor,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("该领导当天已有接访安排")) from None
    notify(
        recipients=[leader],
        kind="reception_scheduled",
        title=_("接访安排：%(day)s %(start)s–%(end)s，%(place)s")
        % {
            "day": day.isoformat(),
            "start": starts_at.strftime("%H:%M"),
            "end": ends_at.strftime("%H:%M"),
            "place": place,
        },
        body=topic,
    )
    return reception


@transaction.atomic
def reception_cancel(*, actor: User | None, reception: ReceptionDay, at: datetime | None = None) -> ReceptionDay:
    roles.require(actor, petition_roles.PLAN)
    at = at or timezone.now()
    if not ReceptionDay.objects.filter(pk=reception.pk, cancelled_at__isnull=True).update(cancelled_at=at):
        raise TransitionNotAllowed(_("该接访安排已经取消"))
    reception.cancelled_at = at
    return reception


@transaction.atomic
def backlog_designate(
    *,
    actor: User | None,
    petition: Petition,
    stars: int,
    leader: User,
    reason: str,
    at: datetime | None = None,
) -> BacklogCase:
    """List a long-unresolved petition as a backlog case (积案) with a star rating of its difficulty
    and the leader who takes charge of it (包案)."""
    roles.require(actor, petition_roles.PLAN)
    if not 1 <= stars <= 5:
        raise InvalidInput(_("星级应为1至5星"), field="stars")
    if not reason or not reason.strip():
        raise InvalidInput(_("请填写列为积案的原因"), field="reason")
    _check_leader(leader, petition.case.center, "leader")
    at = at or timezone.now()
    try:
        with transaction.atomic():
            backlog = BacklogCase.objects.create(
                petition=petition,
                stars=stars,
                leader=leader,
                reason=reason.strip(),
                designated_by=actor,
                designated_at=at,
            )
    except IntegrityError:
        raise Conflict(_("该信访事项已列为积案")) from None
    event_record(
        case=petition.case,
        kind="petition_backlog",
        actor=actor,
        at=at,
        message=_("列为信访积案（%(stars)s星），包案领导：%(leader)s") % {"stars": stars, "leader": leader},
        data={"petition": petition.pk, "leader": leader.pk},
    )
    notify(
        recipients=[leader],
        kind="petition_backlog",
        title=_("包案：信访积案 %(number)s（%(stars)s星）") % {"number": petition.case.number, "stars": stars},
        body=reason,
        case=petition.case,
        at=at,
    )
    return backlog


@transaction.atomic
def backlog_rate(*, actor: User | None, backlog: BacklogCase, stars: int, leader: User | None = None) -> BacklogCase:
    """Change the star rating (and, with it, the leader in charge) of an open backlog case."""
    roles.require(actor, petition_roles.PLAN)
    if not 1 <= stars <= 5:
        raise InvalidInput(_("星级应为1至5星"), field="stars")
    if leader is not None:
        _check_leader(leader, backlog.petition.case.center, "leader")
    values = {"stars": stars, **({"leader": leader} if leader is not None else {})}
    if not BacklogCase.objects.filter(pk=backlog.pk, status=BacklogStatus.OPEN).update(**values):
        raise TransitionNotAllowed(_("积案已化解，不能再调整"))
    for name, value in values.items():
        setattr(backlog, name, value)
    event_record(
        case=backlog.petition.case,
        kind="petition_backlog",
        actor=actor,
        message=_("积案调整为%(stars)s星，包案领导：%(leader)s") % {"stars": stars, "leader": backlog.leader},
        data={"petition": backlog.petition_id},
    )
    return backlog


@transaction.atomic
def backlog_resolve(
    *, actor: User | None, backlog: BacklogCase, resolution: str, at: datetime | None = None
) -> BacklogCase:
    """The backlog case is resolved (清仓见底): by the leader in charge or the center."""
    if actor is None or actor.pk != backlog.leader_id:
        roles.require(actor, petition_roles.PLAN)
    if not resolution or not resolution.strip():
        raise InvalidInput(_("请填写化解情况"), field="resolution")
    at = at or timezone.now()
    if not BacklogCase.objects.filter(pk=backlog.pk, status=BacklogStatus.OPEN).update(
        status=BacklogStatus.RESOLVED, resolved_at=at, resolution=resolution.strip()
    ):
        raise TransitionNotAllowed(_("该积案已经化解"))
    backlog.status, backlog.resolved_at, backlog.resolution = BacklogStatus.RESOLVED, at, resolution.strip()
    event_record(
        case=backlog.petition.case,
        kind="petition_backlog_resolved",
        actor=actor,
        at=at,
        message=_("信访积案化解：%(resolution)s") % {"resolution": resolution.strip()},
        data={"petition": backlog.petition_id},
    )
    return backlog
