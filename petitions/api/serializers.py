"""Input serializers validate; the services act; output serializers render. Serializers never write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.fields import IdNumberField, PhoneField
from governance.api.serializers import (
    CaseEventSerializer,
    DeadlineSerializer,
    FullPartySerializer,
    LabelField,
    MaskedPartySerializer,
    RateBasisSerializer,
)
from governance.models import CaseFlag, Category, Center, Department, RiskLevel, Satisfaction, User
from governance.selectors.scoping import centers_for, departments_for
from petitions.api.fields import choice_field
from petitions.choices import (
    BacklogStatus,
    Decision,
    LinkKind,
    PetitionForm,
    PetitionStatus,
    PetitionType,
    RatingVia,
    RefusalReason,
    ReplyOutcome,
    Track,
)
from petitions.models import BacklogCase, Petition, ReceptionDay

# --- Input --------------------------------------------------------------------------------------


def _scoped_department(serializer: serializers.Serializer, department: Department | None) -> Department | None:
    if (
        department is not None
        and not departments_for(serializer.context["request"].user).filter(pk=department.pk).exists()
    ):
        raise serializers.ValidationError(_("部门不存在或不在您的管辖范围内"))
    return department


class PetitionerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("姓名"))
    id_number = IdNumberField(label=_("身份证号码"))
    phone = PhoneField(label=_("联系电话"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("住址"))
    representative = serializers.BooleanField(required=False, default=False, label=_("代表人"))


class AccusedSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, default=None, label=_("被检举控告部门")
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("被检举控告的工作人员"),
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("被检举控告人"))

    def validate_department(self, department):
        return _scoped_department(self, department)


class PetitionCreateSerializer(serializers.Serializer):
    form = choice_field(PetitionForm, label=_("信访形式"))
    type = choice_field(PetitionType, label=_("信访类型"))
    headcount = serializers.IntegerField(min_value=1, max_value=100000, required=False, label=_("人数"))
    petitioners = PetitionerSerializer(many=True, min_length=1, max_length=50, label=_("信访人"))
    summary = serializers.CharField(max_length=2000, label=_("信访事项摘要"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("类别"),
        error_messages={"does_not_exist": _("未知的类别：{value}"), "invalid": _("类别无效")},
    )
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, default=RiskLevel.BLUE, label=_("风险等级")
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseFlag.choices), required=False, default=list, max_length=10
    )
    repeat = serializers.BooleanField(required=False, default=False, label=_("重复信访"))
    accused = AccusedSerializer(many=True, required=False, default=list, max_length=10, label=_("被检举控告对象"))
    related = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=20, label=_("同一事项的此前信访")
    )
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.all(), required=False, label=_("受理中心"))
    reception = serializers.PrimaryKeyRelatedField(
        queryset=ReceptionDay.objects.all(), required=False, allow_null=True, default=None, label=_("领导接访")
    )

    def validate_center(self, center):
        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class _RouteSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("承办部门"),
    )
    organ = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", label=_("中心以外的承办机关")
    )
    track = choice_field(Track, required=False, default=Track.STANDARD, label=_("办理程序"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("处理意见"))

    def validate_department(self, department):
        return _scoped_department(self, department)


class ForwardSerializer(_RouteSerializer):
    pass


class AssignSerializer(_RouteSerializer):
    deadline_days = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True, default=None, label=_("交办期限(日)")
    )


class RefuseSerializer(serializers.Serializer):
    reason = choice_field(RefusalReason, label=_("不予受理理由"))
    notice = serializers.CharField(max_length=4000, label=_("书面告知内容"))


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, label=_("延长天数"), help_text=_("至多30日，只能延长一次"))
    reason = serializers.CharField(max_length=500, label=_("延期理由（告知信访人）"))
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("批准领导"))


class ReplySerializer(serializers.Serializer):
    outcome = choice_field(ReplyOutcome, label=_("处理意见"))
    text = serializers.CharField(max_length=4000, label=_("答复内容"))
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None, label=_("是否化解"))


class ReviewRequestSerializer(serializers.Serializer):
    request = serializers.CharField(max_length=2000, label=_("请求的事实和理由"))
    organ = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("受理机关"))


class ReviewAnswerSerializer(serializers.Serializer):
    outcome = choice_field(ReplyOutcome, label=_("处理意见"))
    text = serializers.CharField(max_length=4000, label=_("答复内容"))


class RateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("评价"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("评价意见"))


class LinkSerializer(serializers.Serializer):
    earlier = serializers.IntegerField(label=_("此前信访事项"))


class BacklogSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5, label=_("星级"))
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("包案领导"))
    reason = serializers.CharField(max_length=500, label=_("列为积案的原因"))


class BacklogResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000, label=_("化解情况"))


class ReceptionCreateSerializer(serializers.Serializer):
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.all(), required=False, label=_("接访中心"))
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("接访领导"))
    date = serializers.DateField(label=_("接访日期"))
    starts_at = serializers.TimeField(label=_("开始时间"))
    ends_at = serializers.TimeField(label=_("结束时间"))
    place = serializers.CharField(max_length=100, label=_("接访地点"))
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("接访主题"))

    def validate_center(self, center):
        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, label=_("查询码"), help_text=_("受理回执上的查询码"))


class PublicRateSerializer(LookupSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("评价"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("评价意见"))


# --- Output -------------------------------------------------------------------------------------


class PetitionCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = LabelField("status")
    center = serializers.IntegerField(source="center_id")
    center_name = serializers.CharField(source="center.name")
    category = serializers.CharField(source="category.key")
    category_label = serializers.CharField(source="category.label")
    risk_level = serializers.CharField()
    risk_level_label = LabelField("risk_level")
    flags = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    registered_at = serializers.DateTimeField()


class BacklogOutSerializer(serializers.ModelSerializer):
    status = choice_field(BacklogStatus, read_only=True)
    leader = serializers.PrimaryKeyRelatedField(read_only=True)
    leader_name = serializers.CharField(source="leader.__str__", read_only=True)
    status_label = LabelField("status")

    class Meta:
        model = BacklogCase
        fields = [
            "id",
            "stars",
            "leader",
            "leader_name",
            "reason",
            "status",
            "status_label",
            "designated_at",
            "resolved_at",
            "resolution",
        ]


class PetitionListSerializer(serializers.ModelSerializer):
    form = choice_field(PetitionForm, read_only=True)
    type = choice_field(PetitionType, read_only=True)
    status = choice_field(PetitionStatus, read_only=True)
    track = choice_field(Track, blank=True, read_only=True)
    satisfaction = choice_field(Satisfaction, blank=True, read_only=True)
    number = serializers.CharField(source="case.number")
    case = PetitionCaseSerializer()
    form_label = LabelField("form")
    type_label = LabelField("type")
    status_label = LabelField("status")
    track_label = LabelField("track")
    handling_department_name = serializers.CharField(source="handling_department.name", default=None)
    due_at = serializers.DateTimeField(default=None)
    overdue = serializers.BooleanField(source="is_overdue", default=False)
    petitioners = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "number",
            "case",
            "form",
            "form_label",
            "type",
            "type_label",
            "headcount",
            "is_collective",
            "is_repeat",
            "status",
            "status_label",
            "track",
            "track_label",
            "handling_department",
            "handling_department_name",
            "handling_organ",
            "due_at",
            "overdue",
            "satisfaction",
            "petitioners",
        ]

    @extend_schema_field(MaskedPartySerializer(many=True))
    def get_petitioners(self, petition):
        return MaskedPartySerializer(petition.case.parties.all(), many=True).data


class PetitionDetailSerializer(PetitionListSerializer):
    """A whole petition: parties unmasked (the views audit leaders' and liaisons' looks)."""

    decision = choice_field(Decision, blank=True, read_only=True)
    decision_label = LabelField("decision")
    refusal_reason = choice_field(RefusalReason, blank=True, read_only=True)
    reply_outcome = choice_field(ReplyOutcome, blank=True, read_only=True)
    review_outcome = choice_field(ReplyOutcome, blank=True, read_only=True)
    re_review_outcome = choice_field(ReplyOutcome, blank=True, read_only=True)
    rated_via = choice_field(RatingVia, blank=True, read_only=True)
    decided_by = serializers.StringRelatedField()
    refusal_reason_label = LabelField("refusal_reason")
    extension_approver = serializers.StringRelatedField()
    reply_outcome_label = LabelField("reply_outcome")
    review_outcome_label = LabelField("review_outcome")
    re_review_outcome_label = LabelField("re_review_outcome")
    satisfaction_label = LabelField("satisfaction")
    replied_by = serializers.StringRelatedField()
    deadlines = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    accused = serializers.SerializerMethodField()
    backlog = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(PetitionListSerializer.Meta):
        fields = [
            *PetitionListSerializer.Meta.fields,
            "reception",
            "decision",
            "decision_label",
            "decided_at",
            "decided_by",
            "assigned_days",
            "decision_note",
            "refusal_reason",
            "refusal_reason_label",
            "refusal_notice",
            "extension_days",
            "extension_reason",
            "extension_approver",
            "extended_at",
            "reply_outcome",
            "reply_outcome_label",
            "reply_text",
            "replied_at",
            "replied_by",
            "review_requested_at",
            "review_request",
            "review_organ",
            "review_outcome",
            "review_outcome_label",
            "review_text",
            "reviewed_at",
            "re_review_requested_at",
            "re_review_request",
            "re_review_organ",
            "re_review_outcome",
            "re_review_outcome_label",
            "re_review_text",
            "re_reviewed_at",
            "finalized_at",
            "satisfaction_label",
            "satisfaction_note",
            "rated_at",
            "rated_via",
            "deadlines",
            "links",
            "accused",
            "backlog",
            "timeline",
        ]

    @extend_schema_field(FullPartySerializer(many=True))
    def get_petitioners(self, petition):
        return FullPartySerializer(petition.case.parties.all(), many=True).data

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, petition):
        return DeadlineSerializer(self.context.get("deadlines", []), many=True).data

    def get_links(self, petition) -> list[dict]:
        kinds = {(link.earlier_id): link.kind for link in petition.links.all()}
        return [
            {
                "id": earlier.pk,
                "number": earlier.case.number,
                "kind": kinds.get(earlier.pk, ""),
                "kind_label": str(LinkKind(kinds[earlier.pk]).label) if earlier.pk in kinds else "",
                "status": earlier.status,
                "registered_at": earlier.case.registered_at,
            }
            for earlier in self.context.get("links", [])
        ]

    def get_accused(self, petition) -> list[dict]:
        return [
            {
                "department": a.department_id,
                "department_name": a.department.name if a.department_id else "",
                "user": a.user_id,
                "user_name": str(a.user) if a.user_id else "",
                "name": a.name,
            }
            for a in petition.accused.select_related("department", "user")
        ]

    @extend_schema_field(BacklogOutSerializer(allow_null=True))
    def get_backlog(self, petition):
        try:
            return BacklogOutSerializer(petition.backlog).data
        except BacklogCase.DoesNotExist:
            return None

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_timeline(self, petition):
        return CaseEventSerializer(petition.case.events.select_related("actor").order_by("at", "id"), many=True).data


class PetitionCreatedSerializer(PetitionDetailSerializer):
    query_code = serializers.SerializerMethodField(help_text=_("查询码：只在登记时返回一次，打印在回执上"))

    class Meta(PetitionDetailSerializer.Meta):
        fields = [*PetitionDetailSerializer.Meta.fields, "query_code"]

    def get_query_code(self, petition) -> str:
        return self.context.get("query_code", "")


class ReceptionSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.__str__", read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "center",
            "center_name",
            "leader",
            "leader_name",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "topic",
            "cancelled_at",
        ]


class BacklogListSerializer(BacklogOutSerializer):
    petition = serializers.IntegerField(source="petition_id")
    number = serializers.CharField(source="petition.case.number")
    center_name = serializers.CharField(source="petition.case.center.name")
    petition_status = serializers.CharField(source="petition.status")

    class Meta(BacklogOutSerializer.Meta):
        fields = ["petition", "number", "center_name", "petition_status", *BacklogOutSerializer.Meta.fields]


class SplitSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    collective = serializers.IntegerField()
    individual = serializers.IntegerField()


class VisitFiguresSerializer(serializers.Serializer):
    batches = SplitSerializer(help_text=_("来访批次"))
    persons = SplitSerializer(help_text=_("来访人次"))


class PetitionStatsSerializer(serializers.Serializer):
    """The figures of GET /api/petitions/stats/ (for the schema; the selector builds the dict)."""

    total = serializers.IntegerField(help_text=_("信访事项总数"))
    letters = serializers.IntegerField(help_text=_("来信"))
    phone = serializers.IntegerField(help_text=_("来电"))
    online = serializers.IntegerField(help_text=_("网上信访"))
    visits = VisitFiguresSerializer()
    on_time_decision_rate = serializers.FloatField(allow_null=True, help_text=_("按期处理率（15日内转送、交办或告知）"))
    on_time_decision_rate_basis = RateBasisSerializer()
    on_time_handling_rate = serializers.FloatField(allow_null=True, help_text=_("按期办结率"))
    on_time_handling_rate_basis = RateBasisSerializer()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text=_("满意率（满意与基本满意 / 已评价）"))
    satisfaction_rate_basis = RateBasisSerializer()
    repeat_petitions = serializers.IntegerField(help_text=_("重复信访"))


class PublicProgressSerializer(serializers.Serializer):
    number = serializers.CharField()
    center = serializers.CharField()
    registered_at = serializers.DateTimeField()
    form = serializers.CharField()
    form_label = serializers.CharField()
    type_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    handling_organ = serializers.CharField()
    current_step = serializers.CharField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    request_until = serializers.DateTimeField(allow_null=True)
    steps = serializers.ListField(child=serializers.DictField())
    can_rate = serializers.BooleanField()
    satisfaction = serializers.CharField()
    satisfaction_label = serializers.CharField()
