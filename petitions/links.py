from django.urls import reverse
from django.utils.translation import gettext as _

from governance.models import ServiceLine
from petitions.models import Petition


def petition_links(case, user) -> list[tuple[str, str]]:
    """The petition this case is, on the case page."""
    if case.service_line != ServiceLine.PETITION:
        return []
    petition = Petition.objects.filter(case=case).only("pk", "status").first()
    if petition is None:
        return []
    label = _("信访事项（%(status)s）") % {"status": petition.get_status_display()}
    return [(label, reverse("petitions:detail", args=[petition.pk]))]
