"""The petitions' share of the generated history (see the package docstring)."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from governance import calendar
from governance.bulk import BulkWriter, CopyPipeline, next_id, reset_sequences
from governance.models import (
    Case,
    CaseEvent,
    CaseParty,
    Deadline,
    DeadlineChange,
    DeadlineState,
    Dispatch,
    Outcome,
    Role,
    Satisfaction,
    ServiceLine,
    TimeUnit,
    User,
)
from petitions.choices import (
    Decision,
    LinkKind,
    PetitionForm,
    PetitionStatus,
    PetitionType,
    RatingVia,
    RefusalReason,
    ReplyOutcome,
    Track,
)
from petitions.models import (
    DECISION_DAYS,
    HANDLING_DAYS,
    REVIEW_DAYS,
    BacklogCase,
    Petition,
    PetitionAccused,
    PetitionLink,
    ReceptionDay,
)
from petitions.services import deadlines as clocks
from petitions.services.registration import query_code_hash

# petitions that can become backlog cases (still being handled or contested)
BACKLOG_STATES = (
    PetitionStatus.HANDLING,
    PetitionStatus.REVIEW_REQUESTED,
    PetitionStatus.REVIEWED,
    PetitionStatus.RE_REVIEW_REQUESTED,
)
# the demo's receipt: the most recent replied petition answers to this query code
DEMO_QUERY_CODE = "YMXF-DEMO-2026"

FORM_BY_CHANNEL = {
    "walk_in": [(PetitionForm.VISIT, 1)],
    "hotline": [(PetitionForm.PHONE, 1)],
    "online": [(PetitionForm.ONLINE, 1)],
    "petition_referral": [(PetitionForm.LETTER, 0.7), (PetitionForm.VISIT, 0.3)],
}
TYPE_WEIGHTS = [(PetitionType.APPEAL_REQUEST, 0.75), (PetitionType.SUGGESTION, 0.15), (PetitionType.ACCUSATION, 0.10)]
TRACK_WEIGHTS = [(Track.SIMPLE, 0.55), (Track.COMPLEX, 0.30), (Track.STANDARD, 0.15)]
FAST_DAYS = {Track.SIMPLE: 3, Track.COMPLEX: 21, Track.STANDARD: HANDLING_DAYS}
ORGANS = ["市自然资源局", "市住房和城乡建设局", "市人力资源和社会保障局", "市农业农村局", "所在镇人民政府"]
REPLIES = {
    ReplyOutcome.SUPPORT: "经调查核实，信访人反映的问题属实，诉求合理，予以支持，已督促责任单位限期解决。",
    ReplyOutcome.EXPLAIN: "经调查核实，信访人诉求有一定合理性但缺乏政策依据，已当面解释说明有关政策。",
    ReplyOutcome.NOT_SUPPORT: "经调查核实，信访人诉求缺乏事实依据，不予支持，并告知了其他救济途径。",
}
ACCUSED = ["村委会主任", "镇干部", "某局工作人员", "村会计"]
SATISFACTION = [("satisfied", 0.78), ("basically_satisfied", 0.15), ("dissatisfied", 0.07)]
SATISFACTION_NOT_SUPPORTED = [("satisfied", 0.25), ("basically_satisfied", 0.35), ("dissatisfied", 0.40)]


# display labels as plain strings, made once per run (lazy translations are slow in a loop)
LABELS: dict[str, str] = {}


def _labels() -> None:
    for choices in (PetitionForm, PetitionType, RefusalReason, Decision, Track, ReplyOutcome, Satisfaction):
        LABELS.update({value: str(label) for value, label in choices.choices})


def _pick(rng: random.Random, weights: list[tuple]) -> str:
    x, total = rng.random(), 0.0
    for value, weight in weights:
        total += weight
        if x < total:
            return value
    return weights[-1][0]


# --- History -------------------------------------------------------------------------------------


class _Clock:
    """Due times of calendar-day periods for a whole run with one working-day calendar (the core's
    rules: start day not counted, a last day off rolls to the next working day, ends 24:00)."""

    def __init__(self, first: date, last: date):
        self.tz = timezone.get_current_timezone()
        self.calendar = calendar.WorkCalendar(first, last + timedelta(days=HANDLING_DAYS * 3))
        self.cache: dict[tuple[date, int], datetime] = {}

    def _end_of(self, day: date, amount: int) -> datetime:
        key = (day, amount)
        if key not in self.cache:
            last = calendar.next_workday_on_or_after(day + timedelta(days=amount), self.calendar)
            end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
            # in UTC, like the times read from the database: comparing them needs no conversion
            self.cache[key] = end.astimezone(UTC)
        return self.cache[key]

    def due(self, start: datetime, amount: int) -> datetime:
        return self._end_of(start.astimezone(self.tz).date(), amount)

    def extended(self, due_at: datetime, amount: int) -> datetime:
        """An extension counts on from the old period's last day."""
        return self._end_of((due_at - timedelta(microseconds=1)).astimezone(self.tz).date(), amount)


