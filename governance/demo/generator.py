"""Realistic history for the demo and the benchmarks: cases over a period with the real mix of
channels, service lines, categories and risk levels; returning visitors; dispatches answered on
time and late; closures; follow-ups; every deadline row and timeline event; walk-in visits.

The result is what the services would have produced had the cases been entered one by one
(states, deadlines, events, rollups), only written in bulk. `stats_rebuild` recomputes the
rollups at the end and the invariants hold: the dashboard equals direct counts of the ledger.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric

from governance.bulk import BulkWriter, CopyPipeline, next_id, reset_sequences, secondary_structures_deferred
from governance.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseParty,
    CaseStat,
    CaseStatus,
    Category,
    Center,
    Channel,
    Deadline,
    DeadlineStat,
    DeadlineState,
    Department,
    Dispatch,
    DispatchStat,
    DispatchStatus,
    FollowUp,
    Outcome,
    PartyRole,
    Person,
    RiskLevel,
    Satisfaction,
    ServiceLine,
    Sex,
    TimeUnit,
    User,
)
from governance.services.dispatch import FEEDBACK, RESPONSE
from governance.services.stats import stats_rebuild

DEMO_REF = "DEMO-"  # external_ref prefix of generated cases: how a rerun knows what exists

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕波辉鹏宇浩凯婷雪梅琳晨欣怡佳悦子涵泽宁安福德义礼智信春秋冬"
# Yumen and neighbours; which code is valid depends on the birth year (Yumen was 622101 before 2002)
REGION_CODES = ["622101", "620981", "620902", "620921", "620102", "620103", "620121", "620122", "620123"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
]

CHANNEL_WEIGHTS = {
    Channel.WALK_IN: 35,
    Channel.HOTLINE: 20,
    Channel.GRID_REPORT: 20,
    Channel.COURT_REFERRAL: 8,
    Channel.POLICE_REFERRAL: 7,
    Channel.PETITION_REFERRAL: 5,
    Channel.ONLINE: 5,
}
LINES_BY_CHANNEL = {
    Channel.WALK_IN: {ServiceLine.MEDIATION: 45, ServiceLine.LEGAL_SERVICES: 25, ServiceLine.PETITION: 30},
    Channel.HOTLINE: {ServiceLine.MEDIATION: 50, ServiceLine.GRID: 30, ServiceLine.PETITION: 20},
    Channel.GRID_REPORT: {ServiceLine.GRID: 60, ServiceLine.MEDIATION: 40},
    Channel.COURT_REFERRAL: {ServiceLine.COURT_DOCKING: 100},
    Channel.POLICE_REFERRAL: {ServiceLine.MEDIATION: 100},
    Channel.PETITION_REFERRAL: {ServiceLine.PETITION: 70, ServiceLine.MEDIATION: 30},
    Channel.ONLINE: {ServiceLine.MEDIATION: 40, ServiceLine.LEGAL_SERVICES: 30, ServiceLine.PETITION: 30},
}
CATEGORY_WEIGHTS = {
    "marriage_family": 20,
    "neighbour": 12,
    "housing_homestead": 8,
    "contract": 6,
    "business": 4,
    "damages": 6,
    "land_forest": 8,
    "land_requisition": 4,
    "pollution": 2,
    "labour": 10,
    "consumer": 3,
    "medical": 2,
    "road_traffic": 5,
    "property_management": 4,
    "lending": 4,
    "other": 2,
}
RISK_WEIGHTS = {RiskLevel.BLUE: 75, RiskLevel.YELLOW: 20, RiskLevel.RED: 5}
DEPARTMENTS_BY_CATEGORY = {
    "marriage_family": ["妇女联合会", "司法局（公共法律服务中心）", "民政局"],
    "neighbour": ["司法局（公共法律服务中心）", "公安局（警调对接室）"],
    "housing_homestead": ["自然资源局", "住房和城乡建设局"],
    "contract": ["人民法院（诉调对接中心）", "司法局（公共法律服务中心）"],
    "business": ["市场监督管理局", "农业农村局"],
    "damages": ["公安局（警调对接室）", "人民法院（诉调对接中心）"],
    "land_forest": ["自然资源局", "林业和草原局", "水务局", "农业农村局"],
    "land_requisition": ["自然资源局", "住房和城乡建设局"],
    "pollution": ["生态环境局"],
    "labour": ["人力资源和社会保障局", "总工会"],
    "consumer": ["市场监督管理局"],
    "medical": ["卫生健康委员会", "医疗保障局"],
    "road_traffic": ["公安局（警调对接室）", "交通运输局"],
    "property_management": ["住房和城乡建设局", "城市管理综合执法局"],
    "lending": ["人民法院（诉调对接中心）", "金融监管支局"],
    "other": ["信访局", "民政局", "退役军人事务局"],
}
SUMMARIES = {
    "marriage_family": [
        "因子女抚养费支付问题与前夫发生争执，请求调解",
        "老人反映子女不履行赡养义务",
        "兄弟间因父母遗产分割发生纠纷",
    ],
    "neighbour": ["与邻居因房屋排水问题发生纠纷", "邻居加盖房屋影响采光，协商未果", "因通行道路被堵与邻居发生争执"],
    "housing_homestead": ["宅基地界址不清与邻户发生争议", "房屋租赁到期押金未退还", "农村房屋买卖合同履行争议"],
    "contract": ["承揽合同工程款结算争议", "买卖合同货款拖欠", "借用农机具损坏赔偿争议"],
    "business": ["合伙经营养殖场分红争议", "土地流转经营收益分配纠纷"],
    "damages": ["饲养的牲畜毁坏他人庄稼，赔偿协商不成", "斗殴致人受伤赔偿纠纷", "施工损坏相邻房屋墙体"],
    "land_forest": ["承包地边界争议", "灌溉用水分配纠纷", "林地权属争议"],
    "land_requisition": ["征地补偿款分配有异议", "拆迁安置面积认定争议"],
    "pollution": ["养殖场异味影响周边居民", "夜间施工噪声扰民"],
    "labour": ["农民工被拖欠工资，多次讨要未果", "工伤赔偿协商不成", "解除劳动合同经济补偿争议"],
    "consumer": ["购买的农资质量问题索赔", "装修服务质量纠纷"],
    "medical": ["对诊疗结果有异议要求赔偿", "医疗费用报销争议"],
    "road_traffic": ["交通事故赔偿协商不成", "电动车与行人碰撞赔偿纠纷"],
    "property_management": ["小区物业费收取争议", "电梯长期停运业主投诉物业"],
    "lending": ["民间借贷到期未还", "亲友借款纠纷"],
    "other": ["反映村务公开问题", "对低保认定有异议"],
}
OUTCOME_WEIGHTS = {Outcome.RESOLVED: 92, Outcome.UNRESOLVED: 4, Outcome.WITHDRAWN: 2, Outcome.LITIGATION: 2}
SATISFACTION_WEIGHTS = {Satisfaction.SATISFIED: 85, Satisfaction.BASICALLY_SATISFIED: 12, Satisfaction.DISSATISFIED: 3}


def _weighted(weights: dict) -> Callable[[random.Random], str]:
    keys, cumulative, total = [], [], 0
    for key, weight in weights.items():
        total += weight
        keys.append(key)
        cumulative.append(total)

    def pick(rng: random.Random):
        x = rng.random() * total
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return keys[lo]

    return pick


@dataclass
class GenerateReport:
    cases: int = 0
    persons: int = 0
    dispatches: int = 0
    deadlines: int = 0
    events: int = 0
    visits: int = 0
    rows: dict = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of the run


class CaseGenerator:
    """Generates `count` cases registered in the `days` before `until`.

    `dispatch_share` of the cases are dispatched (the rest are settled at the window), and
    `joint_share` of those go to a second, assisting department too: the defaults give ~0.8
    dispatches per case (the demo); the city benchmark uses 0.9 and 0.6 for ~1.5.
    """

    def __init__(
        self,
        *,
        count: int,
        until: datetime | None = None,
        days: int = 365,
        seed: int = 2026,
        progress: Callable[[int], None] | None = None,
        extensions: list[Callable[[CaseGenerator], None]] | None = None,
        dispatch_share: float = 0.7,
        joint_share: float = 0.12,
        defer_indexes: bool = False,
    ):
        self.count = count
        self.until = until or timezone.now()
        self.days = days
        self.dispatch_share = dispatch_share
        self.joint_share = joint_share
        # Load a large history without the tables' secondary indexes and foreign keys, then
        # rebuild them (see governance.bulk.secondary_structures_deferred): for a new database.
        self.defer_indexes = defer_indexes
        self._valid_places: dict[tuple[str, int], bool] = {}
        self._pipeline: CopyPipeline | None = None
        self.progress = progress
        self.extensions = extensions or []
        existing = Case.objects.filter(external_ref__startswith=DEMO_REF).count()
        self.demo_offset = existing
        self.rng = random.Random(f"{seed}-{existing}")
        self.report = GenerateReport()
        self.tz = timezone.get_current_timezone()

    # --- reference data ---------------------------------------------------------------------
    def _load(self) -> None:
        # the timeline's notes, written in the active language once, not translated per case
        self.closed_notes = {value: f"办结：{label}" for value, label in Outcome.choices}
        self.follow_up_notes = {value: f"回访：{label}" for value, label in Satisfaction.choices}
        self.categories = dict(Category.objects.values_list("key", "pk"))
        self.centers = list(Center.objects.filter(is_active=True))
        by_level = {"county": [], "township": [], "village": []}
        for center in self.centers:
            by_level[center.level].append(center)
        self.by_level = by_level
        self.root_of = {c.pk: c.path[: Center.steplen] for c in self.centers}
        roots = {c.path: c for c in self.centers if c.depth == 1}
        self.root_code = {c.pk: roots[self.root_of[c.pk]].code for c in self.centers}
        self.township_of = {}
        paths = {c.path: c for c in self.centers}
        for center in self.centers:
            if center.depth >= 2:
                self.township_of[center.pk] = paths[center.path[: 2 * Center.steplen]]
        departments = list(Department.objects.filter(is_active=True).select_related("center"))
        self.departments_by_name = {d.name: d for d in departments}
        self.township_departments: dict[int, list[Department]] = {}
        for department in departments:
            if department.center.level == "township":
                self.township_departments.setdefault(department.center_id, []).append(department)
        self.county_departments = [d for d in departments if d.center.depth == 1]
        self.handlers = self._handlers()
        self.liaisons = {}
        for user_id, department_id in (
            User.objects.filter(role_set__role="liaison", department__isnull=False)
            .order_by("id")
            .values_list("id", "department_id")
        ):
            self.liaisons.setdefault(department_id, user_id)
        self.existing_id_numbers = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))

    def _handlers(self) -> dict[int, User]:
        """The window staff member who registers a center's cases: the nearest one at or above it."""
        staff = {}
        for user in User.objects.filter(role_set__role="window_staff", is_active=True).order_by("id"):
            staff.setdefault(user.center_id, user)
        fallback = next(iter(staff.values()), None) or User.objects.order_by("id").first()
        paths = {c.pk: c.path for c in self.centers}
        by_path = {c.path: c.pk for c in self.centers}
        result = {}
        for center in self.centers:
            path = paths[center.pk]
            chosen = None
            for end in range(len(path), 0, -Center.steplen):
                chosen = staff.get(by_path.get(path[:end]))
                if chosen:
                    break
            result[center.pk] = chosen or fallback
        return result

    # --- people -----------------------------------------------------------------------------
    def _new_person(self, w: dict[str, BulkWriter]) -> int:
        rng = self.rng
        pid = self.next_person_id
        self.next_person_id += 1
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        id_number = None
        birth = None
        if rng.random() < 0.85:
            while True:
                birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 66))
                seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == Sex.MALE else (0, 2, 4, 6, 8))
                region = rng.choice(REGION_CODES)
                body = f"{region}{birth:%Y%m%d}{seq:03d}"
                id_number = body + ric.calc_check_digit(body + "0")  # the function skips the last character
                if self._valid_place(region, birth.year, id_number) and id_number not in self.existing_id_numbers:
                    self.existing_id_numbers.add(id_number)
                    break
        phone = f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(0, 10**8):08d}" if rng.random() < 0.92 else ""
        now = self.until
        w["person"].add(pid, name, id_number, phone, birth, sex if id_number else "", "", now, now)
        self.report.persons += 1
        self.used_persons.append(pid)
        return pid

    def _valid_place(self, region: str, year: int, id_number: str) -> bool:
        """`ric.is_valid(id_number)`, remembered per region and birth year: the number is built with
        a real date and the right check digit, so only the region code (which must have been in
        force in the birth year) can make it invalid — and validating every number with stdnum
        was a third of the time of a large run."""
        key = (region, year)
        valid = self._valid_places.get(key)
        if valid is None:
            valid = self._valid_places[key] = ric.is_valid(id_number)
        return valid

    def _person(self, w) -> int:
        # about one party in five is somebody the center has seen before (returning visitor)
        if self.used_persons and self.rng.random() < 0.2:
            return self.rng.choice(self.used_persons)
        return self._new_person(w)

    # --- time -------------------------------------------------------------------------------
    def _registration_times(self) -> list[datetime]:
        rng = self.rng
        start = self.until - timedelta(days=self.days)
        times = []
        while len(times) < self.count:
            moment = start + timedelta(seconds=rng.random() * self.days * 86400)
            local = moment.astimezone(self.tz)
            weekend = local.weekday() >= 5
            office = 8 <= local.hour < 18
            if (weekend and rng.random() > 0.25) or (not office and rng.random() > 0.15):
                continue
            if moment < self.until:
                times.append(moment)
        times.sort()
        return times

    def _delay(self, median_minutes: float, spread: float = 0.9) -> timedelta:
        return timedelta(minutes=median_minutes * math.exp(self.rng.gauss(0, spread)))

    # --- the run ----------------------------------------------------------------------------
    def run(self) -> GenerateReport:
        self._load()
        from intake.models import Visit, VisitStat

        phases, clock = self.report.phases, time.monotonic
        with transaction.atomic():
            loaded = (Person, Case, CaseParty, Dispatch, Deadline, CaseEvent, FollowUp, Visit)
            started = clock()
            with secondary_structures_deferred(*loaded) if self.defer_indexes else nullcontext():
                try:
                    self._generate()
                finally:  # on an error, stop the COPY thread before the transaction rolls back
                    if self._pipeline is not None:
                        self._pipeline.close()
                phases["ledger rows"] = clock() - started
                started = clock()
            if self.defer_indexes:
                phases["indexes and foreign keys"] = clock() - started
            reset_sequences(Person, Case, Dispatch, Deadline)
            from governance.registry import demo_history_generators

            for extend in [*self.extensions, *demo_history_generators()]:
                started = clock()
                extend(self)
                phases[f"history: {getattr(extend, '__module__', '')}.{getattr(extend, '__name__', '')}"] = (
                    clock() - started
                )
            started = clock()
            # Rebuilt rollups are a million rows at city scale: their foreign keys are checked
            # with one join each instead of one trigger per row at the commit.
            rollups = (CaseStat, DispatchStat, DeadlineStat, VisitStat)
            with secondary_structures_deferred(*rollups) if self.defer_indexes else nullcontext():
                stats_rebuild()
            phases["stats_rebuild"] = clock() - started
            started = clock()
        phases["commit"] = clock() - started
        return self.report

    def _writers(self) -> dict[str, BulkWriter]:
        return {
            "person": BulkWriter(
                Person, ["id", "name", "id_number", "phone", "birth_date", "sex", "address", "created_at", "updated_at"]
            ),
            "case": BulkWriter(
                Case,
                [
                    "id",
                    "number",
                    "center",
                    "channel",
                    "service_line",
                    "category",
                    "risk_level",
                    "flag_urgent",
                    "flag_homicide_risk",
                    "flag_mass_incident",
                    "flag_threat_upward",
                    "flag_bypass_levels",
                    "headcount",
                    "summary",
                    "external_ref",
                    "first_handler",
                    "status",
                    "outcome",
                    "close_note",
                    "closed_at",
                    "closed_by",
                    "registered_at",
                    "registered_on",
                    "updated_at",
                ],
            ),
            "party": BulkWriter(CaseParty, ["case", "person", "role", "order"]),
            "dispatch": BulkWriter(
                Dispatch,
                [
                    "id",
                    "case",
                    "department",
                    "is_lead",
                    "instructions",
                    "status",
                    "dispatched_by",
                    "dispatched_at",
                    "dispatched_on",
                    "response_deadline",
                    "feedback_deadline",
                    "accepted_by",
                    "accepted_at",
                    "rejected_by",
                    "rejected_at",
                    "reject_reason",
                    "fed_back_by",
                    "fed_back_at",
                    "feedback_result",
                    "feedback_resolved",
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
            ),
            "event": BulkWriter(CaseEvent, ["case", "kind", "actor", "at", "message", "data"]),
            "follow_up": BulkWriter(FollowUp, ["case", "satisfaction", "note", "by", "at"]),
        }

    def _generate(self) -> None:
        from intake.models import Visit

        rng = self.rng
        w = self._w = self._writers()
        w["visit"] = BulkWriter(
            Visit,
            [
                "center",
                "window",
                "received_by",
                "visited_at",
                "visited_on",
                "headcount",
                "is_collective",
                "visitor",
                "case",
                "note",
            ],
        )
        self.next_person_id = next_id(Person)
        self.used_persons: list[int] = []
        case_id = self.first_case_id = next_id(Case)
        self.dispatch_id = next_id(Dispatch)
        self.deadline_id = next_id(Deadline)
        counters = dict(CaseCounter.objects.values_list("scope", "value"))
        pick_channel = _weighted(CHANNEL_WEIGHTS)
        pick_line = {channel: _weighted(weights) for channel, weights in LINES_BY_CHANNEL.items()}
        pick_category = _weighted({k: v for k, v in CATEGORY_WEIGHTS.items() if k in self.categories})
        pick_risk = _weighted(RISK_WEIGHTS)
        pick_outcome = _weighted(OUTCOME_WEIGHTS)
        pick_satisfaction = _weighted(SATISFACTION_WEIGHTS)
        levels = [lvl for lvl in ("county", "township", "village") if self.by_level[lvl]]
        level_weights = {"county": 40, "township": 40, "village": 20}
        pick_level = _weighted({lvl: level_weights[lvl] for lvl in levels})
        # From here until the pipeline is closed, only the pipeline's thread uses the connection.
        pipeline = self._pipeline = CopyPipeline() if connection.vendor == "postgresql" else None
        for writer in w.values():
            writer.pipeline = pipeline

        for index, registered_at in enumerate(self._registration_times()):
            center = rng.choice(self.by_level[pick_level(rng)])
            channel = pick_channel(rng)
            line = pick_line[channel](rng)
            category = pick_category(rng)
            risk = pick_risk(rng)
            handler = self.handlers[center.pk]
            local = registered_at.astimezone(self.tz)
            scope = f"{self.root_code[center.pk]}-{local.year}"
            counters[scope] = counters.get(scope, 0) + 1
            number = f"{scope}-{counters[scope]:06d}"

            parties = [(self._person(w), PartyRole.APPLICANT)]
            if rng.random() < 0.6:
                parties.append((self._person(w), PartyRole.RESPONDENT))
            if rng.random() < 0.08:
                parties.append((self._person(w), PartyRole.THIRD_PARTY))
            collective = rng.random() < 0.04
            headcount = rng.randrange(5, 40) if collective else len(parties)
            flags = [False] * 5
            if risk == RiskLevel.RED:
                flags[2] = rng.random() < 0.4
                flags[3] = rng.random() < 0.3
                flags[1] = rng.random() < 0.05
            flags[0] = rng.random() < 0.03
            summary = rng.choice(SUMMARIES.get(category, SUMMARIES["other"]))

            events = [("registered", handler.pk, registered_at, "登记受理")]
            state = self._dispatches(case_id, center, category, risk, registered_at, handler, events)
            status, closed_at, outcome = state["status"], None, ""
            if state["done_at"] is not None:
                close_at = state["done_at"] + self._delay(600, 1.2)
                if close_at < self.until and rng.random() < 0.96:
                    status, closed_at, outcome = CaseStatus.CLOSED, close_at, pick_outcome(rng)
                    events.append(("closed", handler.pk, close_at, self.closed_notes[outcome]))
                    follow_at = close_at + timedelta(days=rng.uniform(1, 7))
                    if follow_at < self.until and rng.random() < 0.8:
                        satisfaction = pick_satisfaction(rng)
                        w["follow_up"].add(case_id, satisfaction, "电话回访", handler.pk, follow_at)
                        events.append(("followed_up", handler.pk, follow_at, self.follow_up_notes[satisfaction]))

            w["case"].add(
                case_id,
                number,
                center.pk,
                channel,
                line,
                self.categories[category],
                risk,
                *flags,
                headcount,
                summary,
                f"{DEMO_REF}{self.demo_offset + index + 1:08d}",
                handler.pk,
                status,
                outcome,
                "",
                closed_at,
                handler.pk if closed_at else None,
                registered_at,
                local.date(),
                closed_at or registered_at,
            )
            for order, (person_id, role) in enumerate(dict.fromkeys(parties)):
                w["party"].add(case_id, person_id, role, order)
            for kind, actor, at, message in events:
                w["event"].add(case_id, kind, actor, at, message, {})
            self.report.events += len(events)
            if channel == Channel.WALK_IN:
                w["visit"].add(
                    center.pk,
                    handler.window or "1号窗口",
                    handler.pk,
                    registered_at,
                    local.date(),
                    headcount,
                    headcount >= 5,
                    parties[0][0],
                    case_id,
                    "",
                )
                self.report.visits += 1
                if rng.random() < 0.3:  # a consultation answered at the window, no case
                    visit_at = registered_at + timedelta(minutes=rng.uniform(5, 90))
                    if visit_at < self.until:
                        w["visit"].add(
                            center.pk,
                            handler.window or "1号窗口",
                            handler.pk,
                            visit_at,
                            visit_at.astimezone(self.tz).date(),
                            1,
                            False,
                            self._person(w),
                            None,
                            "法律咨询",
                        )
                        self.report.visits += 1
            case_id += 1
            self.report.cases += 1
            if self.progress and index % 1000 == 999:
                self.progress(1000)

        for writer in w.values():
            writer.flush()
            writer.pipeline = None
        if pipeline is not None:
            pipeline.close()
        self.report.rows = {name: writer.written for name, writer in w.items()}
        self.case_ids = range(self.first_case_id, case_id)  # what this run wrote, for the apps' extensions
        for scope, value in counters.items():
            CaseCounter.objects.update_or_create(scope=scope, defaults={"value": value})
        if self.progress:
            self.progress(self.report.cases % 1000)
        self.writers = w

    def _dispatches(self, case_id, center, category, risk, registered_at, handler, events) -> dict:
        """Dispatch history of one case. Returns its status and when the departments were done."""
        rng = self.rng
        if rng.random() > self.dispatch_share:
            # handled at the window (先行调解) without dispatch
            return {"status": CaseStatus.REGISTERED, "done_at": registered_at + self._delay(240, 1.3)}
        departments = self._pick_departments(center, category)
        statuses, done = [], registered_at
        dispatched_at = registered_at + self._delay(25, 0.8)
        for position, department in enumerate(departments):
            status, finished = self._one_dispatch(
                case_id, center, department, position == 0, risk, dispatched_at, handler, events
            )
            if status == DispatchStatus.REJECTED:
                # back to the center, re-dispatched to a department not already on the case (a
                # department holds a case at most once: dispatch_one_active_per_department)
                taken = {d.pk for d in departments}
                alternatives = [d for d in self.county_departments if d.pk not in taken]
                if finished is not None and finished + timedelta(minutes=30) < self.until and alternatives:
                    status, finished = self._one_dispatch(
                        case_id,
                        center,
                        rng.choice(alternatives),
                        position == 0,
                        risk,
                        finished + self._delay(30, 0.5),
                        handler,
                        events,
                    )
            statuses.append(status)
            if finished is None:
                done = None
            elif done is not None:
                done = max(done, finished)
        if all(s == DispatchStatus.FED_BACK for s in statuses):
            return {"status": CaseStatus.IN_PROGRESS, "done_at": done}
        if any(s in (DispatchStatus.ACCEPTED, DispatchStatus.FED_BACK) for s in statuses):
            return {"status": CaseStatus.IN_PROGRESS, "done_at": None}
        if any(s == DispatchStatus.PENDING for s in statuses):
            return {"status": CaseStatus.DISPATCHED, "done_at": None}
        return {"status": CaseStatus.REGISTERED, "done_at": None}

    def _pick_departments(self, center, category) -> list[Department]:
        rng = self.rng
        township = self.township_of.get(center.pk)
        if township is not None and township.pk in self.township_departments and rng.random() < 0.4:
            lead = rng.choice(self.township_departments[township.pk])
        else:
            names = [n for n in DEPARTMENTS_BY_CATEGORY.get(category, []) if n in self.departments_by_name]
            lead = self.departments_by_name[rng.choice(names)] if names else rng.choice(self.county_departments)
        chosen = [lead]
        if rng.random() < self.joint_share:
            others = [d for d in self.county_departments if d.pk != lead.pk]
            chosen.append(rng.choice(others))
        return chosen

    def _deadline(self, kind, subject_id, case_id, center, department, risk, start, finished) -> tuple:
        """One timer row, in the state the sweep and the services would have left it."""
        deadline_id = self.deadline_id
        self.deadline_id += 1
        hours = (1 if kind == RESPONSE else 12) if risk == RiskLevel.RED else (2 if kind == RESPONSE else 24)
        due = start + timedelta(hours=hours)
        warn = start + timedelta(seconds=hours * 3600 * 0.75)
        end = finished if finished is not None else self.until
        warned_at = warn if warn <= min(end, due) else None
        breached_at = escalated_at = None
        swept = due + timedelta(minutes=1)  # the sweep runs every minute
        if finished is not None:
            if finished <= due:
                state = DeadlineState.MET
            elif swept < finished:  # the sweep got there first: breached and escalated (督办)
                state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            else:  # done late before the sweep noticed: breached, not escalated
                state, breached_at = DeadlineState.BREACHED, finished
        elif swept <= self.until:
            state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
        else:
            state = DeadlineState.OPEN
        basis = "红色风险事项提级办理" if risk == RiskLevel.RED else "濮阳“一键派单”：2小时签收、24小时反馈"
        self.writers_["deadline"].add(
            deadline_id,
            kind,
            subject_id,
            case_id,
            center.pk,
            department.pk,
            basis,
            TimeUnit.CLOCK_HOURS,
            hours,
            0.75,
            start,
            start.astimezone(self.tz).date(),
            due,
            warn,
            state,
            warned_at,
            breached_at,
            escalated_at,
            finished,
            0,
            False,
        )
        self.report.deadlines += 1
        return deadline_id, state, escalated_at, warned_at, due

    def _one_dispatch(self, case_id, center, department, is_lead, risk, at, handler, events):
        """One dispatch: accepted (mostly in time), sometimes rejected, fed back (mostly in time)."""
        rng = self.rng
        w = self.writers_
        dispatch_id = self.dispatch_id
        self.dispatch_id += 1
        self.report.dispatches += 1
        role = "主办" if is_lead else "协办"
        at = min(at, self.until - timedelta(minutes=1))
        events.append(("dispatched", handler.pk, at, f"派单至{department.name}（{role}）"))
        rejected = rng.random() < 0.03
        responded = at + self._delay(35, 1.0)
        responded = responded if responded < self.until else None
        response_id, _, r_escalated, r_warned, r_due = self._deadline(
            RESPONSE, dispatch_id, case_id, center, department, risk, at, responded
        )
        self._sweep_events(events, department, "签收", r_warned, r_escalated, r_due)
        liaison = self.liaisons.get(department.pk)
        status = DispatchStatus.PENDING
        accepted_at = rejected_at = fed_back_at = None
        feedback_id = None
        result, resolved, reason = "", None, ""
        finished = None
        if responded is not None and rejected:
            status, rejected_at, reason = DispatchStatus.REJECTED, responded, "不属于本部门职责，请改派"
            events.append(("rejected", liaison, responded, f"{department.name}退回：{reason}"))
            finished = responded
        elif responded is not None:
            status, accepted_at = DispatchStatus.ACCEPTED, responded
            events.append(("accepted", liaison, responded, f"{department.name}签收"))
            fed = responded + self._delay(300, 1.1)
            fed = fed if fed < self.until else None
            feedback_id, _, f_escalated, f_warned, f_due = self._deadline(
                FEEDBACK, dispatch_id, case_id, center, department, risk, responded, fed
            )
            self._sweep_events(events, department, "反馈", f_warned, f_escalated, f_due)
            if fed is not None:
                status, fed_back_at = DispatchStatus.FED_BACK, fed
                resolved = rng.random() < 0.9
                result = "经调解双方达成一致" if resolved else "经多次协调未能达成一致，已告知当事人其他途径"
                events.append(("fed_back", liaison, fed, f"{department.name}反馈：{result}"))
                finished = fed
        w["dispatch"].add(
            dispatch_id,
            case_id,
            department.pk,
            is_lead,
            "",
            status,
            handler.pk,
            at,
            at.astimezone(self.tz).date(),
            response_id,
            feedback_id,
            liaison if accepted_at else None,
            accepted_at,
            liaison if rejected_at else None,
            rejected_at,
            reason,
            liaison if fed_back_at else None,
            fed_back_at,
            result,
            resolved,
        )
        return status, finished

    def _sweep_events(self, events, department, what, warned_at, escalated_at, due) -> None:
        due_text = due.astimezone(self.tz).strftime("%m-%d %H:%M")
        if warned_at is not None:
            events.append(("warned", None, warned_at, f"临期提醒：{department.name}须于 {due_text} 前{what}"))
        if escalated_at is not None:
            events.append(("escalated", None, escalated_at, f"督办：{department.name}超时未{what}（时限 {due_text}）"))

    @property
    def writers_(self) -> dict[str, BulkWriter]:
        return self._w


def generate_cases(count: int, **kwargs) -> GenerateReport:
    generator = CaseGenerator(count=count, **kwargs)
    return generator.run()
