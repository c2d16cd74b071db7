"""Writes: one function per use case (see the modules). Views, the API, admin actions, the demo and
the sweep all call these."""

from petitions.services.planning import (
    backlog_designate,
    backlog_rate,
    backlog_resolve,
    reception_cancel,
    reception_schedule,
)
from petitions.services.procedure import (
    petition_assign,
    petition_extend,
    petition_forward,
    petition_refuse,
    petition_reply,
)
from petitions.services.registration import (
    AccusedInput,
    PetitionerInput,
    petition_link,
    petition_register,
    petition_reissue_code,
)
from petitions.services.review import (
    petition_answer_re_review,
    petition_answer_review,
    petition_rate,
    petition_request_re_review,
    petition_request_review,
)

__all__ = [
    "AccusedInput",
    "PetitionerInput",
    "backlog_designate",
    "backlog_rate",
    "backlog_resolve",
    "petition_answer_re_review",
    "petition_answer_review",
    "petition_assign",
    "petition_extend",
    "petition_forward",
    "petition_link",
    "petition_rate",
    "petition_refuse",
    "petition_register",
    "petition_reissue_code",
    "petition_reply",
    "petition_request_re_review",
    "petition_request_review",
    "reception_cancel",
    "reception_schedule",
]
