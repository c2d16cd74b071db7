"""Who may do what in mediation, court docking and legal services. Services enforce these; pages
read them to hide buttons a user may not press.

What a mediator may see is decided once, in `mediator_case_scope` (registered with the core's
case scope): the cases of the files they mediate, every file of their committee if they are its
chief mediator, and court referrals waiting at their committee to be signed for.
"""

from __future__ import annotations

from django.db.models import Q

from governance import roles
from governance.exceptions import Forbidden
from governance.models import Role, User
from mediation.choices import ReferralStatus
from mediation.models import CourtReferral, MediationFile, Mediator

# Center staff who register matters and route them to a committee.
CENTER_STAFF = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN})
OPEN_FILE = CENTER_STAFF | {Role.MEDIATOR}
REGISTER_REFERRAL = CENTER_STAFF | {Role.MEDIATOR}
LEGAL_SERVICES = CENTER_STAFF
STATS = roles.DASHBOARD


def mediator_of(user: User | None) -> Mediator | None:
    """The active mediator profile of a user with the mediator role, if any."""
    if user is None or not user.is_authenticated or not user.has_role(Role.MEDIATOR):
        return None
    cached = getattr(user, "_mediator_profile", None)
    if cached is None:
        # cached on the user object for the request; an absent profile is looked up again
        cached = Mediator.objects.filter(user=user, is_active=True).select_related("committee").first()
        user._mediator_profile = cached
    return cached


def is_center_staff(user: User | None) -> bool:
    return roles.may(user, CENTER_STAFF)


def may_mediate(user: User | None, file: MediationFile) -> bool:
    """The file's own mediator, or a chief mediator of its committee (the system and superusers too)."""
    if user is None or user.is_superuser:
        return True
    mediator = mediator_of(user)
    if mediator is None:
        return False
    return mediator.pk == file.mediator_id or (mediator.is_chief and mediator.committee_id == file.committee_id)


def require_mediate(user: User | None, file: MediationFile) -> None:
    if not may_mediate(user, file):
        raise Forbidden()


def may_mediate_or_staff(user: User | None, file: MediationFile) -> bool:
    """Records the center also keeps (consents taken at the window, follow-up checks, the court's
    decisions on a confirmation): the file's mediator or the center's staff."""
    return may_mediate(user, file) or is_center_staff(user)


def require_mediate_or_staff(user: User | None, file: MediationFile) -> None:
    if not may_mediate_or_staff(user, file):
        raise Forbidden()


def may_act_for_committee(user: User | None, committee_id: int | None) -> bool:
    """Sign for or return a court referral: a mediator of the committee it was sent to, or staff."""
    if is_center_staff(user):
        return True
    mediator = mediator_of(user)
    return mediator is not None and committee_id is not None and mediator.committee_id == committee_id


def require_act_for_committee(user: User | None, committee_id: int | None) -> None:
    if not may_act_for_committee(user, committee_id):
        raise Forbidden()


def mediator_case_scope(user: User) -> Q | None:
    """Extra cases a mediator sees (registered with `governance.registry.register_case_scope`)."""
    mediator = mediator_of(user)
    if mediator is None:
        return None
    # uncorrelated id lists (one hash each, the mediator's own few rows), not correlated EXISTS:
    # in an OR those are probed once per case of the whole ledger
    q = Q(pk__in=MediationFile.objects.filter(mediator=mediator).values("case_id"))
    if mediator.is_chief:
        q |= Q(pk__in=MediationFile.objects.filter(committee_id=mediator.committee_id).values("case_id"))
    q |= Q(
        pk__in=CourtReferral.objects.filter(committee_id=mediator.committee_id, status=ReferralStatus.REFERRED).values(
            "case_id"
        )
    )
    return q
