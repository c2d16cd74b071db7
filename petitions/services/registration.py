"""Registering a petition (登记): a case of the `petition` service line on the one ledger, the
petition with its petitioners and representatives, the accused of an accusation, links to earlier
petitions of the same person, the receipt's query code and the 15-day decision timer."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import policies, roles
from governance.exceptions import Conflict, InvalidInput
from governance.models import (
    CaseFlag,
    CaseParty,
    Category,
    Center,
    Channel,
    Department,
    PartyRole,
    RiskLevel,
    ServiceLine,
    User,
)
from governance.services.cases import case_register
from governance.services.persons import PartyInput
from governance.services.timeline import event_record
from petitions import roles as petition_roles
from petitions.choices import LinkKind, PetitionForm, PetitionType
from petitions.models import MAX_REPRESENTATIVES, Petition, PetitionAccused, PetitionLink, ReceptionDay
from petitions.origin import ORIGIN
from petitions.policies import COLLECTIVE_THRESHOLD
from petitions.services import deadlines
from petitions.services.stats import petition_counted, petition_registered_counted

# How a petition of each form reaches the ledger when the caller names no channel. The core has no
# channel for post: letters are taken in by the petition office (访调).
CHANNEL_BY_FORM = {
    PetitionForm.VISIT: Channel.WALK_IN,
    PetitionForm.LETTER: Channel.PETITION_REFERRAL,
    PetitionForm.PHONE: Channel.HOTLINE,
    PetitionForm.ONLINE: Channel.ONLINE,
}
DEFAULT_CATEGORY = "other"
# How a petition-line case let in by another door (the desk, the core API, an import) gets its form.
FORM_BY_CHANNEL = {
    Channel.WALK_IN: PetitionForm.VISIT,
    Channel.HOTLINE: PetitionForm.PHONE,
    Channel.ONLINE: PetitionForm.ONLINE,
    Channel.PETITION_REFERRAL: PetitionForm.LETTER,
}
# Query codes: 12 characters without look-alikes (0/O, 1/I/L), 60 random bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# Earlier petitions of the same person linked at registration (the most recent ones).
MAX_PERSON_LINKS = 20


@dataclass(frozen=True)
class PetitionerInput:
    name: str
    id_number: str = ""  # validated and normalised (governance.api.fields.IdNumberField)
    phone: str = ""  # E.164 (governance.api.fields.PhoneField)
    address: str = ""
    representative: bool = False


@dataclass(frozen=True)
class AccusedInput:
    department: Department | None = None
    user: User | None = None
    name: str = ""


def query_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def query_code_normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def query_code_hash(code: str) -> str:
    return hashlib.sha256(query_code_normalize(code).encode()).hexdigest()


def query_code_display(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out over the phone."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _representatives(form: str, headcount: int, petitioners: Sequence[PetitionerInput]) -> list[bool]:
    """Which petitioners are representatives. A group visit elects representatives [law]: when
    nobody is marked, the people registered for a visit of several are its representatives."""
    marked = [p.representative for p in petitioners]
    if not any(marked) and form == PetitionForm.VISIT and headcount > 1:
        marked = [True] * len(petitioners)
    if sum(marked) > MAX_REPRESENTATIVES:
        raise InvalidInput(
            _("多人信访应推选代表，代表人数不超过%(n)s人（信访工作条例）") % {"n": MAX_REPRESENTATIVES},
            field="petitioners",
        )
    return marked


def _check_accused(type_: str, accused: Sequence[AccusedInput]) -> None:
    if accused and type_ != PetitionType.ACCUSATION:
        raise InvalidInput(_("只有检举控告类信访事项才登记被检举控告对象"), field="accused")
    for item in accused:
        if item.department is None and item.user is None and not item.name.strip():
            raise InvalidInput(_("请填写被检举控告的部门、工作人员或姓名"), field="accused")


@transaction.atomic
def petition_register(
    *,
    actor: User | None,
    center: Center,
    form: str,
    type: str,
    petitioners: Sequence[PetitionerInput],
    summary: str,
    headcount: int | None = None,
    category: Category | None = None,
    risk_level: str = RiskLevel.BLUE,
    flags: Sequence[str] = (),
    repeat: bool = False,
    accused: Sequence[AccusedInput] = (),
    related: Sequence[Petition] = (),
    channel: str = "",
    reception: ReceptionDay | None = None,
    registered_at: datetime | None = None,
) -> Petition:
    """Register a petition. Returns it with `query_code` set (shown once, on the receipt; only its
    hash is stored)."""
    roles.require(actor, petition_roles.STAFF)
    if form not in PetitionForm.values:
        raise InvalidInput(_("无效的信访形式"), field="form")
    if type not in PetitionType.values:
        raise InvalidInput(_("无效的信访类型"), field="type")
    if not petitioners:
        raise InvalidInput(_("请至少登记一名信访人"), field="petitioners")
    headcount = headcount if headcount is not None else len(petitioners)
    if headcount < len(petitioners):
        raise InvalidInput(_("人数不能少于登记的信访人数"), field="headcount")
    unknown = [flag for flag in flags if flag not in CaseFlag.values]
    if unknown:
        raise InvalidInput(_("无效的风险标记：%(flags)s") % {"flags": _("、").join(unknown)}, field="flags")
    representatives = _representatives(form, headcount, petitioners)
    _check_accused(type, accused)
    if reception is not None:
        if reception.cancelled_at is not None or form != PetitionForm.VISIT:
            raise InvalidInput(_("只有来访事项可以登记为领导接访，且接访安排不能已取消"), field="reception")
        if reception.center_id not in center.scope_ids:
            raise InvalidInput(_("该领导接访不在本中心或上级中心"), field="reception")
    registered_at = registered_at or timezone.now()

    visitor_role = PartyRole.VISITOR if form == PetitionForm.VISIT else PartyRole.APPLICANT
    case = case_register(
        actor=actor,
        center=center,
        channel=channel or CHANNEL_BY_FORM[form],
        service_line=ServiceLine.PETITION,
        category=category or Category.objects.get(key=DEFAULT_CATEGORY),
        risk_level=risk_level,
        summary=summary,
        parties=[
            PartyInput(
                name=p.name,
                id_number=p.id_number,
                phone=p.phone,
                address=p.address,
                role=PartyRole.REPRESENTATIVE if is_rep else visitor_role,
            )
            for p, is_rep in zip(petitioners, representatives, strict=True)
        ],
        headcount=headcount,
        flags=flags,
        registered_at=registered_at,
        origin=ORIGIN,
    )
    return _petition_on_case(
        case,
        actor=actor,
        form=form,
        type=type,
        headcount=headcount,
        repeat=repeat,
        accused=accused,
        related=related,
        reception=reception,
        registered_at=registered_at,
    )


def _petition_on_case(
    case,
    *,
    actor: User | None,
    form: str,
    type: str,
    headcount: int,
    repeat: bool = False,
    accused: Sequence[AccusedInput] = (),
    related: Sequence[Petition] = (),
    reception: ReceptionDay | None = None,
    registered_at: datetime,
) -> Petition:
    center = case.center
    person_ids = list(CaseParty.objects.filter(case=case).values_list("person_id", flat=True))
    earlier = list(
        Petition.objects.filter(case__parties__person_id__in=person_ids)
        .exclude(case=case)
        .select_related("case")
        .distinct()
        .order_by("-id")[:MAX_PERSON_LINKS]
    )
    # a repeat petition: marked so, linked to an earlier one on the same matter, or the same person
    # again in the same category (the registrar can link or unlink the matter afterwards)
    same_matter = [p for p in related if p.case_id != case.pk]
    is_repeat = bool(repeat or same_matter or any(p.case.category_id == case.category_id for p in earlier))
    code = query_code_new()
    threshold = policies.policy_value(COLLECTIVE_THRESHOLD.key, center)
    petition = Petition.objects.create(
        case=case,
        form=form,
        type=type,
        headcount=headcount,
        is_collective=headcount >= threshold,
        is_repeat=is_repeat,
        query_code_hash=query_code_hash(code),
        reception=reception,
    )
    PetitionAccused.objects.bulk_create(
        [
            PetitionAccused(petition=petition, case=case, department=a.department, user=a.user, name=a.name.strip())
            for a in accused
        ]
    )
    PetitionLink.objects.bulk_create(
        [
            PetitionLink(petition=petition, earlier=p, kind=LinkKind.SAME_PERSON, created_at=registered_at)
            for p in earlier
        ]
        + [
            PetitionLink(petition=petition, earlier=p, kind=LinkKind.SAME_MATTER, created_at=registered_at)
            for p in {p.pk: p for p in same_matter}.values()
        ]
    )
    deadlines.open_for(petition, deadlines.DECISION, registered_at, amount=deadlines.DECISION_DAYS)
    values = {
        "form": PetitionForm(form).label,
        "type": PetitionType(type).label,
        "headcount": headcount,
        "collective": _("，集体信访") if petition.is_collective else "",
        "repeat": _("，重复信访") if is_repeat else "",
    }
    event_record(
        case=case,
        kind="petition_registered",
        actor=actor,
        at=registered_at,
        message=_("信访登记：%(form)s，%(type)s，%(headcount)s人%(collective)s%(repeat)s") % values,
        data={"petition": petition.pk},
    )
    petition_registered_counted(petition)
    petition.query_code = code
    return petition


def petition_adopt(case, origin: str) -> None:
    """Every case of the petition line is a petition (信访事项 are all registered, with their
    15-day decision): one let in by another door — the registration desk, the core API, an import —
    gets its petition here, in the same transaction, as an appeal/request of the form its channel
    implies. Its query code can be issued afterwards (`petition_reissue_code`)."""
    if origin == ORIGIN or case.service_line != ServiceLine.PETITION or Petition.objects.filter(case=case).exists():
        return
    _petition_on_case(
        case,
        actor=None,
        form=FORM_BY_CHANNEL.get(case.channel, PetitionForm.VISIT),
        type=PetitionType.APPEAL_REQUEST,
        headcount=case.headcount,
        registered_at=case.registered_at,
    )


@transaction.atomic
def petition_link(*, actor: User | None, petition: Petition, earlier: Petition, at: datetime | None = None) -> Petition:
    """Link an earlier petition on the same matter: the petition becomes a repeat petition."""
    roles.require(actor, petition_roles.STAFF)
    at = at or timezone.now()
    petition = Petition.objects.select_for_update().select_related("case", "case__center").get(pk=petition.pk)
    if earlier.pk == petition.pk or earlier.case.registered_at > petition.case.registered_at:
        raise InvalidInput(_("只能关联在此之前登记的信访事项"), field="earlier")
    __, created = PetitionLink.objects.get_or_create(
        petition=petition, earlier=earlier, kind=LinkKind.SAME_MATTER, defaults={"created_at": at}
    )
    if not created:
        raise Conflict(_("已关联该信访事项"))
    if not petition.is_repeat:
        Petition.objects.filter(pk=petition.pk).update(is_repeat=True)
        petition.is_repeat = True
        petition_counted(petition, repeated=1)
    event_record(
        case=petition.case,
        kind="petition_linked",
        actor=actor,
        at=at,
        message=_("关联同一事项的此前信访：%(number)s") % {"number": earlier.case.number},
        data={"petition": petition.pk, "earlier": earlier.pk},
    )
    return petition


@transaction.atomic
def petition_reissue_code(*, actor: User | None, petition: Petition, at: datetime | None = None) -> Petition:
    """A new query code for a lost receipt; the old one stops working."""
    roles.require(actor, petition_roles.STAFF)
    code = query_code_new()
    Petition.objects.filter(pk=petition.pk).update(query_code_hash=query_code_hash(code))
    event_record(
        case=petition.case,
        kind="petition_code_reissued",
        actor=actor,
        at=at,
        message=_("重新生成查询码，原查询码作废"),
        data={"petition": petition.pk},
    )
    petition.query_code = code
    return petition
