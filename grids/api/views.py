"""Thin API views for grid command: validate input, call one service, render output."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from governance import roles
from governance.api.pagination import StandardPagination
from governance.api.serializers import CaseDetailSerializer
from governance.exceptions import Forbidden
from governance.models import Center
from governance.selectors.cases import case_detail_qs
from governance.selectors.scoping import case_get_for, center_get_for
from grids.api import serializers as s
from grids.models import Grid, GridEvent, GridRating, WeeklyReport, WorkerRating, WorkLog
from grids.selectors import events as event_selectors
from grids.selectors import figures
from grids.selectors.reports import grid_week, township_week
from grids.selectors.scoping import event_get_for, grid_get_for, grid_qs_for
from grids.services import attachments, logs, ratings, reports
from grids.services import events as event_services
from grids.services import hotline as hotline_services


class GridPagination(StandardPagination):
    """Grids in tree order (the materialised path is unique)."""

    ordering = "path"


class GridViewSet(viewsets.ReadOnlyModelViewSet):
    """The grids in the user's scope: a grid worker's own grid(s) and the nodes below them; center
    staff and leaders the grids of their center's subtree."""

    filterset_class = event_selectors.GridFilter
    pagination_class = GridPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Grid.objects.none()
        return event_selectors.grid_list_qs(self.request.user)

    def get_serializer_class(self):
        return s.GridDetailSerializer if self.action == "retrieve" else s.GridSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            rows = list(grid_qs_for(self.request.user).values_list("pk", "path"))
            by_path = {path: pk for pk, path in rows}
            context["parents"] = {pk: by_path.get(path[: -Grid.steplen]) for pk, path in rows}
        return context

    @extend_schema(responses=s.GridHouseholdSerializer(many=True))
    @action(detail=True, methods=["get"])
    def households(self, request, pk=None):
        """The households a grid covers (its own and its sub-grids'), phones masked."""
        grid = grid_get_for(user=request.user, grid_id=pk)
        qs = grid_households(grid)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.GridHouseholdSerializer(page, many=True).data)

    def paginate_queryset(self, queryset):
        if self.action == "households":
            paginator = StandardPagination()
            self._paginator = paginator
            return paginator.paginate_queryset(queryset, self.request, view=self)
        return super().paginate_queryset(queryset)


def grid_households(grid: Grid):
    from grids.models import Household

    return Household.objects.filter(
        grid__in=Grid.objects.filter(path__startswith=grid.path).values("pk"), is_active=True
    ).select_related("grid")


class GridEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Grid events (网格事件): report → review → handle (close on site, or escalate one tier up, where
    it becomes a case on the ledger) → feed back. Each step is a POST to a verb URL."""

    filterset_class = event_selectors.GridEventFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GridEvent.objects.none()
        if self.action == "retrieve":
            return event_selectors.event_detail_qs(self.request.user)
        return event_selectors.event_list_qs(self.request.user)

    def get_serializer_class(self):
        return s.GridEventDetailSerializer if self.action == "retrieve" else s.GridEventSerializer

    def _detail(self, event_id, code=status.HTTP_200_OK):
        event = event_selectors.event_detail_qs(self.request.user).get(pk=event_id)
        return Response(s.GridEventDetailSerializer(event, context=self.get_serializer_context()).data, status=code)

    def _case(self, case_id, code=status.HTTP_200_OK):
        case = case_detail_qs(self.request.user).get(pk=case_id)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.GridEventCreateSerializer, responses={201: s.GridEventDetailSerializer})
    def create(self, request):
        """上报: report an event found in a grid; it waits for review, its type's time limit runs."""
        data = s.GridEventCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        event = event_services.grid_event_report(actor=request.user, **data.validated_data)
        return self._detail(event.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.GridReviewSerializer, responses=s.GridEventDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """审核: accept the report for handling (`valid: true`), or refuse it with a reason."""
        event = event_get_for(user=request.user, event_id=pk)
        data = s.GridReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event_services.grid_event_review(actor=request.user, event=event, **data.validated_data)
        return self._detail(event.pk)

    @extend_schema(request=s.GridCloseOnSiteSerializer, responses=s.GridEventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="close-on-site", url_name="close-on-site")
    def close_on_site(self, request, pk=None):
        """现场办结: the grid handled it on the spot."""
        event = event_get_for(user=request.user, event_id=pk)
        data = s.GridCloseOnSiteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event_services.grid_event_close_on_site(actor=request.user, event=event, **data.validated_data)
        return self._detail(event.pk)

    @extend_schema(
        request=s.GridEscalateSerializer,
        responses={201: CaseDetailSerializer, 200: CaseDetailSerializer},
        description="提级 one tier up. Returns the ledger case the event became: 201 when this call "
        "created it (leaving the grid), 200 for a later tier (the same case).",
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        event = event_get_for(user=request.user, event_id=pk)
        data = s.GridEscalateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        had_case = event.case_id is not None
        case = event_services.grid_event_escalate(actor=request.user, event=event, **data.validated_data)
        return self._case(case.pk, status.HTTP_200_OK if had_case else status.HTTP_201_CREATED)

    @extend_schema(request=s.GridFeedbackSerializer, responses=s.GridEventDetailSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """反馈: tell the people concerned what was done (after closing on site, or once the
        escalated case is closed)."""
        event = event_get_for(user=request.user, event_id=pk)
        data = s.GridFeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event_services.grid_event_feedback(actor=request.user, event=event, **data.validated_data)
        return self._detail(event.pk)

    @extend_schema(
        request={"multipart/form-data": s.GridAttachmentUploadSerializer},
        responses={201: s.GridEventDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        """Attach a photo (jpg, png, webp, heic) or a PDF (size limit: policy)."""
        event = event_get_for(user=request.user, event_id=pk)
        data = s.GridAttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachments.attachment_add(actor=request.user, event=event, upload=data.validated_data["file"])
        return self._detail(event.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.GridHotlineAssignSerializer, responses={201: s.GridEventDetailSerializer})
    @action(detail=False, methods=["post"], url_path="from-hotline", url_name="from-hotline")
    def from_hotline(self, request):
        """12345+网格: send a hotline ticket of a dispute kind (a case on the ledger) straight to a
        grid, as a grid event to be mediated on the spot."""
        data = s.GridHotlineAssignSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = case_get_for(user=request.user, case_id=data.validated_data["case"])
        event = hotline_services.hotline_assign_to_grid(
            actor=request.user,
            case=case,
            grid=data.validated_data["grid"],
            instructions=data.validated_data["instructions"],
        )
        return self._detail(event.pk, status.HTTP_201_CREATED)


class WorkLogViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Work logs: household visits, patrols, daily screening, key-person checks."""

    serializer_class = s.WorkLogSerializer
    filterset_class = event_selectors.WorkLogFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkLog.objects.none()
        return event_selectors.log_list_qs(self.request.user)

    @extend_schema(request=s.WorkLogCreateSerializer, responses={201: s.WorkLogSerializer})
    def create(self, request):
        data = s.WorkLogCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        log = logs.worklog_record(actor=request.user, **data.validated_data)
        return Response(s.WorkLogSerializer(self.get_queryset().get(pk=log.pk)).data, status=status.HTTP_201_CREATED)


def _center_for(request, center_id) -> Center:
    if center_id is not None:
        return center_get_for(user=request.user, center_id=center_id)
    if request.user.center is not None:
        return request.user.center
    return Center.objects.filter(depth=1).order_by("path").first()


class GridStatsView(APIView):
    """The grid figures of a center's subtree (or of one grid) for a period of report days:
    events, closed on site, escalated and escalated-and-closed, disputes found and resolved,
    household visits, patrols…, by event type, per grid and per worker. Every rate comes with
    its numerator and denominator (`<rate>_basis`)."""

    @extend_schema(parameters=[s.GridStatsQuerySerializer], responses=s.GridStatsSerializer, tags=["grids"])
    def get(self, request):
        query = s.GridStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        grid = None
        if "grid" in v:
            grid = grid_get_for(user=request.user, grid_id=v["grid"])
            center = grid.center
        else:
            roles.require(request.user, roles.DASHBOARD)
            center = _center_for(request, v.get("center"))
        return Response(figures.grid_stats(center, v["date_from"], v["date_to"], grid=grid))


class WeeklyReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """一周一报送: grids' weekly reports; a township's week."""

    serializer_class = s.WeeklyReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WeeklyReport.objects.none()
        return (
            WeeklyReport.objects.filter(grid__in=grid_qs_for(self.request.user).values("pk"))
            .select_related("grid", "submitted_by")
            .order_by("-week_start", "grid_id")
        )

    @extend_schema(request=s.WeeklyReportSubmitSerializer, responses={201: s.WeeklyReportSerializer})
    def create(self, request):
        """Submit a grid's week (figures taken from the records now, plus the worker's note)."""
        data = s.WeeklyReportSubmitSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = reports.weekly_report_submit(actor=request.user, **data.validated_data)
        return Response(s.WeeklyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[s.GridWeekQuerySerializer], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def week(self, request):
        """A grid's week (`grid=`) or a center's week with each grid and whether it reported (`center=`)."""
        query = s.GridWeekQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        day = v.get("week") or timezone.localdate()
        week_start = figures.week_range(day)[0]
        if "grid" in v:
            grid = grid_get_for(user=request.user, grid_id=v["grid"])
            return Response({"grid": {"id": grid.pk, "name": grid.name}, **grid_week(grid, week_start)})
        if not roles.may(request.user, roles.CENTER_WIDE):
            raise Forbidden(_("请指定网格"))
        return Response(township_week(_center_for(request, v.get("center")), week_start))


class RatingsView(APIView):
    """Quarterly star-rated grids and the top grid workers of a center, with each score's breakdown."""

    @extend_schema(parameters=[s.GridRatingQuerySerializer], responses=s.GridRatingsSerializer, tags=["grids"])
    def get(self, request):
        roles.require(request.user, roles.CENTER_WIDE)
        query = s.GridRatingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        center = _center_for(request, v.get("center"))
        return Response(ratings_payload(center, v["year"], v["quarter"]))

    @extend_schema(request=s.GridRatingQuerySerializer, responses={201: s.GridRatingsSerializer}, tags=["grids"])
    def post(self, request):
        """(Re)compute the quarter's ratings with the current policy."""
        data = s.GridRatingQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        center = _center_for(request, v.get("center"))
        ratings.ratings_compute(actor=request.user, center=center, year=v["year"], quarter=v["quarter"])
        return Response(ratings_payload(center, v["year"], v["quarter"]), status=status.HTTP_201_CREATED)


def ratings_payload(center: Center, year: int, quarter: int) -> dict:
    limit = ratings.top_workers_limit(center)
    grid_rows = GridRating.objects.filter(scope=center, year=year, quarter=quarter).select_related("grid")
    worker_rows = WorkerRating.objects.filter(scope=center, year=year, quarter=quarter, rank__lte=limit)
    return {
        "center": {"id": center.pk, "name": center.name},
        "year": year,
        "quarter": quarter,
        "grids": [
            {
                "grid": r.grid_id,
                "name": r.grid.name,
                "rank": r.rank,
                "stars": r.stars,
                "score": str(r.score),
                "breakdown": r.breakdown,
                "computed_at": r.computed_at,
            }
            for r in grid_rows
        ],
        "top_workers": [
            {
                "worker": r.worker_id,
                "name": str(r.worker),
                "rank": r.rank,
                "score": str(r.score),
                "breakdown": r.breakdown,
            }
            for r in worker_rows.select_related("worker")
        ],
    }
