"""The petition's state machine: lock the row, check `ALLOWED_TRANSITIONS`, move it with a
conditional UPDATE (of two concurrent steps, one wins; the other gets 409)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from governance.exceptions import Conflict, TransitionNotAllowed
from petitions.choices import PetitionStatus, Step
from petitions.models import ALLOWED_TRANSITIONS, Petition


def lock(petition: Petition) -> Petition:
    return (
        Petition.objects.select_for_update(of=("self",))
        .select_related("case", "case__center", "case__category", "handling_department")
        .get(pk=petition.pk)
    )


def check_step(petition: Petition, step: str) -> str:
    """The status `step` leads to from the petition's current one, or TransitionNotAllowed (409)."""
    new_status = ALLOWED_TRANSITIONS.get((step, petition.status))
    if new_status is None:
        raise TransitionNotAllowed(
            _("信访事项当前为“%(status)s”，不能%(step)s")
            % {"status": PetitionStatus(petition.status).label, "step": Step(step).label}
        )
    return new_status


def move(petition: Petition, step: str, **values) -> None:
    """Move the petition along `step` if the table allows it from its current status and nobody
    moved it meanwhile (conditional UPDATE, row count checked)."""
    new_status = check_step(petition, step)
    if not Petition.objects.filter(pk=petition.pk, status=petition.status).update(status=new_status, **values):
        raise Conflict()
    petition.status = new_status
    for name, value in values.items():
        setattr(petition, name, value)
