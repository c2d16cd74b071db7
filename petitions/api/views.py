"""Thin API views: validate input, call one service, render output. Every step of the procedure is
a POST to /api/petitions/{id}/<verb>/."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from governance import roles
from governance.api.serializers import DashboardQuerySerializer
from governance.exceptions import NotFound
from governance.models import Center, PiiAccess
from governance.selectors.scoping import center_get_for
from petitions import roles as petition_roles
from petitions import selectors, services
from petitions.api import inputs, outputs
from petitions.choices import BacklogStatus, RatingVia
from petitions.models import BacklogCase, Petition, ReceptionDay

TAGS = ["petitions"]


def _center_for(request, center_id) -> Center:
    if center_id is not None:
        return center_get_for(user=request.user, center_id=center_id)
    if request.user.center is not None:
        return request.user.center
    center = Center.objects.filter(depth=1).order_by("path").first()
    if center is None:
        raise NotFound()
    return center


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Petitions (信访事项) the user may see; each is a case on the ledger."""

    queryset = Petition.objects.none()  # for the schema; get_queryset scopes
    filterset_class = selectors.PetitionFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.petition_list_qs(self.request.user)
        return qs.prefetch_related("case__parties__person")

    def get_serializer_class(self):
        return outputs.PetitionDetailSerializer if self.action == "retrieve" else outputs.PetitionListSerializer

    def _petition(self, pk) -> Petition:
        return selectors.petition_get_for(user=self.request.user, petition_id=pk)

    def _detail(self, petition_id, code=status.HTTP_200_OK, serializer=outputs.PetitionDetailSerializer, **context):
        petition = (
            selectors.petition_detail_qs(self.request.user)
            .prefetch_related("case__parties__person")
            .get(pk=petition_id)
        )
        context.update(
            request=self.request,
            deadlines=selectors.petition_deadlines(petition),
            links=list(selectors.petition_links(self.request.user, petition)),
        )
        return Response(serializer(petition, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        petition = self._petition(kwargs["pk"])
        if request.user.has_role(*roles.AUDITED_PII):
            PiiAccess.objects.create(user=request.user, case_id=petition.case_id, via="api:petition")
        return self._detail(petition.pk)

    @extend_schema(
        request=inputs.PetitionCreateSerializer, responses={201: outputs.PetitionCreatedSerializer}, tags=TAGS
    )
    def create(self, request):
        """登记 a petition: a case of the `petition` service line with its petitioners; returns the
        receipt's query code once."""
        data = inputs.PetitionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        center = v.get("center") or request.user.center
        if center is None:
            raise serializers.ValidationError({"center": [_("请指定受理中心")]})
        visible = selectors.petition_qs_for(request.user)
        related = list(visible.filter(pk__in=v["related"]).select_related("case"))
        if len(related) != len(set(v["related"])):
            raise serializers.ValidationError({"related": [_("关联的信访事项不存在或您无权查看")]})
        petition = services.petition_register(
            actor=request.user,
            center=center,
            form=v["form"],
            type=v["type"],
            headcount=v.get("headcount"),
            petitioners=[services.PetitionerInput(**p) for p in v["petitioners"]],
            summary=v["summary"],
            category=v["category"],
            risk_level=v["risk_level"],
            flags=v["flags"],
            repeat=v["repeat"],
            accused=[services.AccusedInput(**a) for a in v["accused"]],
            related=related,
            reception=v["reception"],
        )
        return self._detail(
            petition.pk, status.HTTP_201_CREATED, outputs.PetitionCreatedSerializer, query_code=petition.query_code
        )

    def _step(self, request, pk, serializer_class, service, **fixed):
        petition = self._petition(pk)
        values = {}
        if serializer_class is not None:
            data = serializer_class(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            values = data.validated_data
        service(actor=request.user, petition=petition, **values, **fixed)
        return self._detail(petition.pk)

    @extend_schema(request=inputs.ForwardSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """转送 to the department (or outside organ) with the power to handle it, within 15 days of
        registration; the handling clock starts (60 days, or the local fast track)."""
        return self._step(request, pk, inputs.ForwardSerializer, services.petition_forward)

    @extend_schema(request=inputs.AssignSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """交办 with a deadline (at most the track's period) by which the handler reports back."""
        return self._step(request, pk, inputs.AssignSerializer, services.petition_assign)

    @extend_schema(request=inputs.RefuseSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """不予受理 with a written notice and its reason; closes the case."""
        return self._step(request, pk, inputs.RefuseSerializer, services.petition_refuse)

    @extend_schema(request=inputs.ExtendSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the handling period once, by at most 30 days, approved by a leader; the reason is
        shown to the petitioner."""
        return self._step(request, pk, inputs.ExtendSerializer, services.petition_extend)

    @extend_schema(request=inputs.ReplySerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """The written reply: support, explain or not support; closes the case."""
        return self._step(request, pk, inputs.ReplySerializer, services.petition_reply)

    @extend_schema(request=inputs.ReviewRequestSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="request-review", url_name="request-review")
    def request_review(self, request, pk=None):
        """复查 requested by the petitioner within 30 days of the reply."""
        return self._step(request, pk, inputs.ReviewRequestSerializer, services.petition_request_review)

    @extend_schema(request=inputs.ReviewAnswerSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="answer-review", url_name="answer-review")
    def answer_review(self, request, pk=None):
        """The review opinion, within 30 days of the request."""
        return self._step(request, pk, inputs.ReviewAnswerSerializer, services.petition_answer_review)

    @extend_schema(request=inputs.ReviewRequestSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="request-re-review", url_name="request-re-review")
    def request_re_review(self, request, pk=None):
        """复核 requested within 30 days of the review opinion."""
        return self._step(request, pk, inputs.ReviewRequestSerializer, services.petition_request_re_review)

    @extend_schema(request=inputs.ReviewAnswerSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="answer-re-review", url_name="answer-re-review")
    def answer_re_review(self, request, pk=None):
        """The re-review opinion: the petition is final."""
        return self._step(request, pk, inputs.ReviewAnswerSerializer, services.petition_answer_re_review)

    @extend_schema(request=inputs.RateSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The petitioner's evaluation, entered by staff after a follow-up call."""
        return self._step(request, pk, inputs.RateSerializer, services.petition_rate, via=RatingVia.STAFF)

    @extend_schema(request=inputs.LinkSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Link an earlier petition on the same matter (a repeat petition)."""
        petition = self._petition(pk)
        data = inputs.LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        earlier = selectors.petition_get_for(user=request.user, petition_id=data.validated_data["earlier"])
        services.petition_link(actor=request.user, petition=petition, earlier=earlier)
        return self._detail(petition.pk)

    @extend_schema(request=None, responses=outputs.PetitionCreatedSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="reissue-code", url_name="reissue-code")
    def reissue_code(self, request, pk=None):
        """A new query code for a lost receipt (the old one stops working)."""
        petition = self._petition(pk)
        petition = services.petition_reissue_code(actor=request.user, petition=petition)
        return self._detail(petition.pk, serializer=outputs.PetitionCreatedSerializer, query_code=petition.query_code)

    @extend_schema(request=inputs.BacklogSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def backlog(self, request, pk=None):
        """List as a backlog case (积案) with a star rating and the leader in charge (包案)."""
        return self._step(request, pk, inputs.BacklogSerializer, services.backlog_designate)

    @extend_schema(request=inputs.BacklogResolveSerializer, responses=outputs.PetitionDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="backlog-resolve", url_name="backlog-resolve")
    def backlog_resolve(self, request, pk=None):
        """The backlog case is resolved."""
        petition = self._petition(pk)
        data = inputs.BacklogResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            backlog = petition.backlog
        except BacklogCase.DoesNotExist:
            raise NotFound() from None
        services.backlog_resolve(actor=request.user, backlog=backlog, **data.validated_data)
        return self._detail(petition.pk)


class PetitionStatsView(APIView):
    """The petition figures of a center's subtree for a date range (default: this year)."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=outputs.PetitionStatsSerializer, tags=TAGS)
    def get(self, request):
        roles.require(request.user, petition_roles.STATS)
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        center = _center_for(request, v.get("center"))
        return Response(selectors.petition_figures(center, v["date_from"], v["date_to"]))


class _PublicView(APIView):
    """No account: the query code from the receipt. Rate-limited per client address."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "anon_lookup"

    def _petition(self, code: str) -> Petition:
        petition = selectors.petition_by_query_code(code)
        if petition is None:
            raise NotFound(_("查询码无效，请核对回执上的查询码"))
        return petition


class LookupView(_PublicView):
    """The petitioner's progress (no personal data of anybody), by the receipt's query code, sent in
    the body (never in a URL)."""

    @extend_schema(
        request=inputs.LookupSerializer,
        responses={
            200: outputs.PublicProgressSerializer,
            404: OpenApiResponse(description=gettext_lazy("查询码无效")),
            429: None,
        },
        tags=["public"],
    )
    def post(self, request):
        data = inputs.LookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        petition = self._petition(data.validated_data["code"])
        return Response(outputs.PublicProgressSerializer(selectors.public_progress(petition)).data)


class LookupRateView(_PublicView):
    """The petitioner rates the handling after the written reply (once)."""

    @extend_schema(request=inputs.PublicRateSerializer, responses=outputs.PublicProgressSerializer, tags=["public"])
    def post(self, request):
        data = inputs.PublicRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        petition = self._petition(v["code"])
        petition = services.petition_rate(
            actor=None, petition=petition, satisfaction=v["satisfaction"], note=v["note"], via=RatingVia.QUERY_CODE
        )
        return Response(outputs.PublicProgressSerializer(selectors.public_progress(petition)).data)


class ReceptionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Leaders' reception days (领导接访日): who receives petitioners, when and where."""

    queryset = ReceptionDay.objects.none()  # for the schema; get_queryset scopes
    serializer_class = outputs.ReceptionSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.reception_qs_for(self.request.user).filter(cancelled_at__isnull=True)
        date_from = self.request.query_params.get("date_from")
        if date_from:
            qs = qs.filter(date__gte=date_from)
        return qs.order_by("date", "starts_at")[:200]

    @extend_schema(request=inputs.ReceptionCreateSerializer, responses={201: outputs.ReceptionSerializer}, tags=TAGS)
    def create(self, request):
        data = inputs.ReceptionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        reception = services.reception_schedule(
            actor=request.user,
            center=v.get("center") or _center_for(request, None),
            leader=v["leader"],
            day=v["date"],
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            place=v["place"],
            topic=v["topic"],
        )
        return Response(outputs.ReceptionSerializer(reception).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=outputs.ReceptionSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reception = selectors.reception_qs_for(request.user).filter(pk=pk).first()
        if reception is None:
            raise NotFound()
        services.reception_cancel(actor=request.user, reception=reception)
        return Response(outputs.ReceptionSerializer(reception).data)


class BacklogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Backlog cases (信访积案) by star rating, with the leader in charge."""

    queryset = BacklogCase.objects.none()  # for the schema; get_queryset scopes
    serializer_class = outputs.BacklogListSerializer
    pagination_class = None

    def get_queryset(self):
        qs = selectors.backlog_qs_for(self.request.user)
        status_ = self.request.query_params.get("status")
        if status_ in BacklogStatus.values:
            qs = qs.filter(status=status_)
        leader = self.request.query_params.get("leader", "")
        if leader.isdigit():
            qs = qs.filter(leader_id=int(leader))
        return qs[:500]
