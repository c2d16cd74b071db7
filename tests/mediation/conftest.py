"""Mediation personas and builders on top of the core personas (tests/conftest.py).

- committees at the county: 联合调委会 (joint), 劳动争议调委会 (labour), 诉前调解工作室 (the court's studio);
  one at the other county
- mediator (of the joint committee, with a user) — the persona of most tests
- mediator_b (same committee, not the file's mediator: must NOT see it), chief (the joint committee's
  chief mediator: sees every file of the committee), labour_mediator (another committee),
  studio_mediator (the pre-litigation studio), mediator_x (the other county)
- offline: a mediator of the joint committee without a user

Files are entered through the services at chosen moments, so deadlines are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from governance.models import Case, CaseParty, Role, User
from governance.services.cases import case_register
from governance.services.persons import PartyInput
from mediation.choices import AgreementForm, CommitteeKind, ConsentForm, Side
from mediation.models import Committee, MediationFile, Mediator
from mediation.services import files as file_services
from mediation.services.agreements import AgreementInput, TermInput
from mediation.services.agreements import PartyInput as AgreementPartyInput
from tests.factories import category, make_user, valid_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
WANG_ID = valid_id_number(birth="19750611", seq="217")


def local(*args) -> datetime:
    """local(2026, 9, 16, 10) = 2026-09-16 10:00 +08:00."""
    return datetime(*args, tzinfo=SHANGHAI)


@dataclass
class Mediation:
    joint: Committee
    labour: Committee
    studio: Committee
    other: Committee
    mediator: User
    mediator_b: User
    chief: User
    labour_mediator: User
    studio_mediator: User
    mediator_x: User
    offline: Mediator

    def profile(self, user: User) -> Mediator:
        return Mediator.objects.get(user=user)


def _mediator(username: str, committee: Committee, *, chief: bool = False) -> User:
    user = make_user(username, Role.MEDIATOR, center=committee.center, full_name=f"调解员{username}")
    Mediator.objects.create(committee=committee, user=user, name=user.full_name, is_chief=chief)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def med(world) -> Mediation:
    joint = Committee.objects.create(center=world.county, name="示范县联合人民调解委员会", kind=CommitteeKind.JOINT)
    labour = Committee.objects.create(
        center=world.county, name="示范县劳动争议调解委员会", kind=CommitteeKind.PROFESSIONAL
    )
    studio = Committee.objects.create(
        center=world.county, name="示范县人民法院诉前调解工作室", kind=CommitteeKind.PRE_LITIGATION
    )
    other = Committee.objects.create(center=world.other_county, name="邻县联合人民调解委员会", kind=CommitteeKind.JOINT)
    return Mediation(
        joint=joint,
        labour=labour,
        studio=studio,
        other=other,
        mediator=_mediator("mediator", joint),
        mediator_b=_mediator("mediator_b", joint),
        chief=_mediator("chief", joint, chief=True),
        labour_mediator=_mediator("labour_mediator", labour),
        studio_mediator=_mediator("studio_mediator", studio),
        mediator_x=_mediator("mediator_x", other),
        offline=Mediator.objects.create(committee=joint, name="线下调解员"),
    )


def parties() -> list[PartyInput]:
    return [
        PartyInput(name="王某", id_number=WANG_ID, phone="+8613812345678", role="applicant"),
        PartyInput(name="李某", role="respondent"),
    ]


@pytest.fixture
def mediation_case(world):
    """mediation_case(**fields) → a case of the mediation line registered by `window`."""

    def make(*, category_key: str = "neighbour", at: datetime | None = None, center=None, **extra) -> Case:
        return case_register(
            actor=world.window,
            center=center or world.county,
            channel=extra.pop("channel", "walk_in"),
            service_line=extra.pop("service_line", "mediation"),
            category=category(category_key),
            risk_level=extra.pop("risk_level", "blue"),
            summary=extra.pop("summary", "邻居加盖房屋影响采光，协商未果"),
            parties=extra.pop("parties", parties()),
            registered_at=at,
            **extra,
        )

    return make


@pytest.fixture
def open_file(world, med, mediation_case):
    """open_file(accepted=True, at=…, category_key=…) → a file of `med.mediator` (consents given)."""

    def make(*, accepted: bool = True, at: datetime | None = None, category_key: str = "neighbour", mediator=None):
        case = mediation_case(category_key=category_key, at=at)
        profile = mediator or Mediator.objects.get(user=med.mediator)
        file = file_services.file_open(
            actor=world.window, case=case, committee=profile.committee, mediator=profile, at=at
        )
        if accepted:
            for side in Side.values:
                file_services.file_consent(
                    actor=world.window, file=file, side=side, agreed=True, form=ConsentForm.WRITTEN, at=at
                )
            file = file_services.file_accept(actor=profile.user, file=file, at=at)
        return MediationFile.objects.get(pk=file.pk)

    return make


def agreement_input(
    file: MediationFile, *, form=AgreementForm.WRITTEN, due: date | None = None, **extra
) -> AgreementInput:
    """A complete, signed and sealed agreement between the case's two parties with one term."""
    by_role = {p.role: p.pk for p in CaseParty.objects.filter(case=file.case)}
    written = form == AgreementForm.WRITTEN
    values = {
        "form": form,
        "facts": "双方因房屋采光问题发生争执，经查李某加盖房屋超出原宅基地范围。",
        "parties": [
            AgreementPartyInput(by_role["applicant"], Side.APPLICANT, "配合拆除部分", signed=written),
            AgreementPartyInput(by_role["respondent"], Side.RESPONDENT, "承担拆除费用", signed=written),
        ],
        "terms": [
            TermInput(
                content="李某拆除超出部分并赔偿王某损失人民币3000元",
                method="银行转账",
                due_on=due or timezone.localdate(file.accepted_at or file.applied_at) + timedelta(days=20),
                obligor=by_role["respondent"],
            )
        ],
        "sealed": written,
    }
    values.update(extra)
    return AgreementInput(**values)
