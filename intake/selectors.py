from __future__ import annotations

from datetime import date

from django.db.models import Sum

from governance import roles
from governance.models import Center
from governance.selectors.dashboard import with_rate
from governance.selectors.scoping import centers_for
from intake.models import Visit, VisitStat


def visit_figures(center: Center, date_from: date, date_to: date) -> dict:
    """Visits as batches and person-times, collective and individual (the reports count both)."""
    agg = VisitStat.objects.filter(scope=center, day__range=(date_from, date_to)).aggregate(
        visits=Sum("visits", default=0),
        persons=Sum("persons", default=0),
        collective_visits=Sum("collective_visits", default=0),
        collective_persons=Sum("collective_persons", default=0),
    )
    agg["individual_visits"] = agg["visits"] - agg["collective_visits"]
    agg["individual_persons"] = agg["persons"] - agg["collective_persons"]
    with_rate(agg, "collective_visit_share", agg["collective_visits"], agg["visits"])
    return agg


def visit_qs_for(user):
    if not roles.may(user, roles.CENTER_WIDE):
        return Visit.objects.none()
    return Visit.objects.filter(center__in=centers_for(user).values("pk")).select_related(
        "center", "visitor", "case", "received_by"
    )
