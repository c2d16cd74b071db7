"""The petitioner's remedies after the written reply: review (复查) and re-review (复核), each
requested within 30 days and answered within 30 [law], then final; and the petitioner's
evaluation of the handling."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import DeadlineState, Satisfaction, User
from governance.services.timeline import event_record
from petitions import roles as petition_roles
from petitions.choices import RatingVia, ReplyOutcome, Step
from petitions.models import REPLIED_STATES, Petition
from petitions.services import deadlines
from petitions.services.machine import check_step, lock, move
from petitions.services.stats import petition_rated_counted


def _request(
    *, step: str, window_kind: str, answer_kind: str, actor, petition, request: str, organ: str, at
) -> Petition:
    roles.require(actor, petition_roles.STAFF)
    if not request or not request.strip():
        raise InvalidInput(_("请填写请求的事实和理由"), field="request")
    at = at or timezone.now()
    petition = lock(petition)
    check_step(petition, step)
    window = deadlines.deadline_of(petition, window_kind)
    if window.state != DeadlineState.OPEN or (window.due_at is not None and at > window.due_at):
        raise TransitionNotAllowed(_("已超过30日的请求期限，信访事项已终结"))
    prefix = "review" if step == Step.REQUEST_REVIEW else "re_review"
    move(
        petition,
        step,
        **{f"{prefix}_requested_at": at, f"{prefix}_request": request.strip(), f"{prefix}_organ": organ.strip()},
    )
    deadlines.complete_for(petition, window_kind, at)
    answer = deadlines.open_for(petition, answer_kind, at)
    event_record(
        case=petition.case,
        kind=f"petition_{prefix}_requested",
        actor=actor,
        at=at,
        message=_("信访人%(step)s%(organ)s，须于 %(due)s 前答复")
        % {
            "step": Step(step).label,
            "organ": _("（%(organ)s）") % {"organ": organ.strip()} if organ.strip() else "",
            "due": timezone.localtime(answer.due_at).strftime("%Y-%m-%d"),
        },
        data={"petition": petition.pk},
    )
    return petition


def _answer(*, step: str, answer_kind: str, actor, petition, outcome: str, text: str, at) -> Petition:
    roles.require(actor, petition_roles.STAFF)
    if outcome not in ReplyOutcome.values:
        raise InvalidInput(_("请选择处理意见"), field="outcome")
    if not text or not text.strip():
        raise InvalidInput(_("请填写答复内容"), field="text")
    at = at or timezone.now()
    petition = lock(petition)
    prefix = "review" if step == Step.ANSWER_REVIEW else "re_review"
    values = {f"{prefix}_outcome": outcome, f"{prefix}_text": text.strip(), f"{prefix}ed_at": at}
    if step == Step.ANSWER_RE_REVIEW:
        values["finalized_at"] = at
    move(petition, step, **values)
    state = deadlines.complete_for(petition, answer_kind, at)
    late = _("（超过30日答复期限）") if state == DeadlineState.BREACHED else ""
    if step == Step.ANSWER_REVIEW:
        window = deadlines.open_for(petition, deadlines.RE_REVIEW_WINDOW, at)
        message = _("复查意见：%(outcome)s%(late)s；可于 %(until)s 前请求复核") % {
            "outcome": ReplyOutcome(outcome).label,
            "late": late,
            "until": timezone.localtime(window.due_at).strftime("%Y-%m-%d"),
        }
    else:
        message = _("复核意见：%(outcome)s%(late)s；信访事项终结，同一事实和理由不再受理") % {
            "outcome": ReplyOutcome(outcome).label,
            "late": late,
        }
    event_record(
        case=petition.case,
        kind=f"petition_{prefix}ed",
        actor=actor,
        at=at,
        message=message,
        data={"petition": petition.pk},
    )
    return petition


@transaction.atomic
def petition_request_review(
    *, actor: User | None, petition: Petition, request: str, organ: str = "", at: datetime | None = None
) -> Petition:
    """复查 requested within 30 days of the reply [law]; to be answered within 30 days."""
    return _request(
        step=Step.REQUEST_REVIEW,
        window_kind=deadlines.REVIEW_WINDOW,
        answer_kind=deadlines.REVIEW,
        actor=actor,
        petition=petition,
        request=request,
        organ=organ,
        at=at,
    )


@transaction.atomic
def petition_answer_review(
    *, actor: User | None, petition: Petition, outcome: str, text: str, at: datetime | None = None
) -> Petition:
    """The review opinion (复查意见); the petitioner then has 30 days to ask for a re-review."""
    return _answer(
        step=Step.ANSWER_REVIEW,
        answer_kind=deadlines.REVIEW,
        actor=actor,
        petition=petition,
        outcome=outcome,
        text=text,
        at=at,
    )


@transaction.atomic
def petition_request_re_review(
    *, actor: User | None, petition: Petition, request: str, organ: str = "", at: datetime | None = None
) -> Petition:
    """复核 requested within 30 days of the review opinion [law]; to be answered within 30 days."""
    return _request(
        step=Step.REQUEST_RE_REVIEW,
        window_kind=deadlines.RE_REVIEW_WINDOW,
        answer_kind=deadlines.RE_REVIEW,
        actor=actor,
        petition=petition,
        request=request,
        organ=organ,
        at=at,
    )


@transaction.atomic
def petition_answer_re_review(
    *, actor: User | None, petition: Petition, outcome: str, text: str, at: datetime | None = None
) -> Petition:
    """The re-review opinion (复核意见): the petition is final; the same facts are not accepted again."""
    return _answer(
        step=Step.ANSWER_RE_REVIEW,
        answer_kind=deadlines.RE_REVIEW,
        actor=actor,
        petition=petition,
        outcome=outcome,
        text=text,
        at=at,
    )


@transaction.atomic
def petition_rate(
    *,
    actor: User | None,
    petition: Petition,
    satisfaction: str,
    note: str = "",
    via: str = RatingVia.STAFF,
    at: datetime | None = None,
) -> Petition:
    """The petitioner's evaluation of the handling, once, after the written reply: by the petitioner
    with the receipt's query code (actor None), or entered by staff after a follow-up call."""
    if via == RatingVia.STAFF:
        roles.require(actor, petition_roles.STAFF)
        if actor is None:
            raise InvalidInput(_("请由工作人员录入回访评价"), field="via")
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("请选择满意、基本满意或不满意"), field="satisfaction")
    at = at or timezone.now()
    petition = lock(petition)
    if petition.status not in REPLIED_STATES:
        raise TransitionNotAllowed(_("书面答复之后才能评价"))
    if not Petition.objects.filter(pk=petition.pk, satisfaction="").update(
        satisfaction=satisfaction, satisfaction_note=note.strip()[:500], rated_at=at, rated_via=via
    ):
        raise Conflict(_("该信访事项已经评价过"))
    petition.satisfaction, petition.rated_at, petition.rated_via = satisfaction, at, via
    event_record(
        case=petition.case,
        kind="petition_rated",
        actor=actor,
        at=at,
        message=_("%(via)s：%(satisfaction)s")
        % {"via": RatingVia(via).label, "satisfaction": Satisfaction(satisfaction).label},
        data={"petition": petition.pk},
    )
    petition_rated_counted(petition)
    return petition
