"""The grids' share of generated history, in proportion to the generated cases: grid events (almost
all closed on site, about one in a hundred escalated — those become the generated `grid_report`
cases — and some 12345 tickets sent straight to a grid), their handling timers, and the work logs.
Written in bulk, as the services would have left them; `stats_rebuild` then recomputes the grid
rollup from them."""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from governance import calendar
from governance.bulk import BulkWriter, next_id, reset_sequences
from governance.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CenterLevel,
    Channel,
    Deadline,
    DeadlineState,
    Dispatch,
    Outcome,
    Role,
    ServiceLine,
    TimeUnit,
    User,
)
from grids.models import (
    EventCategory,
    EventSource,
    EventStatus,
    Grid,
    GridEvent,
    GridMember,
    Household,
    LogKind,
    MemberRole,
    Supervision,
    Tier,
    WorkLog,
)
from grids.services.deadlines import DEFAULT_LIMITS, RED, kind_for

# Volume of history per generated case (Yumen: ~192,000 events and ~450,000 log records a year).
EVENTS_PER_CASE = 0.2
LOGS_PER_EVENT = 2.3
SCREENINGS_PER_EVENT = 0.8
ESCALATED_SHARE = 0.01
HOTLINE_SHARE = 0.004
INVALID_SHARE = 0.004

CATEGORY_WEIGHTS = {
    EventCategory.LIVELIHOOD: 40,
    EventCategory.PUBLIC_SECURITY: 20,
    EventCategory.SPECIAL_GROUPS: 12,
    EventCategory.PUBLIC_OPINION: 12,
    EventCategory.LEGAL_PUBLICITY: 8,
    EventCategory.OTHER: 6,
    EventCategory.DISPUTE: 1,
    EventCategory.EMERGENCY: 1,
}
SUMMARIES = {
    EventCategory.LIVELIHOOD: ["独居老人申请代办医保报销", "村道路灯损坏需维修", "自来水管道漏水影响供水"],
    EventCategory.PUBLIC_SECURITY: ["废弃机井未封盖存在安全隐患", "出租屋电动车违规充电", "路口护栏损坏"],
    EventCategory.SPECIAL_GROUPS: [
        "走访社区矫正对象，情况稳定",
        "留守儿童家庭走访，需学业帮扶",
        "重点关爱对象生活困难",
    ],
    EventCategory.PUBLIC_OPINION: ["群众反映灌溉水费收取标准", "村民建议增设公交站点", "群众关注低保评议结果"],
    EventCategory.LEGAL_PUBLICITY: ["入户宣传反电信诈骗知识", "院坝会宣讲民法典婚姻家庭编", "发放防范非法集资宣传资料"],
    EventCategory.DISPUTE: ["邻里因宅基地界址发生争执", "兄弟因赡养老人费用分担发生矛盾", "承包地灌溉用水纠纷"],
    EventCategory.EMERGENCY: ["强降雨致农户院墙倒塌", "林区发现烟点", "农户家中燃气泄漏"],
    EventCategory.OTHER: ["流浪犬伤人隐患", "垃圾清运不及时", "废弃房屋存在坍塌风险"],
}
RESULTS = {
    EventCategory.DISPUTE: "网格员现场调解，双方达成一致",
    EventCategory.EMERGENCY: "现场处置，已排除险情",
}


def _weighted(weights: dict):
    keys = list(weights)
    cumulative = list(itertools.accumulate(weights.values()))
    total = cumulative[-1]

    def pick(rng: random.Random):
        x = rng.random() * total
        for key, edge in zip(keys, cumulative, strict=True):
            if x < edge:
                return key
        return keys[-1]

    return pick


# --- History ----------------------------------------------------------------------------------------


@dataclass
class _GridInfo:
    grid_id: int
    center_id: int
    worker_id: int | None
    nodes: list[int]
    households: list[int] = field(default_factory=list)


