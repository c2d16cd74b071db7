from mediation.legal.models import LegalService
from mediation.models.agreements import (
    CONFIRMATION_TRANSITIONS,
    TERM_TRANSITIONS,
    Agreement,
    AgreementParty,
    JudicialConfirmation,
    PerformanceCheck,
    Term,
)
from mediation.models.committees import Committee, Mediator
from mediation.models.court import REFERRAL_TRANSITIONS, CourtReferral
from mediation.models.files import FILE_TRANSITIONS, OPEN_FILE_STATUSES, Consent, MediationFile, Session
from mediation.models.stats import FILE_COUNTERS, LegalServiceStat, MediationStat, ReferralStat

__all__ = [
    "CONFIRMATION_TRANSITIONS",
    "FILE_COUNTERS",
    "FILE_TRANSITIONS",
    "OPEN_FILE_STATUSES",
    "REFERRAL_TRANSITIONS",
    "TERM_TRANSITIONS",
    "Agreement",
    "AgreementParty",
    "Committee",
    "Consent",
    "CourtReferral",
    "JudicialConfirmation",
    "LegalService",
    "LegalServiceStat",
    "MediationFile",
    "MediationStat",
    "Mediator",
    "PerformanceCheck",
    "ReferralStat",
    "Session",
    "Term",
]
