from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from governance.api.fields import MaskedIdNumberField, MaskedPhoneField
from governance.api.serializers import PartyInputSerializer
from governance.models import CaseFlag, Category, Center, RiskLevel, ServiceLine
from governance.selectors.scoping import centers_for
from governance.services.persons import PartyInput
from intake import services
from intake.models import Visit
from intake.selectors import visit_qs_for


class MatterInputSerializer(serializers.Serializer):
    service_line = serializers.ChoiceField(choices=ServiceLine.choices, label=gettext_lazy("业务条线"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        label=gettext_lazy("纠纷类别"),
        error_messages={"does_not_exist": gettext_lazy("未知的纠纷类别：{value}")},
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, label=gettext_lazy("风险等级"))
    summary = serializers.CharField(max_length=2000, label=gettext_lazy("事项摘要"))
    flags = serializers.ListField(child=serializers.ChoiceField(choices=CaseFlag.choices), required=False, default=list)
    parties = PartyInputSerializer(
        many=True, required=False, default=list, max_length=50, label=gettext_lazy("其他当事人")
    )


class VisitCreateSerializer(serializers.Serializer):
    visitors = PartyInputSerializer(many=True, min_length=1, max_length=50, label=gettext_lazy("来访人"))
    headcount = serializers.IntegerField(min_value=1, max_value=100000, required=False, label=gettext_lazy("来访人数"))
    window = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", label=gettext_lazy("窗口")
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    matter = MatterInputSerializer(required=False, allow_null=True, default=None, label=gettext_lazy("登记事项"))
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.all(), required=False)

    def validate_center(self, center):
        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class VisitSerializer(serializers.ModelSerializer):
    center_name = serializers.CharField(source="center.name")
    received_by = serializers.StringRelatedField()
    visitor_name = serializers.CharField(source="visitor.name", default="")
    visitor_id_number = MaskedIdNumberField(source="visitor.id_number", default="")
    visitor_phone = MaskedPhoneField(source="visitor.phone", default="")
    case_number = serializers.CharField(source="case.number", default=None)
    case_status = serializers.CharField(source="case.status", default=None)
    case_status_label = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "center",
            "center_name",
            "window",
            "received_by",
            "visited_at",
            "headcount",
            "is_collective",
            "visitor_name",
            "visitor_id_number",
            "visitor_phone",
            "case",
            "case_number",
            "case_status",
            "case_status_label",
            "note",
        ]

    def get_case_status_label(self, visit) -> str | None:
        return visit.case.get_status_display() if visit.case_id else None


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reception registrations (来访登记); registering one with a matter puts it on the ledger."""

    serializer_class = VisitSerializer
    queryset = Visit.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return visit_qs_for(self.request.user)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request):
        data = VisitCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        center = v.get("center") or request.user.center
        if center is None:
            raise serializers.ValidationError({"center": [_("请指定接待中心")]})
        matter = None
        if v["matter"]:
            m = v["matter"]
            matter = services.MatterInput(
                service_line=m["service_line"],
                category=m["category"],
                risk_level=m["risk_level"],
                summary=m["summary"],
                flags=m["flags"],
                parties=[PartyInput(**p) for p in m["parties"]],
            )
        visit = services.visit_register(
            actor=request.user,
            center=center,
            visitors=[PartyInput(**p) for p in v["visitors"]],
            headcount=v.get("headcount"),
            window=v["window"],
            matter=matter,
            note=v["note"],
        )
        return Response(VisitSerializer(self.get_queryset().get(pk=visit.pk)).data, status=status.HTTP_201_CREATED)