class _Due:
    """compute_due for many timers with one calendar (the service does a query per timer)."""

    def __init__(self, start: date, end: date):
        self.calendar = calendar.WorkCalendar(start, end + timedelta(days=120))
        self.cache: dict[tuple, datetime] = {}
        self.tz = timezone.get_current_timezone()

    def __call__(self, start: datetime, unit: str, amount: int) -> datetime:
        if unit == TimeUnit.CLOCK_HOURS:
            return start + timedelta(hours=amount)
        day = start.astimezone(self.tz).date()
        key = (day, unit, amount)
        if key not in self.cache:
            if unit == TimeUnit.CALENDAR_DAYS:
                last = calendar.next_workday_on_or_after(day + timedelta(days=amount), self.calendar)
            else:
                last = calendar.add_working_days(day, amount, self.calendar)
            self.cache[key] = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
        return self.cache[key]


class HistoryGenerator:
    def __init__(self, generator):
        self.g = generator
        self.rng = random.Random(f"grids-{generator.rng.random()}")
        self.until = generator.until
        self.start = generator.until - timedelta(days=generator.days)
        self.tz = timezone.get_current_timezone()

    def _delay(self, median_minutes: float, spread: float = 1.0) -> timedelta:
        return timedelta(minutes=median_minutes * math.exp(self.rng.gauss(0, spread)))

    def _load(self) -> bool:
        tops = list(Grid.objects.filter(depth=1, is_active=True).select_related("center").order_by("path"))
        if not tops:
            return False
        workers = dict(
            GridMember.objects.filter(role=MemberRole.FULL_TIME, is_active=True, user__isnull=False, grid__depth=1)
            .order_by("id")
            .values_list("grid_id", "user_id")
        )
        nodes = Grid.objects.values_list("pk", "path")
        by_prefix: dict[str, list[int]] = defaultdict(list)
        for pk, path in nodes:
            by_prefix[path[: Grid.steplen]].append(pk)
        node_top = {}
        self.grids: list[_GridInfo] = []
        for top in tops:
            info = _GridInfo(top.pk, top.center_id, workers.get(top.pk), by_prefix[top.path])
            self.grids.append(info)
            for node in info.nodes:
                node_top[node] = info
        for household_id, grid_id in Household.objects.values_list("pk", "grid_id"):
            if grid_id in node_top:
                node_top[grid_id].households.append(household_id)
        self.by_center: dict[int, list[_GridInfo]] = defaultdict(list)
        center_paths = {}
        for top in tops:
            center_paths[top.center_id] = top.center.path
        for info in self.grids:
            self.by_center[info.center_id].append(info)
        self.center_paths = center_paths
        return True

    def _grids_under(self, center_path: str) -> list[_GridInfo]:
        return [info for info in self.grids if self.center_paths[info.center_id].startswith(center_path)]

    def run(self) -> None:
        if not self._load():
            return
        count = len(self.g.case_ids)
        if not count:
            return
        # the cases this run wrote: a range of ids (never a list of 100,000 parameters)
        self._new_cases = Q(pk__gte=self.g.case_ids.start, pk__lt=self.g.case_ids.stop)
        self.events_total = max(1, round(count * EVENTS_PER_CASE))
        # the kinds' defaults (the demo writes no SLA policy for grid kinds), their basis as text once
        self.limits = {cat: (unit, amount, str(basis)) for cat, (unit, amount, basis) in DEFAULT_LIMITS.items()}
        self.due = _Due(timezone.localtime(self.start).date(), timezone.localtime(self.until).date())
        self.event_id = next_id(GridEvent)
        self.deadline_id = next_id(Deadline)
        self.w = {
            "event": BulkWriter(
                GridEvent,
                [
                    "id",
                    "grid",
                    "center",
                    "category",
                    "source",
                    "status",
                    "tier",
                    "supervision",
                    "summary",
                    "place",
                    "people_involved",
                    "dispute_category",
                    "risk_level",
                    "reported_by",
                    "worker",
                    "reported_at",
                    "reported_on",
                    "reviewed_by",
                    "reviewed_at",
                    "review_note",
                    "handled_by",
                    "handled_at",
                    "result",
                    "resolved",
                    "escalated_by",
                    "escalated_at",
                    "escalation_reason",
                    "case",
                    "escalated_closed_at",
                    "fed_back_by",
                    "fed_back_at",
                    "feedback_note",
                    "deadline",
                    "red_deadline",
                    "updated_at",
                ],
            ),
            "deadline": BulkWriter(
                Deadline,
                [
                    "id",
                    "kind",
                    "subject_id",
                    "case",
                    "center",
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
            ),
            "log": BulkWriter(
                WorkLog,
                [
                    "grid",
                    "center",
                    "worker",
                    "kind",
                    "occurred_at",
                    "occurred_on",
                    "household",
                    "households",
                    "place",
                    "note",
                    "issues_found",
                ],
            ),
            "case_event": BulkWriter(CaseEvent, ["case", "kind", "actor", "at", "message", "data"]),
        }
        self.reviewers = self._reviewers()
        linked = self._escalated_cases() + self._hotline_cases()
        for case in linked:
            self._linked_event(case)
        pick_category = _weighted(CATEGORY_WEIGHTS)
        for _i in range(max(0, self.events_total - len(linked))):
            self._event(pick_category(self.rng))
        self._logs()
        for writer in self.w.values():
            writer.flush()
        reset_sequences(GridEvent, Deadline, WorkLog)

    def _reviewers(self) -> dict[int, int | None]:
        """Who reviews a village's events in the demo: its grid leader's account, else the nearest
        window staff above it."""
        staff = {}
        for user_id, center_path in User.objects.filter(role_set__role=Role.WINDOW_STAFF).values_list(
            "pk", "center__path"
        ):
            staff.setdefault(center_path, user_id)
        leaders = dict(
            GridMember.objects.filter(role=MemberRole.GRID_LEADER, user__isnull=False).values_list(
                "grid__center_id", "user_id"
            )
        )
        result = {}
        for center_id, path in self.center_paths.items():
            chosen = leaders.get(center_id)
            for end in range(len(path), 0, -4):
                if chosen:
                    break
                chosen = staff.get(path[:end])
            result[center_id] = chosen
        return result

    # --- events ---------------------------------------------------------------------------------

    def _escalated_cases(self) -> list[dict]:
        target = max(1, round(self.events_total * ESCALATED_SHARE))
        ids = list(
            Case.objects.filter(self._new_cases, channel=Channel.GRID_REPORT)
            .exclude(Exists(GridEvent.objects.filter(case=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        chosen = self.rng.sample(ids, min(target, len(ids)))
        cases = list(
            Case.objects.filter(pk__in=chosen)
            .values(
                "pk",
                "center_id",
                "center__path",
                "center__level",
                "category_id",
                "risk_level",
                "service_line",
                "status",
                "outcome",
                "closed_at",
                "registered_at",
                "first_handler_id",
                "summary",
            )
            .order_by("pk")
        )
        return [dict(c, source=EventSource.GRID_REPORT) for c in cases]

    def _hotline_cases(self) -> list[dict]:
        target = round(self.events_total * HOTLINE_SHARE)
        cases = list(
            Case.objects.filter(
                self._new_cases,
                channel=Channel.HOTLINE,
                service_line__in=[ServiceLine.MEDIATION, ServiceLine.GRID],
            )
            .exclude(Exists(Dispatch.objects.filter(case=OuterRef("pk"))))
            .exclude(Exists(GridEvent.objects.filter(case=OuterRef("pk"))))
            .values(
                "pk",
                "center_id",
                "center__path",
                "center__level",
                "category_id",
                "risk_level",
                "service_line",
                "status",
                "outcome",
                "closed_at",
                "registered_at",
                "first_handler_id",
                "summary",
            )
            .order_by("pk")[:target]
        )
        return [dict(c, source=EventSource.HOTLINE) for c in cases]

    def _deadline(self, event_id, kind, case_id, center_id, unit, amount, start, finished, basis) -> tuple:
        """One timer as the sweep and the services would have left it: (id, state, supervision, due)."""
        deadline_id = self.deadline_id
        self.deadline_id += 1
        due = self.due(start, unit, amount)
        warn = start + timedelta(seconds=math.floor((due - start).total_seconds() * 0.75))
        end = finished if finished is not None else self.until
        warned_at = warn if warn <= min(end, due) else None
        swept = due + timedelta(minutes=1)
        breached_at = escalated_at = None
        supervision = Supervision.REMINDED if warned_at else Supervision.NONE
        if finished is not None and finished <= due:
            state = DeadlineState.MET
        elif finished is not None and finished < swept:
            state, breached_at = DeadlineState.BREACHED, finished
        elif swept <= min(end, self.until):
            state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            supervision = Supervision.YELLOW
        else:
            state = DeadlineState.OPEN
        self.w["deadline"].add(
            deadline_id,
            kind,
            event_id,
            case_id,
            center_id,
            basis,
            unit,
            amount,
            0.75,
            start,
            start.astimezone(self.tz).date(),
            due,
            warn,
            state,
            warned_at,
            breached_at,
            escalated_at,
            finished if state != DeadlineState.OPEN else None,
            0,
            False,
        )
        return deadline_id, state, supervision, swept

    def _timers(self, event_id, category, case_id, center_id, start, finished) -> tuple[int, int | None, str]:
        unit, amount, basis = self.limits[category]
        deadline_id, _state, supervision, swept = self._deadline(
            event_id, kind_for(category), case_id, center_id, unit, amount, start, finished, basis
        )
        red_id = None
        if supervision == Supervision.YELLOW:  # a red-card timer starts at the yellow card
            red_id, _red_state, red_supervision, _red_swept = self._deadline(
                event_id, RED, case_id, center_id, unit, amount, swept, finished, "黄牌督办后仍未处置"
            )
            if red_supervision == Supervision.YELLOW:
                supervision = Supervision.RED
        return deadline_id, red_id, supervision

    def _when(self) -> datetime:
        while True:
            moment = self.start + timedelta(seconds=self.rng.random() * (self.until - self.start).total_seconds())
            hour = moment.astimezone(self.tz).hour
            if 7 <= hour < 20 or self.rng.random() < 0.1:
                return moment

    def _event(self, category: str) -> None:
        rng = self.rng
        info = rng.choice(self.grids)
        reported_at = self._when()
        summary = rng.choice(SUMMARIES[category])
        self._write_event(
            info=info,
            node=self._node(info),
            category=category,
            source=EventSource.GRID_REPORT,
            summary=summary,
            reported_at=reported_at,
            case=None,
        )

    def _node(self, info: _GridInfo) -> int:
        """Most events are reported on the grid itself, some on a group or a household unit."""
        return info.grid_id if self.rng.random() < 0.7 else self.rng.choice(info.nodes)

    def _linked_event(self, case: dict) -> None:
        rng = self.rng
        grids = self._grids_under(case["center__path"])
        if not grids:
            return
        info = rng.choice(grids)
        if case["source"] == EventSource.HOTLINE:
            reported_at = case["registered_at"] + self._delay(30, 0.6)
        else:  # the event was found and reviewed some hours before it was escalated (= registered)
            reported_at = case["registered_at"] - self._delay(240, 0.8)
        dispute = case["service_line"] == ServiceLine.MEDIATION or case["source"] == EventSource.HOTLINE
        category = EventCategory.DISPUTE if dispute else rng.choice([c for c in CATEGORY_WEIGHTS if c != "dispute"])
        self._write_event(
            info=info,
            node=self._node(info),
            category=category,
            source=case["source"],
            summary=case["summary"],
            reported_at=reported_at,
            case=case,
        )

    def _write_event(self, *, info, node, category, source, summary, reported_at, case) -> None:
        rng = self.rng
        event_id = self.event_id
        self.event_id += 1
        worker = info.worker_id
        reviewer = self.reviewers.get(info.center_id)
        hotline = source == EventSource.HOTLINE
        escalated_case = case is not None and not hotline
        status = EventStatus.REPORTED
        tier = Tier.GRID
        reviewed_at = handled_at = escalated_at = escalated_closed_at = fed_back_at = None
        reviewed_by = handled_by = escalated_by = fed_back_by = None
        result = feedback_note = review_note = reason = ""
        resolved = None
        finished = None  # when the handling timer stopped
        dispute_category = case["category_id"] if case else None
        risk = case["risk_level"] if case else "blue"

        if hotline:
            status, reviewed_at, reviewed_by, review_note = (
                EventStatus.ACCEPTED,
                reported_at,
                case["first_handler_id"],
                "请网格员现场调处",
            )
        else:
            reviewed_at = reported_at + self._delay(90, 0.9)
            if escalated_case:
                reviewed_at = min(reviewed_at, case["registered_at"] - timedelta(minutes=5))
            if reviewed_at < self.until:
                reviewed_by = reviewer
                if not escalated_case and rng.random() < INVALID_SHARE:
                    status, review_note = EventStatus.INVALID, "重复上报"
                    finished = None
                else:
                    status = EventStatus.ACCEPTED
            else:
                reviewed_at = None

        if escalated_case:
            escalated_at = case["registered_at"]
            escalated_by = worker
            reason = "当事人分歧较大，网格调解未果，提请村综治中心处理"
            finished = escalated_at
            level = case["center__level"]
            tier = {CenterLevel.VILLAGE: Tier.VILLAGE, CenterLevel.TOWNSHIP: Tier.TOWNSHIP}.get(level, Tier.COUNTY)
            status = EventStatus.ESCALATED
            if case["status"] == CaseStatus.CLOSED:
                status, escalated_closed_at = EventStatus.ESCALATED_CLOSED, case["closed_at"]
                resolved = case["outcome"] == Outcome.RESOLVED
                back = escalated_closed_at + self._delay(600, 1.0)
                if back < self.until and rng.random() < 0.85:
                    status, fed_back_at, fed_back_by = EventStatus.FED_BACK, back, worker
                    feedback_note = "已向当事人反馈处理结果"
        elif status == EventStatus.ACCEPTED:
            median = 40 if category == EventCategory.EMERGENCY else 180
            done = (reviewed_at or reported_at) + self._delay(median, 1.1)
            if hotline and case["status"] == CaseStatus.CLOSED:  # the center closed the ticket after the grid
                done = max(reported_at + timedelta(minutes=5), min(done, case["closed_at"] - timedelta(minutes=5)))
            if done < self.until:
                status, handled_at, handled_by, finished = EventStatus.CLOSED_ON_SITE, done, worker, done
                result = RESULTS.get(category, "已现场处置完毕")
                resolved = True if category != EventCategory.DISPUTE else rng.random() < 0.985
                back = done + self._delay(120, 1.0)
                if back < self.until and rng.random() < 0.95:
                    status, fed_back_at, fed_back_by = EventStatus.FED_BACK, back, worker
                    feedback_note = "已告知群众处置结果"

        case_id = case["pk"] if case else None
        if status == EventStatus.INVALID:
            deadline_id, red_id, supervision = self._cancelled_timer(
                event_id, category, info.center_id, reported_at, reviewed_at
            )
        else:
            timer_case = case_id if hotline else None
            deadline_id, red_id, supervision = self._timers(
                event_id, category, timer_case, info.center_id, reported_at, finished
            )
        last = max(
            t for t in (reported_at, reviewed_at, handled_at, escalated_at, escalated_closed_at, fed_back_at) if t
        )
        self.w["event"].add(
            event_id,
            node,
            info.center_id,
            category,
            source,
            status,
            tier,
            supervision,
            summary,
            "",
            "",
            dispute_category if category == EventCategory.DISPUTE else None,
            risk,
            case["first_handler_id"] if hotline else worker,
            worker,
            reported_at,
            reported_at.astimezone(self.tz).date(),
            reviewed_by,
            reviewed_at,
            review_note,
            handled_by,
            handled_at,
            result,
            resolved,
            escalated_by,
            escalated_at,
            reason,
            case_id,
            escalated_closed_at,
            fed_back_by,
            fed_back_at,
            feedback_note,
            deadline_id,
            red_id,
            last,
        )
        if case is not None:
            self._case_events(case, event_id, info, reported_at, handled_at, escalated_at, fed_back_at, result, reason)

    def _cancelled_timer(self, event_id, category, center_id, start, at) -> tuple[int, None, str]:
        unit, amount, basis = self.limits[category]
        deadline_id = self.deadline_id
        self.deadline_id += 1
        due = self.due(start, unit, amount)
        warn = start + timedelta(seconds=math.floor((due - start).total_seconds() * 0.75))
        swept = due + timedelta(minutes=1)
        late = swept < at  # the sweep breached it before the review refused it
        self.w["deadline"].add(
            deadline_id,
            kind_for(category),
            event_id,
            None,
            center_id,
            basis,
            unit,
            amount,
            0.75,
            start,
            start.astimezone(self.tz).date(),
            due,
            warn,
            DeadlineState.BREACHED if late else DeadlineState.CANCELLED,
            warn if warn <= at else None,
            swept if late else None,
            swept if late else None,
            at,
            0,
            False,
        )
        return deadline_id, None, Supervision.YELLOW if late else Supervision.NONE

    def _case_events(self, case, event_id, info, reported_at, handled_at, escalated_at, fed_back_at, result, reason):
        add = self.w["case_event"].add
        data = {"grid_event": event_id}
        if case["source"] == EventSource.HOTLINE:
            add(case["pk"], "grid_assigned", case["first_handler_id"], reported_at, "12345工单派至网格", data)
            if handled_at:
                add(case["pk"], "grid_closed_on_site", info.worker_id, handled_at, f"网格现场办结：{result}", data)
        elif escalated_at:
            add(case["pk"], "grid_escalated", info.worker_id, escalated_at, f"网格事件提级：{reason}", data)
        if fed_back_at:
            add(case["pk"], "grid_fed_back", info.worker_id, fed_back_at, "网格员已向群众反馈", data)

    # --- work logs ----------------------------------------------------------------------------------

    def _logs(self) -> None:
        """Daily screening per worker and working day; household visits, patrols and key-person checks
        in Yumen's proportions (360,000 : 73,000 : 16,600)."""
        rng = self.rng
        add = self.w["log"].add
        staffed = [info for info in self.grids if info.worker_id]
        if not staffed:
            return
        first_day = self.start.astimezone(self.tz).date() + timedelta(days=1)
        last_day = self.until.astimezone(self.tz).date()
        days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
        workdays = [day for day in days if day.weekday() < 5]
        # a day's screening per worker and working day, in proportion to this run's events (a full
        # demo year gives nearly every worker every working day), never twice the same day
        slots = len(staffed) * len(workdays)
        for slot in rng.sample(range(slots), min(slots, round(self.events_total * SCREENINGS_PER_EVENT))):
            info, day = staffed[slot % len(staffed)], workdays[slot // len(staffed)]
            at = self._at(day, 17)
            if at < self.until:
                add(
                    info.grid_id,
                    info.center_id,
                    info.worker_id,
                    LogKind.SCREENING,
                    at,
                    day,
                    None,
                    rng.randint(15, 45),
                    "",
                    "一日一排查",
                    1 if rng.random() < 0.03 else 0,
                )
        total = round(self.events_total * LOGS_PER_EVENT)
        pick_kind = _weighted({LogKind.HOUSEHOLD_VISIT: 360, LogKind.PATROL: 73, LogKind.KEY_PERSON: 17})
        for _i in range(total):
            info = rng.choice(staffed)
            day = rng.choice(days)
            if day.weekday() >= 5 and rng.random() < 0.6:
                day = day - timedelta(days=day.weekday() - 4)
                if day < first_day:
                    continue
            at = self._at(day, rng.randint(8, 17))
            if at >= self.until:
                continue
            kind = pick_kind(rng)
            household = rng.choice(info.households) if kind == LogKind.HOUSEHOLD_VISIT and info.households else None
            note = {"household_visit": "入户走访，了解家庭情况", "patrol": "网格巡查", "key_person": "重点人员走访"}[
                kind
            ]
            add(info.grid_id, info.center_id, info.worker_id, kind, at, day, household, 1, "", note, 0)

    def _at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=self.tz)


def generate_history(generator) -> None:
    """Registered with the core: the grids' share of a `seed_demo` run."""
    HistoryGenerator(generator).run()
