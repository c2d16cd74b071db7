"""What a user may see of mediation, court docking and legal services: exactly the files,
referrals and legal matters whose ledger case the core lets them see (`case_qs_for`, widened for
mediators by `permissions.mediator_case_scope`). Outside the scope is a 404, like a missing row."""

from __future__ import annotations

from django.db.models import QuerySet

from governance.exceptions import NotFound
from governance.models import Center, User
from governance.selectors.scoping import case_qs_for
from mediation.models import (
    Agreement,
    Committee,
    CourtReferral,
    JudicialConfirmation,
    LegalService,
    MediationFile,
    Mediator,
    Term,
)


def _visible_cases(user: User):
    return case_qs_for(user).values("pk")


def file_qs_for(user: User) -> QuerySet[MediationFile]:
    return MediationFile.objects.filter(case__in=_visible_cases(user))


def referral_qs_for(user: User) -> QuerySet[CourtReferral]:
    return CourtReferral.objects.filter(case__in=_visible_cases(user))


def legal_qs_for(user: User) -> QuerySet[LegalService]:
    return LegalService.objects.filter(case__in=_visible_cases(user))


def _get(qs: QuerySet, object_id):
    try:
        return qs.get(pk=int(object_id))
    except (qs.model.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def file_get_for(*, user: User, file_id) -> MediationFile:
    return _get(
        file_qs_for(user).select_related("case", "case__center", "case__category", "committee", "mediator", "deadline"),
        file_id,
    )


def file_for_case(*, user: User, case_id) -> MediationFile:
    try:
        return file_get_for(user=user, file_id=MediationFile.objects.get(case_id=int(case_id)).pk)
    except (MediationFile.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def agreement_get_for(*, user: User, agreement_id) -> Agreement:
    return _get(Agreement.objects.filter(file__in=file_qs_for(user)).select_related("file", "file__case"), agreement_id)


def term_get_for(*, user: User, term_id) -> Term:
    return _get(
        Term.objects.filter(agreement__file__in=file_qs_for(user)).select_related("agreement", "agreement__file"),
        term_id,
    )


def confirmation_get_for(*, user: User, confirmation_id) -> JudicialConfirmation:
    return _get(
        JudicialConfirmation.objects.filter(agreement__file__in=file_qs_for(user)).select_related(
            "agreement", "agreement__file"
        ),
        confirmation_id,
    )


def referral_get_for(*, user: User, referral_id) -> CourtReferral:
    return _get(
        referral_qs_for(user).select_related("case", "case__center", "case__category", "committee", "file"),
        referral_id,
    )


def legal_get_for(*, user: User, legal_id) -> LegalService:
    return _get(legal_qs_for(user).select_related("case", "case__center", "case__category"), legal_id)


def committees_for(user: User) -> QuerySet[Committee]:
    """Committees of the user's county (public within it): to route files and sign referrals."""
    if user.is_superuser and user.center_id is None:
        return Committee.objects.all()
    if user.center_id is None:
        return Committee.objects.none()
    root = user.center.path[: Center.steplen]
    return Committee.objects.filter(center__path__startswith=root)


def mediators_for(user: User) -> QuerySet[Mediator]:
    return Mediator.objects.filter(committee__in=committees_for(user).values("pk"))