class _History:
    def __init__(self, generator):
        self.generator = generator
        self.until: datetime = generator.until
        self.tz = generator.tz
        self.bases = {kind: str(text) for kind, text in clocks.BASES.items()}
        self.rng = random.Random(f"petitions-{generator.demo_offset}-{generator.count}")
        self.clock = _Clock(
            timezone.localdate(generator.until - timedelta(days=generator.days + 1)),
            timezone.localdate(generator.until),
        )
        self.petition_id = next_id(Petition)
        self.deadline_id = next_id(Deadline)
        self.events = BulkWriter(CaseEvent, ["case", "kind", "actor", "at", "message", "data"])
        self.deadlines = BulkWriter(
            Deadline,
            [
                "id",
                "kind",
                "subject_id",
                "case",
                "center",
                "department",
                "basis",
                "unit",
                "amount",
                "warn_ratio",
                "started_at",
                "started_on",
                "due_at",
                "warn_at",
                "state",
                "warned_at",
                "breached_at",
                "escalated_at",
                "completed_at",
                "extensions",
                "calendar_unconfirmed",
            ],
        )
        self.changes = BulkWriter(
            DeadlineChange, ["deadline", "action", "reason", "approver", "by", "at", "due_before", "due_after"]
        )
        self.fields = list(Petition._meta.concrete_fields)
        self.names = [f.name for f in self.fields]
        self.petitions = BulkWriter(Petition, self.names)
        self.defaults = {f.name: self._default(f) for f in self.fields}
        self.links = BulkWriter(PetitionLink, ["petition", "earlier", "kind", "created_at"])
        self.accused = BulkWriter(PetitionAccused, ["petition", "case", "department", "user", "name"])
        self.leaders = list(
            User.objects.filter(role_set__role=Role.LEADER, is_active=True)
            .order_by("id")
            .values_list("id", "center_id")
        )

    @staticmethod
    def _default(field):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        return ""

    # --- one timer, in the state the services and the sweep would have left it ----------------
    def timer(
        self,
        kind,
        petition_id,
        case,
        start,
        due,
        finished,
        *,
        department=None,
        basis="",
        unit=None,
        amount=None,
        extensions=0,
        window=False,
    ) -> tuple[int, str, datetime | None]:
        deadline_id = self.deadline_id
        self.deadline_id += 1
        warn = calendar.warn_time(start, due, 0.75)
        end = finished if finished is not None else self.until
        warned_at = warn if warn <= min(end, due) and not window else None
        breached_at = escalated_at = completed_at = None
        swept = due + timedelta(minutes=1)
        if finished is not None and finished <= due:
            state, completed_at = DeadlineState.MET, finished
        elif finished is not None and finished < swept:
            state, breached_at, completed_at = DeadlineState.BREACHED, finished, finished
        elif swept <= self.until:
            state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            completed_at = swept if window else finished
        elif finished is not None:
            state, breached_at, completed_at = DeadlineState.BREACHED, finished, finished
        else:
            state = DeadlineState.OPEN
        self.deadlines.add(
            deadline_id,
            kind,
            petition_id,
            case["id"],
            case["center_id"],
            department,
            basis or self.bases[kind],
            unit or TimeUnit.CALENDAR_DAYS,
            amount or REVIEW_DAYS,
            0.75,
            start,
            start.astimezone(self.tz).date(),
            due,
            warn,
            state,
            warned_at,
            breached_at,
            escalated_at,
            completed_at,
            extensions,
            False,
        )
        if escalated_at is not None and not window:
            self.event(case, "petition_overdue", None, escalated_at, "督办：信访事项超过期限仍未办结")
        return deadline_id, state, escalated_at

    def event(self, case, kind, actor, at, message) -> None:
        self.events.add(case["id"], kind, actor, at, message, {})

    def later(self, start: datetime, low_hours: float, high_hours: float) -> datetime:
        return start + timedelta(hours=self.rng.uniform(low_hours, high_hours))

    # --- the run ----------------------------------------------------------------------------------
    def run(self) -> None:
        ids = self.generator.case_ids
        if not ids:
            return
        cases = list(
            Case.objects.filter(pk__gte=ids.start, pk__lt=ids.stop, service_line=ServiceLine.PETITION)
            .order_by("registered_at", "id")
            .values(
                "id",
                "center_id",
                "channel",
                "category_id",
                "headcount",
                "status",
                "outcome",
                "registered_at",
                "closed_at",
                "first_handler_id",
                "center__path",
            )
        )
        if not cases:
            return
        first_dispatch: dict[int, datetime] = {}  # case → when it was first dispatched
        lead: dict[int, int] = {}  # case → its lead department
        names: dict[int, str] = {}
        for case_id, at, is_lead, department_id, name in (
            Dispatch.objects.filter(
                case_id__gte=ids.start, case_id__lt=ids.stop, case__service_line=ServiceLine.PETITION
            )
            .order_by("dispatched_at")
            .values_list("case_id", "dispatched_at", "is_lead", "department_id", "department__name")
        ):
            first_dispatch.setdefault(case_id, at)
            if is_lead:
                lead.setdefault(case_id, department_id)
            names[department_id] = name
        applicants: dict[int, int] = {}
        for case_id, person_id in (
            CaseParty.objects.filter(
                case_id__gte=ids.start, case_id__lt=ids.stop, case__service_line=ServiceLine.PETITION
            )
            .order_by("case_id", "order")
            .values_list("case_id", "person_id")
        ):
            applicants.setdefault(case_id, person_id)
        receptions = {(r.date, r.center_id): r.pk for r in ReceptionDay.objects.filter(cancelled_at__isnull=True)}
        demo_code_free = not Petition.objects.filter(query_code_hash=query_code_hash(DEMO_QUERY_CODE)).exists()
        writers = (self.petitions, self.deadlines, self.changes, self.events, self.links, self.accused)
        # PostgreSQL: the rows are loaded by a background COPY while the next ones are built; the
        # connection belongs to the pipeline until it is closed (no queries in this loop)
        pipeline = CopyPipeline() if connection.vendor == "postgresql" else None
        for writer in writers:
            writer.pipeline = pipeline
        try:
            self.build(cases, first_dispatch, lead, names, receptions, applicants)
            for writer in writers:
                writer.flush()
        finally:
            if pipeline is not None:
                pipeline.close()
        reset_sequences(Petition, Deadline)
        if self.last_replied is not None and demo_code_free:
            Petition.objects.filter(pk=self.last_replied).update(query_code_hash=query_code_hash(DEMO_QUERY_CODE))
        self.backlog(self.backlog_candidates)

    def build(self, cases, first_dispatch, lead, names, receptions, applicants) -> None:
        seen: dict[int, list[tuple[int, int]]] = {}  # person → [(petition id, category id)]
        self.backlog_candidates: list[tuple] = []
        self.last_replied: int | None = None
        for case in cases:
            pid = self.petition_id
            self.petition_id += 1
            row = self.petition(
                pid, case, first_dispatch.get(case["id"]), lead.get(case["id"]), names, receptions, seen, applicants
            )
            if row["status"] in (PetitionStatus.REPLIED, PetitionStatus.CLOSED) and row["reply_outcome"]:
                self.last_replied = pid
            if row["status"] in BACKLOG_STATES:
                # long-running and contested: repeat petitions first, then the oldest
                self.backlog_candidates.append((0 if row["is_repeat"] else 1, case["registered_at"], pid, case))
            self.petitions.add(*(row[name] for name in self.names))

    def petition(self, pid, case, dispatched_at, department_id, names, receptions, seen, applicants) -> dict:
        rng, until = self.rng, self.until
        registered = case["registered_at"]
        actor = case["first_handler_id"]
        form = _pick(rng, FORM_BY_CHANNEL.get(case["channel"], [(PetitionForm.VISIT, 1)]))
        type_ = _pick(rng, TYPE_WEIGHTS)
        row = dict(self.defaults)
        row.update(
            id=pid,
            case=case["id"],
            form=form,
            type=type_,
            headcount=case["headcount"],
            is_collective=case["headcount"] >= 5,
            # nobody holds these receipts: a unique digest is all the row needs
            query_code_hash=hashlib.sha256(f"demo-{pid}-{rng.getrandbits(64)}".encode()).hexdigest(),
            status=PetitionStatus.REGISTERED,
        )
        # repeat petitioners: the same person again (linked), in the same category a repeat petition
        person = applicants.get(case["id"])
        earlier = seen.get(person, []) if person else []
        row["is_repeat"] = any(category == case["category_id"] for _, category in earlier) or rng.random() < 0.03
        for earlier_id, _ in earlier[-3:]:
            self.links.add(pid, earlier_id, LinkKind.SAME_PERSON, registered)
        if person:
            seen.setdefault(person, []).append((pid, case["category_id"]))
        if form == PetitionForm.VISIT and case["center__path"] and len(case["center__path"]) == 4:
            row["reception"] = receptions.get((registered.astimezone(self.tz).date(), case["center_id"]))
        if type_ == PetitionType.ACCUSATION:
            self.accused.add(pid, case["id"], None, None, rng.choice(ACCUSED))
        self.event(
            case,
            "petition_registered",
            actor,
            registered,
            f"信访登记：{LABELS[form]}，{LABELS[type_]}，{case['headcount']}人"
            + ("，集体信访" if row["is_collective"] else "")
            + ("，重复信访" if row["is_repeat"] else ""),
        )

        # the decision: at the dispatch for dispatched cases, else some days later (a few late)
        decision_due = self.clock.due(registered, DECISION_DAYS)
        closed_at = case["closed_at"]
        if dispatched_at is not None:
            decided = dispatched_at
        elif closed_at is not None:
            decided = min(self.later(registered, 0.5, 4), closed_at - timedelta(minutes=5))
        else:
            # still registered on the ledger: decided outside the center, often late, or not yet
            late = rng.random() < 0.4
            decided = registered + timedelta(days=rng.uniform(16, 40) if late else rng.uniform(0.2, 13))
            if decided >= until or rng.random() < 0.1:
                decided = None
        refused = (
            dispatched_at is None
            and closed_at is not None
            and (case["outcome"] == Outcome.LITIGATION or rng.random() < 0.25)
        )
        self.timer(clocks.DECISION, pid, case, registered, decision_due, decided, amount=DECISION_DAYS)
        if decided is None:
            return row
        if refused:
            reason = (
                RefusalReason.LITIGATION
                if case["outcome"] == Outcome.LITIGATION
                else _pick(
                    rng,
                    [
                        (RefusalReason.ACCEPTED_ELSEWHERE, 0.4),
                        (RefusalReason.ARBITRATION, 0.3),
                        (RefusalReason.ADMINISTRATIVE_REVIEW, 0.3),
                    ],
                )
            )
            row.update(
                status=PetitionStatus.REFUSED,
                decision=Decision.REFUSE,
                decided_at=decided,
                decided_by=actor,
                refusal_reason=reason,
                refusal_notice=f"经审查，该信访事项{LABELS[reason]}，依照《信访工作条例》不予受理，请通过法定途径解决。",
            )
            self.event(case, "petition_refused", actor, decided, f"不予受理，已书面告知信访人：{LABELS[reason]}")
            return row

        # forwarded or assigned, to the dispatched department or an organ outside the center
        decision = Decision.ASSIGN if rng.random() < 0.35 else Decision.FORWARD
        track = _pick(rng, TRACK_WEIGHTS)
        amount = FAST_DAYS[track]
        assigned = None
        if decision == Decision.ASSIGN:
            assigned = amount if track != Track.STANDARD else rng.choice([15, 20, 30])
            amount = assigned
        organ = names.get(department_id, "") if department_id else rng.choice(ORGANS)
        row.update(
            status=PetitionStatus.HANDLING,
            decision=decision,
            decided_at=decided,
            decided_by=actor,
            track=track,
            handling_department=department_id,
            handling_organ=organ,
            assigned_days=assigned,
        )
        due = self.clock.due(decided, amount)
        self.event(
            case,
            f"petition_{decision}ed",
            actor,
            decided,
            f"{LABELS[decision]}{organ}办理（{LABELS[track]}），{due.astimezone(self.tz):%Y-%m-%d} 前办结答复",
        )
        replied = closed_at  # the reply closes the ledger case (petition_reply)
        handling_id = self.deadline_id
        extensions = 0
        if (
            track == Track.STANDARD
            and rng.random() < 0.15
            and (replied is None or replied > decided + timedelta(days=40))
        ):
            extension_at = decided + timedelta(days=rng.uniform(30, 55))
            if extension_at < until:
                days = rng.choice([10, 15, 20, 30])
                new_due = self.clock.extended(due, days)
                approver = self.leader_for(case)
                reason = "案情复杂，需要多部门联合调查核实"
                row.update(
                    extension_days=days, extension_reason=reason, extension_approver=approver, extended_at=extension_at
                )
                self.changes.add(
                    handling_id, DeadlineChange.Action.EXTEND, reason, approver, actor, extension_at, due, new_due
                )
                self.event(
                    case,
                    "petition_extended",
                    actor,
                    extension_at,
                    f"经领导批准，办理期限延长{days}日，已告知信访人延期理由",
                )
                due, extensions = new_due, 1
        basis = (
            self.bases[clocks.HANDLING]
            if track == Track.STANDARD and assigned is None
            else (f"交办期限{assigned}日" if assigned else f"本地快速办理（{LABELS[track]}）")
        )
        self.timer(
            clocks.HANDLING,
            pid,
            case,
            decided,
            due,
            replied,
            department=department_id,
            basis=basis,
            amount=amount,
            extensions=extensions,
        )
        if replied is None:
            return row

        # the written reply; then perhaps a review and a re-review; else the window closes
        outcome = (
            _pick(rng, [(ReplyOutcome.SUPPORT, 0.7), (ReplyOutcome.EXPLAIN, 0.3)])
            if case["outcome"] in ("", Outcome.RESOLVED)
            else _pick(rng, [(ReplyOutcome.EXPLAIN, 0.5), (ReplyOutcome.NOT_SUPPORT, 0.5)])
        )
        row.update(
            status=PetitionStatus.REPLIED,
            reply_outcome=outcome,
            reply_text=REPLIES[outcome],
            replied_at=replied,
            replied_by=actor,
        )
        self.event(case, "petition_replied", actor, replied, f"书面答复信访人：{LABELS[outcome]}")
        if rng.random() < 0.7:
            rated = self.later(replied, 24, 24 * 10)
            if rated < until:
                satisfaction = _pick(
                    rng, SATISFACTION if outcome != ReplyOutcome.NOT_SUPPORT else SATISFACTION_NOT_SUPPORTED
                )
                row.update(
                    satisfaction=satisfaction,
                    rated_at=rated,
                    rated_via=_pick(rng, [(RatingVia.STAFF, 0.6), (RatingVia.QUERY_CODE, 0.4)]),
                )
                self.event(case, "petition_rated", None, rated, f"信访人评价：{LABELS[satisfaction]}")
        self.stage(row, case, pid, actor, replied, "review", 0.06 if outcome == ReplyOutcome.SUPPORT else 0.2)
        return row

    def stage(self, row, case, pid, actor, opened, stage: str, share: float) -> None:
        """The petitioner's 30-day window after an answer, and the review (or re-review) it may bring."""
        rng, until = self.rng, self.until
        window_kind = clocks.REVIEW_WINDOW if stage == "review" else clocks.RE_REVIEW_WINDOW
        answer_kind = clocks.REVIEW if stage == "review" else clocks.RE_REVIEW
        window_due = self.clock.due(opened, REVIEW_DAYS)
        requested = self.later(opened, 24 * 3, 24 * 28) if rng.random() < share else None
        if requested is not None and requested >= until:
            requested = None
        _, state, lapsed_at = self.timer(window_kind, pid, case, opened, window_due, requested, window=True)
        if requested is None:
            if state == DeadlineState.BREACHED:
                row.update(status=PetitionStatus.CLOSED, finalized_at=lapsed_at)
                self.event(
                    case, "petition_finalized", None, lapsed_at, "信访人在法定期限内未请求复查（复核），信访事项终结"
                )
            return
        label = "复查" if stage == "review" else "复核"
        row.update(
            status=PetitionStatus.REVIEW_REQUESTED if stage == "review" else PetitionStatus.RE_REVIEW_REQUESTED,
            **{
                f"{stage}_requested_at": requested,
                f"{stage}_request": f"对处理意见不服，请求{label}",
                f"{stage}_organ": "酒泉市信访局",
            },
        )
        self.event(case, f"petition_{stage}_requested", actor, requested, f"信访人请求{label}")
        answer_due = self.clock.due(requested, REVIEW_DAYS)
        answered = self.later(requested, 24 * 5, 24 * 33)
        answered = answered if answered < until else None
        self.timer(answer_kind, pid, case, requested, answer_due, answered)
        if answered is None:
            return
        outcome = _pick(
            rng, [(ReplyOutcome.EXPLAIN, 0.4), (ReplyOutcome.NOT_SUPPORT, 0.5), (ReplyOutcome.SUPPORT, 0.1)]
        )
        row.update(**{f"{stage}_outcome": outcome, f"{stage}_text": REPLIES[outcome], f"{stage}ed_at": answered})
        self.event(case, f"petition_{stage}ed", actor, answered, f"{label}意见：{LABELS[outcome]}")
        if stage == "review":
            row["status"] = PetitionStatus.REVIEWED
            self.stage(row, case, pid, actor, answered, "re_review", 0.25)
        else:
            row.update(status=PetitionStatus.CLOSED, finalized_at=answered)

    def leader_for(self, case) -> int | None:
        for user_id, center_id in self.leaders:
            if center_id and case["center__path"].startswith(self._path(center_id)):
                return user_id
        return self.leaders[0][0] if self.leaders else None

    def _path(self, center_id: int) -> str:
        if not hasattr(self, "_paths"):
            from governance.models import Center

            self._paths = dict(Center.objects.values_list("pk", "path"))
        return self._paths.get(center_id, "\0")

    def backlog(self, candidates: list[tuple]) -> None:
        """Some long-running, contested petitions become backlog cases (积案) with stars and the
        leader in charge (包案)."""
        if not self.leaders:
            return
        rows = []
        for index, (repeat_rank, _at, pid, case) in enumerate(sorted(candidates, key=lambda c: c[:2])[:12]):
            rows.append(
                BacklogCase(
                    petition_id=pid,
                    stars=min(5, 1 + index % 5 + (1 if case["headcount"] >= 5 else 0)),
                    leader_id=self.leaders[index % len(self.leaders)][0],
                    reason="同一信访人多次反映同一事项，久拖未决"
                    if repeat_rank == 0
                    else "涉及面广、化解难度大，久拖未决",
                    designated_at=case["registered_at"] + timedelta(days=20),
                )
            )
        BacklogCase.objects.bulk_create(rows)


def generate_history(generator) -> None:
    """Petitions on the cases of the `petition` service line the core generator has just written."""
    _labels()
    _History(generator).run()
