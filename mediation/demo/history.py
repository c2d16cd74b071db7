"""Mediation, court docking and legal services on the cases the core generator just wrote — what
the services would have left had each case been handled one by one, written in bulk:

- a case of the mediation line with two parties gets a mediation file (three in four of them) at
  the committee of its category (a professional one at the county, else the joint one; the
  township's own committee for township and village cases), both parties' consent, sessions, the
  time limit on the deadline engine, and the outcome its ledger case already has: an agreement
  with terms (performed, late or in default), follow-up checks and now and then a judicial
  confirmation — or the routes told to the parties;
- a court referral becomes a pre-litigation referral at the court's studio (signed, mediated,
  recorded with the court or filed) or a fast-track one;
- a case of the legal-services line becomes a consultation, a legal-aid application, a
  notarisation or a labour-arbitration referral with its own outcome and time limits.

Nothing here changes a ledger case; rollups are rebuilt by the core generator afterwards.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db import connection
from django.utils import timezone

from governance.bulk import BulkWriter, CopyPipeline, next_id, reset_sequences, secondary_structures_deferred
from governance.calendar import WorkCalendar, add_working_days, next_workday_on_or_after
from governance.models import Case, CaseEvent, CaseParty, CaseStatus, Center, Deadline, DeadlineState, Outcome, TimeUnit
from mediation import deadlines as kinds
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    CommitteeKind,
    ConfirmationStatus,
    ConsentForm,
    FailureRoute,
    FileStatus,
    MediationKind,
    Performance,
    ReferralKind,
    ReferralResult,
    ReferralStatus,
    SessionKind,
    TermStatus,
)
from mediation.legal.models import LegalKind, LegalOutcome, LegalService, LegalStatus
from mediation.models import (
    Agreement,
    AgreementParty,
    Committee,
    Consent,
    CourtReferral,
    JudicialConfirmation,
    MediationFile,
    Mediator,
    PerformanceCheck,
    Session,
    Term,
)

FILE_SHARE = 0.75  # of the mediation line's two-party cases
PERIOD_BASIS = "人民调解一般在一个月内调结（本地政策，可调整）"
BASES = {
    kinds.PERIOD: PERIOD_BASIS,
    kinds.LABOUR: "劳动争议调解仲裁法第十四条",
    kinds.MEDICAL: "医疗纠纷预防和处理条例（30个工作日，鉴定时间不计入）",
    kinds.PRE_LITIGATION: "最高人民法院关于进一步完善委派调解机制的指导意见",
    kinds.TERM: "调解协议约定的履行期限",
    kinds.CONFIRMATION_WINDOW: "人民调解法第三十三条、民事诉讼法（司法确认）",
    kinds.CONFIRMATION_ACCEPTANCE: "最高人民法院关于人民调解协议司法确认程序的若干规定（三日内决定是否受理）",
    kinds.CONFIRMATION_RULING: "最高人民法院关于人民调解协议司法确认程序的若干规定（十五日内裁定，可延长十日）",
    kinds.LEGAL_AID_REVIEW: "法律援助法第四十三条",
    kinds.NOTARISATION: "公证程序规则第三十五条",
    kinds.ARBITRATION_ACCEPTANCE: "劳动争议调解仲裁法第二十九条",
    kinds.ARBITRATION_AWARD: "劳动争议调解仲裁法第四十三条",
}
TERM_TEXT = {
    "marriage_family": [("按月支付子女抚养费800元", "银行转账"), ("轮流照顾老人起居", "双方轮流")],
    "neighbour": [("拆除占用通道的杂物", "自行清理"), ("疏通排水沟", "自行施工")],
    "labour": [("支付拖欠工资", "银行转账"), ("出具解除劳动合同证明", "当面交付")],
    "road_traffic": [("赔偿医疗费、误工费", "银行转账"), ("承担车辆维修费用", "直接支付修理厂")],
    "medical": [("医院一次性补偿", "银行转账")],
    "property_management": [("补缴物业费", "微信支付"), ("维修电梯并公示", "物业公司组织")],
}
DEFAULT_TERMS = [("赔偿损失", "银行转账"), ("赔礼道歉", "当面"), ("返还欠款", "现金")]
FACTS = "双方因{summary}发生纠纷，经调查核实，事实清楚，双方对主要事实无异议。"


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class History:
    def __init__(self, generator):
        self.g = generator
        self.until = generator.until
        self.rng = random.Random(f"mediation-{generator.first_case_id}")
        self.tz = timezone.get_current_timezone()
        self.report = defaultdict(int)

    # --- reference data (read before the COPY pipeline owns the connection) ------------------------
    def load(self) -> None:
        first, last = self.g.case_ids.start, self.g.case_ids.stop - 1
        self.cases = list(
            Case.objects.filter(
                pk__range=(first, last), service_line__in=("mediation", "court_docking", "legal_services")
            )
            .order_by("pk")
            .values_list(
                "pk",
                "center_id",
                "category__key",
                "channel",
                "service_line",
                "status",
                "outcome",
                "registered_at",
                "closed_at",
                "first_handler_id",
                "summary",
                "registered_on",
            )
        )
        self.parties: dict[int, dict[str, int]] = defaultdict(dict)
        for case_id, party_id, role in (
            CaseParty.objects.filter(case_id__gte=first, case_id__lte=last)
            .order_by("order")
            .values_list("case_id", "pk", "role")
        ):
            self.parties[case_id].setdefault(role, party_id)
        paths = dict(Center.objects.values_list("pk", "path"))
        self.path = paths
        committees = list(
            Committee.objects.filter(is_active=True).select_related("center").prefetch_related("categories")
        )
        mediators: dict[int, list[Mediator]] = defaultdict(list)
        for mediator in Mediator.objects.filter(is_active=True).order_by("committee_id", "-is_chief", "id"):
            mediators[mediator.committee_id].append(mediator)
        self.mediators = mediators
        self.by_root: dict[str, dict] = defaultdict(lambda: {"category": {}, "joint": None, "studio": None})
        self.township_committee: dict[str, Committee] = {}
        for committee in committees:
            if not mediators.get(committee.pk):
                continue
            root = committee.center.path[: Center.steplen]
            slot = self.by_root[root]
            if committee.kind == CommitteeKind.JOINT:
                slot["joint"] = committee
            elif committee.kind == CommitteeKind.PRE_LITIGATION:
                slot["studio"] = committee
            elif committee.kind == CommitteeKind.PROFESSIONAL:
                for category in committee.categories.all():
                    slot["category"].setdefault(category.key, []).append(committee)
            elif committee.kind == CommitteeKind.TOWNSHIP:
                self.township_committee[committee.center.path] = committee
        self.turn: dict[int, int] = defaultdict(int)
        self.labels = {key: str(label) for key, label, _, _ in kinds.KINDS}
        # labels translated once (lazy strings cost a translation look-up each time they are used)
        self.breach = {key: str(message) for key, message in kinds.BREACH_MESSAGES.items()}
        self.label = {
            choices: {key: str(label) for key, label in choices.choices}
            for choices in (
                SessionKind,
                Performance,
                ConfirmationStatus,
                ReferralResult,
                ReferralKind,
                LegalKind,
                LegalOutcome,
            )
        }
        start = min((c[7] for c in self.cases), default=self.until)
        self.calendar = WorkCalendar(
            timezone.localtime(start).date() - timedelta(days=1), self.until.date() + timedelta(days=400)
        )
        self.ids = {
            model: next_id(model)
            for model in (
                MediationFile,
                Agreement,
                AgreementParty,
                Term,
                JudicialConfirmation,
                CourtReferral,
                LegalService,
                Deadline,
            )
        }

    def _id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def writers(self) -> dict[str, BulkWriter]:
        return {
            "file": BulkWriter(
                MediationFile,
                [
                    "id",
                    "case",
                    "case_center",
                    "case_registered_on",
                    "committee",
                    "mediator",
                    "kind",
                    "status",
                    "request",
                    "applied_at",
                    "accepted_at",
                    "concluded_at",
                    "opened_by",
                    "deadline",
                    "failure_reason",
                    "routes",
                    "end_note",
                ],
            ),
            "consent": BulkWriter(Consent, ["file", "side", "agreed", "form", "note", "recorded_by", "recorded_at"]),
            "session": BulkWriter(
                Session, ["file", "kind", "held_at", "place", "attendees", "record", "mediator", "recorded_by"]
            ),
            "agreement": BulkWriter(
                Agreement,
                [
                    "id",
                    "file",
                    "form",
                    "facts",
                    "mediator",
                    "recorder",
                    "sealed",
                    "copies",
                    "signed_at",
                    "effective_at",
                    "confirmation_wanted",
                    "window_deadline",
                    "performance",
                    "fully_performed_at",
                    "recorded_by",
                ],
            ),
            "party": BulkWriter(
                AgreementParty, ["id", "agreement", "case_party", "side", "responsibility", "signed", "order"]
            ),
            "term": BulkWriter(
                Term,
                [
                    "id",
                    "agreement",
                    "order",
                    "obligor",
                    "content",
                    "method",
                    "due_on",
                    "status",
                    "performed_at",
                    "note",
                    "deadline",
                ],
            ),
            "check": BulkWriter(
                PerformanceCheck, ["agreement", "method", "checked_at", "by", "finding", "performance"]
            ),
            "confirmation": BulkWriter(
                JudicialConfirmation,
                [
                    "id",
                    "agreement",
                    "court",
                    "status",
                    "applied_at",
                    "accepted_at",
                    "ruled_at",
                    "court_case_number",
                    "note",
                    "acceptance_deadline",
                    "ruling_deadline",
                ],
            ),
            "referral": BulkWriter(
                CourtReferral,
                [
                    "id",
                    "case",
                    "case_center",
                    "case_registered_on",
                    "kind",
                    "court",
                    "court_ref",
                    "committee",
                    "status",
                    "result",
                    "referred_at",
                    "parties_consented",
                    "signed_at",
                    "signed_by",
                    "file",
                    "concluded_at",
                    "return_reason",
                    "court_record",
                    "recorded_at",
                    "filing_number",
                    "filed_at",
                    "note",
                    "registered_by",
                ],
            ),
            "legal": BulkWriter(
                LegalService,
                [
                    "id",
                    "case",
                    "case_center",
                    "case_registered_on",
                    "kind",
                    "status",
                    "outcome",
                    "request",
                    "agency",
                    "assignee",
                    "reference",
                    "result_note",
                    "refusal_reason",
                    "applied_at",
                    "decided_at",
                    "concluded_at",
                    "handled_by",
                    "decision_deadline",
                    "handling_deadline",
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
            "event": BulkWriter(CaseEvent, ["case", "kind", "actor", "at", "message", "data"]),
        }

    # --- helpers -----------------------------------------------------------------------------------
    def _between(self, start: datetime, end: datetime, share: float) -> datetime:
        return start + (end - start) * share

    def _days(self, days: float) -> timedelta:
        return timedelta(days=days * self.rng.uniform(0.5, 1.5))

    @cache  # noqa: B019 (one History per run)
    def _due(self, start_day: date, unit: str, amount: int) -> datetime:
        if unit == TimeUnit.WORKING_DAYS:
            return _end_of_day(add_working_days(start_day, amount, self.calendar))
        return _end_of_day(next_workday_on_or_after(start_day + timedelta(days=amount), self.calendar))

    def deadline(
        self,
        kind: str,
        subject_id: int,
        case,
        start: datetime,
        finished: datetime | None,
        *,
        amount: int | None = None,
        lapse_done: bool = False,
        cancelled: datetime | None = None,
    ) -> tuple[int, str, datetime]:
        """One timer as the services and the sweep would have left it; returns (id, state, due).
        `finished`: the work was done then (met or late); `cancelled`: no longer needed then."""
        unit, default = kinds.LAW.get(kind, (TimeUnit.CALENDAR_DAYS, 30))
        amount = default if amount is None else amount
        due = self._due(timezone.localtime(start, self.tz).date(), unit, amount)
        warn = start + timedelta(seconds=int((due - start).total_seconds() * 0.75))
        end = finished or cancelled or self.until
        warned_at = warn if warn <= min(end, due) else None
        breached_at = escalated_at = completed_at = None
        swept = due + timedelta(minutes=1)
        if cancelled is not None:
            completed_at = cancelled
            if swept < cancelled:  # the sweep had breached it before it was called off
                state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            else:
                state = DeadlineState.CANCELLED
        elif finished is not None:
            completed_at = finished
            if finished <= due:
                state = DeadlineState.MET
            elif swept < finished:
                state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            else:
                state, breached_at = DeadlineState.BREACHED, finished
        elif swept <= self.until:
            state, breached_at, escalated_at = DeadlineState.BREACHED, swept, swept
            if lapse_done:
                completed_at = swept
        else:
            state = DeadlineState.OPEN
        deadline_id = self._id(Deadline)
        case_id, center_id = case[0], case[1]
        self.w["deadline"].add(
            deadline_id,
            kind,
            subject_id,
            case_id,
            center_id,
            BASES[kind],
            unit,
            amount,
            0.75,
            start,
            timezone.localtime(start, self.tz).date(),
            due,
            warn,
            state,
            warned_at,
            breached_at,
            escalated_at,
            completed_at,
            0,
            False,
        )
        label = self.labels[kind]
        due_text = timezone.localtime(due, self.tz).strftime("%Y-%m-%d %H:%M")
        if warned_at is not None:
            self.event(case_id, "warned", None, warned_at, f"临期提醒：{label}将于 {due_text} 到期")
        if escalated_at is not None:
            self.event(case_id, "escalated", None, escalated_at, f"超时督办：{self.breach[kind]}（时限 {due_text}）")
        self.report["deadlines"] += 1
        return deadline_id, state, due

    def event(self, case_id: int, kind: str, actor: int | None, at: datetime, message: str, data: dict | None = None):
        self.w["event"].add(case_id, kind, actor, at, message[:500], data or {})
        self.report["events"] += 1

    def _committee(self, case) -> Committee | None:
        path = self.path[case[1]]
        slot = self.by_root.get(path[: Center.steplen])
        if len(path) > Center.steplen:
            township = self.township_committee.get(path[: 2 * Center.steplen])
            if township is not None and self.rng.random() < 0.8:
                return township
        if slot is None:
            return None
        professional = slot["category"].get(case[2])
        if professional:
            return self.rng.choice(professional)
        return slot["joint"]

    def _mediator(self, committee: Committee) -> Mediator:
        people = self.mediators[committee.pk]
        self.turn[committee.pk] += 1
        return people[self.turn[committee.pk] % len(people)]

    # --- the run -------------------------------------------------------------------------------------
    def run(self) -> dict:
        self.load()
        self.w = self.writers()
        # Our own tables' indexes are built once and their foreign keys checked with one join
        # each, not row by row at the commit (as the core generator does for its tables).
        own = [writer.model for writer in self.w.values() if writer.model._meta.app_label == "mediation"]
        with secondary_structures_deferred(*own):
            pipeline = CopyPipeline() if connection.vendor == "postgresql" else None
            for writer in self.w.values():
                writer.pipeline = pipeline
            try:
                for case in self.cases:
                    line = case[4]
                    if line == "mediation":
                        self.mediation_case(case)
                    elif line == "court_docking":
                        self.court_case(case)
                    else:
                        self.legal_case(case)
                for writer in self.w.values():
                    writer.flush()
            finally:
                for writer in self.w.values():
                    writer.pipeline = None
                if pipeline is not None:
                    pipeline.close()
        reset_sequences(*self.ids)
        self.report["rows"] = sum(writer.written for writer in self.w.values())
        return dict(self.report)

    # --- mediation ------------------------------------------------------------------------------------
    def mediation_case(self, case) -> None:
        parties = self.parties.get(case[0], {})
        if "applicant" not in parties or "respondent" not in parties or self.rng.random() > FILE_SHARE:
            return
        committee = self._committee(case)
        if committee is None:
            return
        self.file(case, committee, self._mediator(committee), MediationKind.PEOPLE, parties)

    def file(self, case, committee, mediator, kind, parties, *, signed_at=None, referral=None) -> tuple[int, str]:
        """A mediation file; returns (file id, file status)."""
        rng = self.rng
        case_id, center_id, category, _, _, status, outcome, registered_at, closed_at, handler, summary, day = case
        closed = status == CaseStatus.CLOSED
        end = closed_at if closed else self.until
        file_id = self._id(MediationFile)
        user = mediator.user_id
        if signed_at is not None:  # a court referral: consent recorded by the court, the clock starts at signing
            applied_at = accepted_at = signed_at
        else:
            applied_at = self._between(registered_at, end, rng.uniform(0.01, 0.1))
            accepted_at = self._between(applied_at, end, rng.uniform(0.05, 0.3))
        if closed:
            file_status = {
                Outcome.RESOLVED: FileStatus.AGREED,
                Outcome.WITHDRAWN: FileStatus.WITHDRAWN,
            }.get(outcome, FileStatus.FAILED)
        elif signed_at is None and self.until - registered_at < timedelta(days=3) and rng.random() < 0.5:
            file_status, accepted_at = FileStatus.APPLIED, None
        else:
            file_status = FileStatus.MEDIATING
        concluded_at = closed_at if closed else None
        # the time limit
        if kind == MediationKind.PRE_LITIGATION:
            timer_kind, timer_start = kinds.PRE_LITIGATION, signed_at
        elif category == "labour":
            timer_kind, timer_start = kinds.LABOUR, applied_at
        elif category == "medical":
            timer_kind, timer_start = kinds.MEDICAL, accepted_at
        else:
            timer_kind, timer_start = kinds.PERIOD, accepted_at
        deadline_id = None
        if timer_start is not None:
            withdrawn = file_status == FileStatus.WITHDRAWN
            deadline_id, _, _ = self.deadline(
                timer_kind,
                file_id,
                case,
                timer_start,
                None if withdrawn else concluded_at,
                cancelled=concluded_at if withdrawn else None,
            )
        failure_reason, routes = "", []
        if file_status == FileStatus.FAILED:
            failure_reason = rng.choice(["双方分歧过大，无法达成一致", "被申请人拒绝继续调解", "赔偿数额差距过大"])
            if kind == MediationKind.PRE_LITIGATION:
                routes = [FailureRoute.LITIGATION]
            elif category == "labour":
                routes = [FailureRoute.LABOUR_ARBITRATION]
            else:
                routes = (
                    [FailureRoute.LITIGATION]
                    if rng.random() < 0.7
                    else [FailureRoute.ADMINISTRATIVE, FailureRoute.LITIGATION]
                )
        self.w["file"].add(
            file_id,
            case_id,
            center_id,
            day,
            committee.pk,
            mediator.pk,
            kind,
            file_status,
            summary,
            applied_at,
            accepted_at,
            concluded_at,
            handler,
            deadline_id,
            failure_reason,
            routes,
            "当事人撤回调解申请" if file_status == FileStatus.WITHDRAWN else "",
        )
        self.report["files"] += 1
        self.event(
            case_id,
            "mediation_file_opened",
            handler,
            applied_at,
            f"建立调解卷宗：{committee.name}，调解员{mediator.name}",
        )
        consent_form = ConsentForm.COURT if signed_at is not None else None
        if accepted_at is not None:
            for side in ("applicant", "respondent"):
                form = consent_form or (ConsentForm.WRITTEN if rng.random() < 0.7 else ConsentForm.ORAL)
                self.w["consent"].add(file_id, side, True, form, "", handler, applied_at)
            if signed_at is None:
                self.event(case_id, "mediation_accepted", user, accepted_at, "双方当事人同意调解，受理调解")
            sessions = 1 if rng.random() < 0.6 else 2
            session_end = concluded_at or self.until
            for index in range(sessions):
                held = self._between(accepted_at, session_end, (index + 1) / (sessions + 1))
                kind_ = SessionKind.INVESTIGATION if index == 0 and sessions > 1 else SessionKind.SESSION
                record = (
                    "走访双方及周边群众，核实事实"
                    if kind_ == SessionKind.INVESTIGATION
                    else "组织双方面对面调解，释法说理"
                )
                self.w["session"].add(file_id, kind_, held, "调解室", "双方当事人", record, mediator.pk, user)
                self.event(case_id, "mediation_session", user, held, f"{self.label[SessionKind][kind_]}记录：{record}")
        if file_status == FileStatus.AGREED:
            self.agreement(case, file_id, mediator, parties, concluded_at)
            self.event(case_id, "mediation_agreed", user, concluded_at, "调解成功，达成调解协议")
        elif file_status == FileStatus.FAILED:
            self.event(case_id, "mediation_failed", user, concluded_at, f"调解不成，终止调解：{failure_reason}")
        elif file_status == FileStatus.WITHDRAWN:
            self.event(case_id, "mediation_withdrawn", user, concluded_at, "当事人撤回调解申请")
        return file_id, file_status

    def agreement(self, case, file_id, mediator, parties, signed_at) -> None:
        rng = self.rng
        case_id, category = case[0], case[2]
        agreement_id = self._id(Agreement)
        written = rng.random() < 0.85
        wanted = written and rng.random() < 0.12
        window_id = None
        applied_at = None
        if wanted:
            unit, amount = kinds.LAW[kinds.CONFIRMATION_WINDOW]
            window_due = self._due(timezone.localtime(signed_at, self.tz).date(), unit, amount)
            applied_at = signed_at + self._days(8)
            if applied_at >= self.until or applied_at > window_due:
                applied_at = None  # the parties let the window lapse
            window_id, _, _ = self.deadline(
                kinds.CONFIRMATION_WINDOW, agreement_id, case, signed_at, applied_at, lapse_done=True
            )
        sign_day = timezone.localtime(signed_at, self.tz).date()
        ids = {}
        for order, side in enumerate(("applicant", "respondent")):
            party_id = self._id(AgreementParty)
            ids[side] = party_id
            self.w["party"].add(
                party_id,
                agreement_id,
                parties[side],
                side,
                "按协议履行" if side == "respondent" else "配合履行",
                written,
                order,
            )
        texts = TERM_TEXT.get(category, DEFAULT_TERMS)
        statuses = []
        last_due = sign_day
        for order in range(1, (2 if rng.random() < 0.35 else 1) + 1):
            term_id = self._id(Term)
            content, method = texts[(order - 1) % len(texts)]
            days = rng.choice((0, 3, 7, 15, 30))
            due_on = sign_day + timedelta(days=days)
            last_due = max(last_due, due_on)
            due_end = _end_of_day(due_on)
            performed_at, status = None, TermStatus.PENDING
            roll = rng.random()
            if due_end <= self.until or roll < 0.3:
                if roll < 0.85:
                    performed_at = signed_at + (due_end - signed_at) * rng.uniform(0.1, 0.95)
                    if roll > 0.8:
                        performed_at = due_end + self._days(5)
                    status = TermStatus.PERFORMED if performed_at < self.until else TermStatus.PENDING
                    performed_at = performed_at if status == TermStatus.PERFORMED else None
                elif roll < 0.92 and due_end <= self.until:
                    status = TermStatus.DEFAULTED
                elif due_end <= self.until:
                    status = TermStatus.PARTLY
            deadline_id, _, _ = self.deadline(kinds.TERM, term_id, case, signed_at, performed_at, amount=days)
            self.w["term"].add(
                term_id,
                agreement_id,
                order,
                ids["respondent"],
                content,
                method,
                due_on,
                status,
                performed_at,
                "",
                deadline_id,
            )
            if performed_at is not None:
                self.event(
                    case_id, "agreement_term", mediator.user_id, performed_at, f"协议第{order}条（{content}）：已履行"
                )
            statuses.append((status, performed_at))
        only = [s for s, _ in statuses]
        if only and all(s == TermStatus.PERFORMED for s in only):
            performance = Performance.FULLY_PERFORMED
            fully_at = max(at for _, at in statuses)
        elif TermStatus.DEFAULTED in only:
            some = any(s in (TermStatus.PERFORMED, TermStatus.PARTLY) for s in only)
            performance, fully_at = (Performance.PARTLY_PERFORMED if some else Performance.NOT_PERFORMED), None
        else:
            performance, fully_at = Performance.PERFORMING, None
        self.w["agreement"].add(
            agreement_id,
            file_id,
            AgreementForm.WRITTEN if written else AgreementForm.ORAL,
            FACTS.format(summary=case[10][:60]),
            mediator.pk,
            "",
            written,
            3,
            signed_at,
            signed_at,
            wanted,
            window_id,
            performance,
            fully_at,
            case[9],
        )
        self.report["agreements"] += 1
        check_at = _end_of_day(last_due) + self._days(4)
        if check_at < self.until and rng.random() < 0.6:
            self.w["check"].add(
                agreement_id,
                CheckMethod.PHONE if rng.random() < 0.7 else CheckMethod.VISIT,
                check_at,
                case[9],
                "回访核实协议履行情况",
                performance,
            )
            self.event(
                case_id, "agreement_checked", case[9], check_at, f"履行回访：{self.label[Performance][performance]}"
            )
        if applied_at is not None:
            self.confirmation(case, agreement_id, applied_at)

    def confirmation(self, case, agreement_id, applied_at) -> None:
        rng = self.rng
        confirmation_id = self._id(JudicialConfirmation)
        accepted_at = applied_at + self._days(2)
        accepted_at = accepted_at if accepted_at < self.until else None
        ruled_at = accepted_at + self._days(9) if accepted_at else None
        ruled_at = ruled_at if ruled_at and ruled_at < self.until else None
        status = ConfirmationStatus.APPLIED
        if accepted_at is not None:
            status = ConfirmationStatus.ACCEPTED
        if ruled_at is not None:
            status = ConfirmationStatus.CONFIRMED if rng.random() < 0.95 else ConfirmationStatus.REFUSED
        acceptance_id, _, _ = self.deadline(
            kinds.CONFIRMATION_ACCEPTANCE, confirmation_id, case, applied_at, accepted_at
        )
        ruling_id = None
        if accepted_at is not None:
            ruling_id, _, _ = self.deadline(kinds.CONFIRMATION_RULING, confirmation_id, case, accepted_at, ruled_at)
        self.w["confirmation"].add(
            confirmation_id,
            agreement_id,
            "玉门市人民法院",
            status,
            applied_at,
            accepted_at,
            ruled_at,
            f"（{applied_at.year}）甘0981民特{confirmation_id}号" if accepted_at else "",
            "",
            acceptance_id,
            ruling_id,
        )
        self.event(case[0], "confirmation_applied", case[9], applied_at, "双方当事人共同申请司法确认")
        if accepted_at is not None:
            self.event(case[0], "confirmation_accepted", case[9], accepted_at, "法院受理司法确认申请")
        if ruled_at is not None:
            self.event(
                case[0], "confirmation_ruled", case[9], ruled_at, f"司法确认：{self.label[ConfirmationStatus][status]}"
            )

    # --- court docking -------------------------------------------------------------------------------------
    def court_case(self, case) -> None:
        rng = self.rng
        case_id, center_id, _, _, _, status, outcome, registered_at, closed_at, handler, _, day = case
        parties = self.parties.get(case_id, {})
        studio = self.by_root.get(self.path[center_id][: Center.steplen], {}).get("studio")
        closed = status == CaseStatus.CLOSED
        two_sides = "applicant" in parties and "respondent" in parties
        failed = closed and outcome in (Outcome.UNRESOLVED, Outcome.LITIGATION)
        # withdrawn suits are fast-track referrals here (a pre-litigation file is not withdrawn)
        pre = studio is not None and (two_sides or failed) and outcome != Outcome.WITHDRAWN and rng.random() < 0.9
        referral_id = self._id(CourtReferral)
        values = {
            "signed_at": None,
            "signed_by": None,
            "file": None,
            "concluded_at": None,
            "return_reason": "",
            "court_record": "",
            "recorded_at": None,
            "filing_number": "",
            "filed_at": None,
        }
        year = timezone.localtime(registered_at, self.tz).year
        if pre:
            kind = ReferralKind.PRE_LITIGATION
            referral_status, result = ReferralStatus.REFERRED, ""
            end = closed_at if closed else self.until
            if closed and (not two_sides or (failed and rng.random() < 0.15)):
                referral_status, result = ReferralStatus.RETURNED, ReferralResult.RETURNED
                values.update(concluded_at=closed_at, return_reason="被告明确表示不同意调解")
                self.event(case_id, "referral_returned", handler, closed_at, "退回法院立案：被告明确表示不同意调解")
            elif closed or self.until - registered_at > timedelta(days=2) or rng.random() < 0.5:
                signed_at = self._between(registered_at, end, rng.uniform(0.02, 0.15))
                mediator = self._mediator(studio)
                file_id, file_status = self.file(
                    case, studio, mediator, MediationKind.PRE_LITIGATION, parties, signed_at=signed_at
                )
                values.update(signed_at=signed_at, signed_by=mediator.pk, file=file_id)
                self.event(case_id, "referral_signed", mediator.user_id, signed_at, f"调解员{mediator.name}签收")
                referral_status = ReferralStatus.SIGNED
                if file_status == FileStatus.AGREED:
                    referral_status, result = ReferralStatus.SUCCEEDED, ReferralResult.SUCCEEDED
                    values["concluded_at"] = closed_at
                    recorded = closed_at + self._days(3)
                    if recorded < self.until and rng.random() < 0.8:
                        referral_status = ReferralStatus.RECORDED
                        values.update(court_record=f"（{year}）甘0981民特{referral_id}号", recorded_at=recorded)
                        self.event(case_id, "referral_recorded", handler, recorded, "调解协议已送法院")
                elif file_status == FileStatus.FAILED:
                    referral_status, result = ReferralStatus.FAILED, ReferralResult.FAILED
                    values["concluded_at"] = closed_at
            if referral_status in (ReferralStatus.FAILED, ReferralStatus.RETURNED):
                filed = closed_at + self._days(5)
                if filed < self.until and rng.random() < 0.8:
                    referral_status = ReferralStatus.FILED
                    values.update(filing_number=f"（{year}）甘0981民初{referral_id}号", filed_at=filed)
                    self.event(case_id, "referral_filed", handler, filed, "法院已立案")
        else:
            kind, studio = ReferralKind.FAST_TRACK, None
            referral_status, result = ReferralStatus.REFERRED, ""
            if closed:
                referral_status = ReferralStatus.CONCLUDED
                result = (
                    ReferralResult.WITHDRAWN
                    if outcome == Outcome.WITHDRAWN
                    else (ReferralResult.MEDIATED if rng.random() < 0.45 else ReferralResult.JUDGED)
                )
                values["concluded_at"] = closed_at
                self.event(
                    case_id, "fast_track_concluded", handler, closed_at, f"速裁{self.label[ReferralResult][result]}"
                )
        self.w["referral"].add(
            referral_id,
            case_id,
            center_id,
            day,
            kind,
            "玉门市人民法院",
            f"DEMO-COURT-{case_id}",
            studio.pk if studio else None,
            referral_status,
            result,
            registered_at,
            kind == ReferralKind.PRE_LITIGATION,
            values["signed_at"],
            values["signed_by"],
            values["file"],
            values["concluded_at"],
            values["return_reason"],
            values["court_record"],
            values["recorded_at"],
            values["filing_number"],
            values["filed_at"],
            "",
            handler,
        )
        self.event(
            case_id,
            "referral_registered",
            handler,
            registered_at,
            f"玉门市人民法院委派{self.label[ReferralKind][kind]}",
        )
        self.report["referrals"] += 1

    # --- legal services -------------------------------------------------------------------------------------
    LEGAL_WEIGHTS = ((LegalKind.CONSULTATION, 0.5), (LegalKind.LEGAL_AID, 0.7), (LegalKind.NOTARISATION, 0.9))
    AGENCY = {
        LegalKind.CONSULTATION: "公共法律服务中心",
        LegalKind.LEGAL_AID: "玉门市法律援助中心",
        LegalKind.NOTARISATION: "玉门市公证处",
        LegalKind.LABOUR_ARBITRATION: "玉门市劳动人事争议仲裁委员会",
    }

    def legal_case(self, case) -> None:
        rng = self.rng
        case_id, center_id, category, _, _, status, outcome, registered_at, closed_at, handler, summary, day = case
        roll = rng.random()
        kind = LegalKind.LABOUR_ARBITRATION if category == "labour" and roll < 0.5 else None
        kind = kind or next((k for k, edge in self.LEGAL_WEIGHTS if roll < edge), LegalKind.LABOUR_ARBITRATION)
        service_id = self._id(LegalService)
        closed = status == CaseStatus.CLOSED
        end = closed_at if closed else self.until
        decided_at = concluded_at = None
        legal_status, legal_outcome, refusal = LegalStatus.APPLIED, "", ""
        if closed:
            concluded_at = closed_at
            if outcome == Outcome.WITHDRAWN:
                legal_status = LegalStatus.WITHDRAWN
            elif outcome == Outcome.RESOLVED or kind == LegalKind.CONSULTATION:
                legal_status = LegalStatus.CONCLUDED
                legal_outcome = {
                    LegalKind.CONSULTATION: LegalOutcome.REFERRED_LITIGATION
                    if outcome == Outcome.LITIGATION
                    else (LegalOutcome.ANSWERED if rng.random() < 0.8 else LegalOutcome.REFERRED_MEDIATION),
                    LegalKind.LEGAL_AID: LegalOutcome.AID_COMPLETED,
                    LegalKind.NOTARISATION: LegalOutcome.CERTIFICATE_ISSUED,
                    LegalKind.LABOUR_ARBITRATION: LegalOutcome.AWARD
                    if rng.random() < 0.6
                    else LegalOutcome.ARBITRAL_MEDIATION,
                }[kind]
            elif kind == LegalKind.NOTARISATION and rng.random() < 0.5:
                legal_status, legal_outcome = LegalStatus.CONCLUDED, LegalOutcome.NOTARISATION_TERMINATED
            else:
                legal_status, refusal = LegalStatus.REFUSED, "不符合受理条件"
            if legal_status in (LegalStatus.REFUSED,) or kind == LegalKind.CONSULTATION:
                decided_at = concluded_at
            elif legal_status != LegalStatus.WITHDRAWN:
                decided_at = self._between(registered_at, closed_at, rng.uniform(0.05, 0.3))
        elif kind != LegalKind.CONSULTATION and self.until - registered_at > timedelta(days=3):
            legal_status = LegalStatus.ACCEPTED
            decided_at = self._between(registered_at, end, rng.uniform(0.05, 0.3))
        decision_id = handling_id = None
        if kind in (LegalKind.LEGAL_AID, LegalKind.LABOUR_ARBITRATION):
            review = kinds.LEGAL_AID_REVIEW if kind == LegalKind.LEGAL_AID else kinds.ARBITRATION_ACCEPTANCE
            withdrawn = legal_status == LegalStatus.WITHDRAWN and decided_at is None
            decision_id, _, _ = self.deadline(
                review, service_id, case, registered_at, decided_at, cancelled=concluded_at if withdrawn else None
            )
        if (
            kind in (LegalKind.NOTARISATION, LegalKind.LABOUR_ARBITRATION)
            and decided_at is not None
            and (legal_status in (LegalStatus.ACCEPTED, LegalStatus.CONCLUDED))
        ):
            handling = kinds.NOTARISATION if kind == LegalKind.NOTARISATION else kinds.ARBITRATION_AWARD
            handling_id, _, _ = self.deadline(handling, service_id, case, decided_at, concluded_at)
        self.w["legal"].add(
            service_id,
            case_id,
            center_id,
            day,
            kind,
            legal_status,
            legal_outcome,
            summary,
            self.AGENCY[kind],
            "",
            "",
            "已答复当事人" if legal_status == LegalStatus.CONCLUDED else "",
            refusal,
            registered_at,
            decided_at,
            concluded_at if legal_status != LegalStatus.APPLIED else None,
            handler,
            decision_id,
            handling_id,
        )
        self.event(case_id, "legal_opened", handler, registered_at, f"{self.label[LegalKind][kind]}：{summary[:80]}")
        if legal_status == LegalStatus.CONCLUDED:
            self.event(
                case_id, "legal_concluded", handler, concluded_at, f"办结：{self.label[LegalOutcome][legal_outcome]}"
            )
        self.report["legal_services"] += 1


def generate(generator) -> None:
    """Registered with `registry.register_demo_history`: runs inside the core generator's
    transaction, after its rows and before the rollups are rebuilt."""
    if not generator.case_ids:
        return
    report = History(generator).run()
    generator.report.rows.update({f"mediation.{name}": count for name, count in report.items()})
