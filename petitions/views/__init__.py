"""The petition pages: the list (every dashboard figure links here), registration with its receipt
and query code, the petition page with the steps this user may take now, the printable written
notice, leaders' reception days, backlog cases, and the petitioner's public progress page.

Thin: reads go through `petitions.selectors` (scoped like the ledger), writes through
`petitions.services`; refusals land on the form (400) as on every page (docs/UI.md)."""

from petitions.views.petitions import (
    backlog,
    backlog_resolve,
    detail,
    link,
    notice,
    petition_list,
    rate,
    receipt,
    register,
    reissue_code,
    reveal,
    step,
)
from petitions.views.planning import backlog_list, reception_cancel, receptions
from petitions.views.public import lookup, lookup_rate

__all__ = [
    "backlog",
    "backlog_list",
    "backlog_resolve",
    "detail",
    "link",
    "lookup",
    "lookup_rate",
    "notice",
    "petition_list",
    "rate",
    "receipt",
    "reception_cancel",
    "receptions",
    "register",
    "reissue_code",
    "reveal",
    "step",
]
