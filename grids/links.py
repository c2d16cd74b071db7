from django.urls import reverse
from django.utils.translation import gettext as _

from governance.models import Channel
from grids.models import GridEvent


def grid_links(case, user) -> list[tuple[str, str]]:
    """The grid event this case came from (an escalation, or a 12345 ticket sent to a grid)."""
    if case.channel not in (Channel.GRID_REPORT, Channel.HOTLINE):
        return []
    event = GridEvent.objects.filter(case=case).select_related("grid").only("pk", "grid__name").first()
    if event is None:
        return []
    label = _("网格事件（%(grid)s）") % {"grid": event.grid.name}
    return [(label, reverse("grids:event-detail", args=[event.pk]))]
