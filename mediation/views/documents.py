"""Print-ready documents in the official layouts: the people's mediation agreement (人民调解协议书)
and the acceptance receipt (受理通知回执) with the case's number as a QR code (一案一码)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from governance import roles
from governance.models import PiiAccess
from mediation.views.common import qr_svg, related
from mediation.views.files import _file_for_page


def _age(birth, on) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@login_required
def agreement_print(request, file_id: int):
    """The agreement as signed: the parties in full (it is the parties' own document); a leader's
    or liaison's print is audited like any view of whole personal data."""
    file = _file_for_page(request.user, file_id)
    agreement = related(file, "agreement")
    if agreement is None:
        raise Http404()
    if request.user.has_role(*roles.AUDITED_PII):
        PiiAccess.objects.create(user=request.user, case=file.case, via="mediation-agreement")
    signed_on = timezone.localtime(agreement.signed_at).date()
    parties = list(agreement.parties.all())
    for party in parties:
        party.age = _age(party.case_party.person.birth_date, signed_on)
    return render(
        request,
        "mediation/agreement_print.html",
        {
            "file": file,
            "case": file.case,
            "agreement": agreement,
            "parties": parties,
            "terms": list(agreement.terms.all()),
            "printed_at": timezone.now(),
        },
    )


@login_required
def receipt(request, file_id: int):
    """受理通知回执: what was accepted, by whom, and until when it is mediated."""
    file = _file_for_page(request.user, file_id)
    if file.accepted_at is None:
        raise Http404()
    applicants = [p for p in file.case.parties.all() if p.role != "respondent"]
    respondents = [p for p in file.case.parties.all() if p.role == "respondent"]
    return render(
        request,
        "mediation/receipt.html",
        {
            "file": file,
            "case": file.case,
            "applicants": applicants,
            "respondents": respondents,
            "referral": related(file, "referral"),
            "qr": qr_svg(file.case.number),
            "printed_at": timezone.now(),
        },
    )
