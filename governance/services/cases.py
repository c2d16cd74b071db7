"""Use cases of the unified ledger: register, close, follow up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import registry, roles
from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import (
    ACTIVE_DISPATCH_STATUSES,
    ALLOWED_TRANSITIONS,
    Case,
    CaseCounter,
    CaseParty,
    CaseStatus,
    Category,
    Center,
    FollowUp,
    Outcome,
    Satisfaction,
    User,
)
from governance.services import stats
from governance.services.persons import PartyInput, person_resolve
from governance.services.timeline import event_record


def case_transition(case: Case, new_status: str, **values) -> None:
    """Move `case` to `new_status` (with `values` in the same UPDATE) if the table allows it and
    nobody changed it meanwhile."""
    if new_status not in ALLOWED_TRANSITIONS.get(case.status, frozenset()):
        raise TransitionNotAllowed(
            _("案件当前为“%(status)s”，不能改为“%(new)s”")
            % {"status": CaseStatus(case.status).label, "new": CaseStatus(new_status).label}
        )
    updated = Case.objects.filter(pk=case.pk, status=case.status).update(
        status=new_status, updated_at=timezone.now(), **values
    )
    if not updated:
        raise Conflict()
    case.status = new_status
    for name, value in values.items():
        setattr(case, name, value)


def case_guard_refusal(case: Case, action: str) -> str | None:
    """Why an app's guard would refuse the core `action` ("close" / "dispatch") on `case` now, or
    None: pages hide what would be refused and say where the work is done instead."""
    from governance.exceptions import ApplicationError

    for guard in registry.case_guards():
        try:
            guard(case, action, "")
        except ApplicationError as refusal:
            return str(refusal.message)
    return None


def _next_number(center: Center, registered_at: datetime) -> str:
    """YM-2026-000123: per county (root center) and year, gapless, unique under concurrency — the
    counter row is incremented atomically and locked until the registration commits."""
    return case_numbers_reserve(center=center, registered_at=registered_at, count=1)[0]


def case_numbers_reserve(*, center: Center, registered_at: datetime, count: int) -> list[str]:
    """`count` consecutive case numbers of the county and year of `registered_at`, in one
    statement (a bulk import numbers a whole batch at once). Call it inside the transaction that
    writes the cases, as late as possible: the counter row stays locked until the commit."""
    root = center.root
    year = timezone.localtime(registered_at).year
    scope = f"{root.code}-{year}"
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, value) VALUES (%s, %s) "
            f"ON CONFLICT (scope) DO UPDATE SET value = {table}.value + EXCLUDED.value RETURNING value",
            [scope, count],
        )
        (last,) = cursor.fetchone()
    return [f"{scope}-{value:06d}" for value in range(last - count + 1, last + 1)]


@transaction.atomic
def case_register(
    *,
    actor: User | None,
    center: Center,
    channel: str,
    service_line: str,
    category: Category,
    risk_level: str,
    summary: str,
    parties: Sequence[PartyInput] = (),
    headcount: int | None = None,
    flags: Iterable[str] = (),
    external_ref: str = "",
    first_handler: User | None = None,
    registered_at: datetime | None = None,
    origin: str = "",
) -> Case:
    """Register a matter on the ledger (登记受理). The registering staff member is its first-contact
    handler (首问负责) unless another is named."""
    roles.require(actor, roles.REGISTER)
    if not category.is_active:
        raise InvalidInput(_("该纠纷类别已停用"), field="category")
    handler = first_handler or actor
    if handler is None:
        raise InvalidInput(_("须指定首问负责人"), field="first_handler")
    headcount = headcount if headcount is not None else max(1, len(parties))
    if headcount < 1:
        raise InvalidInput(_("人数至少为1"), field="headcount")
    if external_ref and Case.objects.filter(channel=channel, external_ref=external_ref).exists():
        raise Conflict(_("该外部编号已登记：%(ref)s") % {"ref": external_ref})
    registered_at = registered_at or timezone.now()

    persons = [
        (person_resolve(name=p.name, id_number=p.id_number, phone=p.phone, address=p.address), p.role) for p in parties
    ]
    case = Case.objects.create(
        center=center,
        channel=channel,
        service_line=service_line,
        category=category,
        risk_level=risk_level,
        headcount=headcount,
        summary=summary,
        external_ref=external_ref,
        first_handler=handler,
        registered_at=registered_at,
        registered_on=timezone.localdate(registered_at),
        **{Case.FLAG_FIELDS[flag]: True for flag in flags},
    )
    seen = set()
    party_rows = []
    for order, (person, role) in enumerate(persons):
        if (person.pk, role) not in seen:
            seen.add((person.pk, role))
            party_rows.append(CaseParty(case=case, person=person, role=role, order=order))
    CaseParty.objects.bulk_create(party_rows)
    event_record(
        case=case,
        kind="registered",
        actor=actor,
        at=registered_at,
        message=_("登记受理（%(channel)s，%(line)s），首问负责人：%(handler)s")
        % {"channel": case.get_channel_display(), "line": case.get_service_line_display(), "handler": handler},
    )
    # Contended rows last, so their locks are held for the shortest time.
    stats.case_registered(case)
    case.number = _next_number(center, registered_at)
    Case.objects.filter(pk=case.pk).update(number=case.number)
    for hook in registry.case_registered_hooks():
        hook(case, origin)
    return case


@transaction.atomic
def case_close(
    *, actor: User | None, case: Case, outcome: str, note: str = "", at: datetime | None = None, origin: str = ""
) -> Case:
    """Close a case with its outcome (办结). Only the center's own staff close cases, and only once
    no department is still holding it (departments feed back; they do not close)."""
    roles.require(actor, roles.CLOSE)
    if outcome not in Outcome.values:
        raise InvalidInput(_("无效的办结结果"), field="outcome")
    at = at or timezone.now()
    case = Case.objects.select_for_update().select_related("center", "category").get(pk=case.pk)
    for guard in registry.case_guards():
        guard(case, "close", origin)
    if case.status != CaseStatus.CLOSED and case.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).exists():
        raise TransitionNotAllowed(_("仍有部门在办理（待签收或未反馈），请待其反馈或退回后再办结"))
    case_transition(case, CaseStatus.CLOSED, outcome=outcome, close_note=note, closed_at=at, closed_by=actor)
    event_record(
        case=case,
        kind="closed",
        actor=actor,
        at=at,
        message=_("办结：%(outcome)s。%(note)s") % {"outcome": Outcome(outcome).label, "note": note},
    )
    stats.case_closed(case)
    for hook in registry.case_closed_hooks():
        hook(case)
    return case


@transaction.atomic
def case_follow_up(
    *, actor: User | None, case: Case, satisfaction: str, note: str = "", at: datetime | None = None
) -> FollowUp:
    """Record the follow-up visit or call after closing (回访) and the party's satisfaction."""
    roles.require(actor, roles.FOLLOW_UP)
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("无效的满意度"), field="satisfaction")
    case = Case.objects.select_for_update().select_related("center", "category").get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("案件办结后才能回访"))
    if FollowUp.objects.filter(case=case).exists():
        raise Conflict(_("该案件已回访"))
    at = at or timezone.now()
    follow_up = FollowUp.objects.create(case=case, satisfaction=satisfaction, note=note, by=actor, at=at)
    event_record(
        case=case,
        kind="followed_up",
        actor=actor,
        at=at,
        message=_("回访：%(satisfaction)s。%(note)s")
        % {"satisfaction": Satisfaction(satisfaction).label, "note": note},
    )
    stats.case_followed_up(case, satisfaction)
    return follow_up
