"""The figures of mediation, court docking and legal services."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from governance import roles
from governance.api.serializers import DashboardQuerySerializer
from governance.models import Center
from governance.selectors.scoping import center_get_for
from mediation import permissions
from mediation.api import figures
from mediation.api.common import TAGS
from mediation.selectors import stats


def _stats_center(request, v) -> Center:
    if "center" in v:
        return center_get_for(user=request.user, center_id=v["center"])
    if request.user.center is not None:
        return request.user.center
    return Center.objects.filter(depth=1).order_by("path").first()


class MediationStatsView(APIView):
    """Mediation figures for a center's subtree and a period (cases by registration day): every
    case of the mediation line, by category; files by kind, committee and mediator; agreements
    and their performance; judicial confirmations; pre-litigation and fast-track referrals."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=figures.MediationStatsSerializer, tags=TAGS)
    def get(self, request):
        roles.require(request.user, permissions.STATS)
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(
            stats.mediation_stats(center=_stats_center(request, v), date_from=v["date_from"], date_to=v["date_to"])
        )


class LegalStatsView(APIView):
    """Legal-service figures by kind and outcome, for a center's subtree and a period."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=figures.LegalStatsSerializer, tags=TAGS)
    def get(self, request):
        roles.require(request.user, permissions.STATS)
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(
            stats.legal_stats(center=_stats_center(request, v), date_from=v["date_from"], date_to=v["date_to"])
        )
