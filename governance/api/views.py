"""Thin API views: validate input, call one service, render output."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from governance import roles
from governance.api import serializers as s
from governance.masking import mask_id_number, mask_phone
from governance.models import (
    Case,
    CaseFlag,
    CaseParty,
    CaseStatus,
    Category,
    Center,
    CenterLevel,
    Channel,
    DeadlineState,
    Department,
    Dispatch,
    DispatchStatus,
    Notification,
    Outcome,
    PartyRole,
    PiiAccess,
    Residency,
    RiskLevel,
    Role,
    Satisfaction,
    ServiceLine,
    TimeUnit,
)
from governance.selectors import cases as case_selectors
from governance.selectors import dashboard as dashboard_selectors
from governance.selectors.cases import CaseFilter, DispatchFilter
from governance.selectors.ledger import person_history
from governance.selectors.scoping import case_get_for, center_get_for, centers_for, departments_for, dispatch_get_for
from governance.services import cases as case_services
from governance.services import dispatch as dispatch_services
from governance.services.notifications import notification_mark_read
from governance.services.persons import PartyInput


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token <token>`)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer, tags=["auth"])
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class CenterViewSet(viewsets.ReadOnlyModelViewSet):
    """The centers of the user's subtree (county → township → village)."""

    serializer_class = s.CenterSerializer
    pagination_class = None
    queryset = Center.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return centers_for(self.request.user).order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        centers = list(centers_for(self.request.user).values_list("pk", "path"))
        by_path = {path: pk for pk, path in centers}
        context["parents"] = {pk: by_path.get(path[: -Center.steplen]) for pk, path in centers}
        return context


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments stationed at the centers of the user's subtree."""

    serializer_class = s.DepartmentSerializer
    pagination_class = None
    queryset = Department.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return departments_for(self.request.user).select_related("center").order_by("center__path", "id")


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Dispute categories (administrators extend the list in the admin)."""

    serializer_class = s.CategorySerializer
    pagination_class = None
    queryset = Category.objects.filter(is_active=True)
    lookup_field = "key"


CHOICE_LISTS = {
    "channels": Channel,
    "service_lines": ServiceLine,
    "risk_levels": RiskLevel,
    "outcomes": Outcome,
    "satisfaction": Satisfaction,
    "case_statuses": CaseStatus,
    "dispatch_statuses": DispatchStatus,
    "party_roles": PartyRole,
    "flags": CaseFlag,
    "roles": Role,
    "residency": Residency,
    "center_levels": CenterLevel,
    "deadline_states": DeadlineState,
    "time_units": TimeUnit,
}


class ChoicesView(APIView):
    """Every choice list a client needs: stable English keys with display labels."""

    @extend_schema(
        responses=inline_serializer(
            "Choices",
            {name: serializers.ListField(child=serializers.DictField()) for name in CHOICE_LISTS},
        ),
        tags=["reference"],
    )
    def get(self, request):
        return Response(
            {
                name: [{"key": value, "label": str(label)} for value, label in choices.choices]
                for name, choices in CHOICE_LISTS.items()
            }
        )


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The unified case ledger (统一受理台账), scoped to what the user may see."""

    filterset_class = CaseFilter
    queryset = Case.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.action == "retrieve":
            return case_selectors.case_detail_qs(self.request.user)
        return case_selectors.case_list_qs(self.request.user)

    def get_serializer_class(self):
        return s.CaseDetailSerializer if self.action == "retrieve" else s.CaseListSerializer

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        if request.user.has_role(*roles.AUDITED_PII):
            PiiAccess.objects.create(user=request.user, case=case, via="api")
        return Response(s.CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    def _detail(self, case_id, code=status.HTTP_200_OK):
        case = case_selectors.case_detail_qs(self.request.user).get(pk=case_id)
        return Response(s.CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseCreatedSerializer})
    def create(self, request):
        data = s.CaseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        center = v.get("center") or request.user.center
        if center is None:
            raise serializers.ValidationError({"center": [_("请指定受理中心")]})
        case = case_services.case_register(
            actor=request.user,
            center=center,
            channel=v["channel"],
            service_line=v["service_line"],
            category=v["category"],
            risk_level=v["risk_level"],
            summary=v["summary"],
            headcount=v.get("headcount"),
            parties=[PartyInput(**party) for party in v["parties"]],
            flags=v["flags"],
            external_ref=v["external_ref"],
        )
        # render what was just written: re-reading the case through the scoped detail query would
        # cost more than the registration itself
        prefetch_related_objects([case], Prefetch("parties", queryset=CaseParty.objects.select_related("person")))
        return Response(s.CaseCreatedSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DispatchCreateSerializer, responses={201: s.DispatchSerializer})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_case(self, request, pk=None):
        """一键派单: send the case to a department (joint handling: dispatch again; one lead)."""
        case = case_get_for(user=request.user, case_id=pk)
        data = s.DispatchCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        dispatch = dispatch_services.dispatch_create(actor=request.user, case=case, **data.validated_data)
        # rendered from what the service wrote (the case came loaded with its center and category)
        return Response(s.DispatchSerializer(dispatch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseCloseSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """办结: close the case with its outcome (center staff only)."""
        case = case_get_for(user=request.user, case_id=pk)
        data = s.CaseCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_services.case_close(actor=request.user, case=case, **data.validated_data)
        return self._detail(case.pk)

    @extend_schema(request=s.FollowUpCreateSerializer, responses={201: s.CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """回访: record the follow-up and the party's satisfaction (after closing)."""
        case = case_get_for(user=request.user, case_id=pk)
        data = s.FollowUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_services.case_follow_up(actor=request.user, case=case, **data.validated_data)
        return self._detail(case.pk, status.HTTP_201_CREATED)


class DispatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dispatches: a liaison sees their department's; center staff see their subtree's."""

    serializer_class = s.DispatchSerializer
    filterset_class = DispatchFilter

    def get_serializer_class(self):
        return s.DispatchListSerializer if self.action == "list" else s.DispatchSerializer

    queryset = Dispatch.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return case_selectors.dispatch_list_qs(self.request.user)

    def _respond(self, dispatch):
        """The dispatch as the service left it (its timers updated in place): no second, scoped read."""
        return Response(s.DispatchSerializer(dispatch).data)

    @extend_schema(request=None, responses=s.DispatchSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """签收. Of two liaisons accepting at once, one wins and the other gets 409."""
        dispatch = dispatch_get_for(user=request.user, dispatch_id=pk)
        dispatch_services.dispatch_accept(actor=request.user, dispatch=dispatch)
        return self._respond(dispatch)

    @extend_schema(request=s.RejectSerializer, responses=s.DispatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """退回 with a reason: the case goes back to the center to be re-dispatched."""
        dispatch = dispatch_get_for(user=request.user, dispatch_id=pk)
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispatch_services.dispatch_reject(actor=request.user, dispatch=dispatch, **data.validated_data)
        return self._respond(dispatch)

    @extend_schema(request=s.FeedbackSerializer, responses=s.DispatchSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """反馈: the result, and whether the dispute is resolved."""
        dispatch = dispatch_get_for(user=request.user, dispatch_id=pk)
        data = s.FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispatch_services.dispatch_feedback(actor=request.user, dispatch=dispatch, **data.validated_data)
        return self._respond(dispatch)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's in-app inbox, newest first."""

    serializer_class = s.NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = Notification.objects.filter(recipient=self.request.user).select_related("case")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()})

    @extend_schema(
        request=s.NotificationReadSerializer,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read")
    def mark_read(self, request):
        """Mark the given notifications read (all when `ids` is omitted)."""
        data = s.NotificationReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notification_mark_read(user=request.user, notification_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


class PersonLookupView(APIView):
    """Recognise a returning visitor or repeat petitioner by ID number or phone (sent in the body,
    never in the URL). Returns masked persons and their earlier cases within the user's scope."""

    @extend_schema(request=s.PersonLookupSerializer, responses=s.PersonLookupResultSerializer, tags=["persons"])
    def post(self, request):
        roles.require(request.user, roles.REGISTER | roles.DASHBOARD)
        data = s.PersonLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        history = person_history(
            request.user,
            id_number=data.validated_data.get("id_number", ""),
            phone=data.validated_data.get("phone", ""),
            limit=20,
        )
        results = [
            {
                "person": entry["person"].pk,
                "name": entry["person"].name,
                "id_number": mask_id_number(entry["person"].id_number),
                "phone": mask_phone(entry["person"].phone),
                "birth_date": entry["person"].birth_date,
                "sex": entry["person"].sex,
                "case_count": entry["total"],
                "cases": [
                    {
                        "id": c.pk,
                        "number": c.number,
                        "registered_at": c.registered_at,
                        "category_label": c.category.display_label,
                        "status": c.status,
                        "status_label": c.get_status_display(),
                        "summary": c.summary[:80],
                    }
                    for c in entry["cases"]
                ],
            }
            # nobody is named to a user who may see none of their cases
            for entry in history
            if entry["total"]
        ]
        return Response({"results": results})


class DashboardSummaryView(APIView):
    """The leader's figures for a center's subtree and a date range (default: this year)."""

    @extend_schema(parameters=[s.DashboardQuerySerializer], responses=s.DashboardSummarySerializer, tags=["dashboard"])
    def get(self, request):
        roles.require(request.user, roles.DASHBOARD)
        query = s.DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        if "center" in v:
            center = center_get_for(user=request.user, center_id=v["center"])
        elif request.user.center is not None:
            center = request.user.center
        else:  # a superuser without a center: the first county
            center = Center.objects.filter(depth=1).order_by("path").first()
        return Response(
            dashboard_selectors.dashboard_summary(center=center, date_from=v["date_from"], date_to=v["date_to"])
        )
