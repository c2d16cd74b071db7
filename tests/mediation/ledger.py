"""A ledger written in bulk (as the demo generator writes it) for the figures at full size: rows
of cases, mediation files, agreements and court referrals with known totals, in seconds. Like the
generator, `flush` then rebuilds the daily rollups the figures are read from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from governance.bulk import BulkWriter, next_id
from governance.models import Case, CaseStatus, Category, Center, User
from governance.services.stats import stats_rebuild
from mediation.choices import AgreementForm, FileStatus, MediationKind, Performance
from mediation.models import Agreement, Committee, CourtReferral, MediationFile, Mediator

CASE_FIELDS = [
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
    "registered_at",
    "registered_on",
    "updated_at",
]


class Ledger:
    def __init__(self, *, center: Center, handler: User, day: date):
        self.center, self.handler, self.day = center, handler, day
        self.at = timezone.make_aware(datetime.combine(day, time(9)))
        self.categories = dict(Category.objects.values_list("key", "pk"))
        self.next = {model: next_id(model) for model in (Case, MediationFile, Agreement, CourtReferral)}
        self.cases = BulkWriter(Case, CASE_FIELDS)
        self.files = BulkWriter(
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
                "failure_reason",
                "routes",
                "end_note",
            ],
        )
        self.agreements = BulkWriter(
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
                "performance",
            ],
        )
        self.referrals = BulkWriter(
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
                "return_reason",
                "court_record",
                "filing_number",
                "note",
            ],
        )

    def _id(self, model) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value

    def case(
        self, *, line: str = "mediation", category: str = "neighbour", outcome: str = "", channel: str = "walk_in"
    ) -> int:
        case_id = self._id(Case)
        closed = bool(outcome)
        self.cases.add(
            case_id,
            f"BULK-{case_id:08d}",
            self.center.pk,
            channel,
            line,
            self.categories[category],
            "blue",
            False,
            False,
            False,
            False,
            False,
            1,
            "批量写入的台账案件",
            f"BULK-{case_id}" if channel == "court_referral" else "",
            self.handler.pk,
            CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
            outcome,
            "",
            self.at + timedelta(days=3) if closed else None,
            self.at,
            self.day,
            self.at,
        )
        return case_id

    def file(self, case_id: int, *, mediator: Mediator, status: str, kind: str = MediationKind.PEOPLE) -> int:
        file_id = self._id(MediationFile)
        accepted = status not in (FileStatus.APPLIED, FileStatus.REFUSED)
        concluded = status not in (FileStatus.APPLIED, FileStatus.MEDIATING)
        self.files.add(
            file_id,
            case_id,
            self.center.pk,
            self.day,
            mediator.committee_id,
            mediator.pk,
            kind,
            status,
            "",
            self.at,
            self.at if accepted else None,
            self.at + timedelta(days=3) if concluded else None,
            "调解不成" if status == FileStatus.FAILED else "",
            ["litigation"] if status == FileStatus.FAILED else [],
            "",
        )
        if status == FileStatus.AGREED:
            self.agreements.add(
                self._id(Agreement),
                file_id,
                AgreementForm.WRITTEN,
                "纠纷事实",
                mediator.pk,
                "",
                True,
                3,
                self.at + timedelta(days=3),
                self.at + timedelta(days=3),
                False,
                Performance.PERFORMING,
            )
        return file_id

    def referral(self, case_id: int, *, kind: str, committee: Committee | None, status: str, result: str) -> int:
        referral_id = self._id(CourtReferral)
        self.referrals.add(
            referral_id,
            case_id,
            self.center.pk,
            self.day,
            kind,
            "人民法院",
            f"BULK-{case_id}",
            committee.pk if committee else None,
            status,
            result,
            self.at,
            True,
            "",
            "",
            "",
            "",
        )
        return referral_id

    def flush(self) -> None:
        for writer in (self.cases, self.files, self.agreements, self.referrals):
            writer.flush()
        stats_rebuild()
