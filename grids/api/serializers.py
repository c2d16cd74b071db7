"""Input serializers validate; services act; output serializers render. Serializers never write."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.fields import LabelField as _LabelField
from governance.api.fields import MaskedPhoneField
from governance.api.serializers import DeadlineSerializer
from governance.models import Category, RiskLevel
from grids.models import EventCategory, Grid, GridEvent, GridMember, Household, LogKind, WeeklyReport, WorkLog

LabelField = extend_schema_field(OpenApiTypes.STR)(_LabelField)


class ScopedGridField(serializers.PrimaryKeyRelatedField):
    """A grid the requesting user may see (else: "does not exist", like a missing one)."""

    default_error_messages = {"does_not_exist": _("网格不存在或不在您的管辖范围内")}

    def get_queryset(self):
        from grids.selectors.scoping import grid_qs_for

        return grid_qs_for(self.context["request"].user).select_related("center")


# --- Grids ----------------------------------------------------------------------------------------


class GridSerializer(serializers.ModelSerializer):
    level_label = LabelField("level")
    center_name = serializers.CharField(source="center.name", read_only=True)
    parent = serializers.SerializerMethodField()
    households = serializers.IntegerField(source="household_count", read_only=True)

    class Meta:
        model = Grid
        fields = [
            "id",
            "name",
            "code",
            "level",
            "level_label",
            "depth",
            "parent",
            "center",
            "center_name",
            "households",
            "is_active",
        ]

    def get_parent(self, grid) -> int | None:
        return self.context.get("parents", {}).get(grid.pk)


class GridMemberSerializer(serializers.ModelSerializer):
    role_label = LabelField("role")
    phone = MaskedPhoneField()
    user_name = serializers.CharField(source="user.__str__", default=None, read_only=True)

    class Meta:
        model = GridMember
        fields = ["id", "role", "role_label", "name", "phone", "organization", "user", "user_name", "is_active"]


class GridDetailSerializer(GridSerializer):
    description = serializers.CharField()
    members = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    class Meta(GridSerializer.Meta):
        fields = [*GridSerializer.Meta.fields, "description", "members", "children"]

    @extend_schema_field(GridMemberSerializer(many=True))
    def get_members(self, grid):
        members = grid.members.filter(is_active=True).select_related("user").order_by("role", "id")
        return GridMemberSerializer(members, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_children(self, grid):
        return [
            {"id": c.pk, "name": c.name, "code": c.code, "level": c.level, "level_label": c.get_level_display()}
            for c in Grid.objects.get_children(grid).order_by("path")
        ]


class GridHouseholdSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField()
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "grid", "grid_name", "address", "head_name", "phone", "members", "is_key", "is_active"]


# --- Events ------------------------------------------------------------------------------------------


class GridEventCreateSerializer(serializers.Serializer):
    grid = ScopedGridField(queryset=Grid.objects.none(), label=_("网格"))
    category = serializers.ChoiceField(choices=EventCategory.choices, label=_("事件类型"))
    summary = serializers.CharField(max_length=2000, label=_("事件描述"))
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("发生地点"))
    people_involved = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", label=_("涉及人员")
    )
    dispute_category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("纠纷类别"),
        error_messages={"does_not_exist": _("未知的纠纷类别：{value}")},
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.BLUE, label=_("风险等级"))
    reported_at = serializers.DateTimeField(required=False, label=_("发现时间(补报时填写)"))


class GridReviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField(label=_("是否有效(受理)"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("审核意见"))


class GridCloseOnSiteSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=2000, label=_("处置结果"))
    resolved = serializers.BooleanField(default=True, label=_("是否化解"))


class GridEscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label=_("提级理由"))


class GridFeedbackSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, label=_("反馈情况"))


class GridHotlineAssignSerializer(serializers.Serializer):
    case = serializers.IntegerField(label=_("12345工单(台账案件编号 id)"))
    grid = ScopedGridField(queryset=Grid.objects.none(), label=_("网格"))
    instructions = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", label=_("派单意见")
    )


class GridAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("照片或文件"))


class GridCaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = LabelField("status")


class GridEventSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    category_label = LabelField("category")
    source_label = LabelField("source")
    status_label = LabelField("status")
    tier_label = LabelField("tier")
    supervision_label = LabelField("supervision")
    risk_level_label = LabelField("risk_level")
    reported_by = serializers.StringRelatedField()
    worker = serializers.StringRelatedField()
    case = GridCaseRefSerializer(allow_null=True, read_only=True)
    due_at = serializers.DateTimeField(source="deadline.due_at", default=None, read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", default=False, read_only=True)

    class Meta:
        model = GridEvent
        fields = [
            "id",
            "grid",
            "grid_name",
            "center",
            "center_name",
            "category",
            "category_label",
            "source",
            "source_label",
            "status",
            "status_label",
            "tier",
            "tier_label",
            "supervision",
            "supervision_label",
            "risk_level",
            "risk_level_label",
            "summary",
            "place",
            "reported_by",
            "worker",
            "reported_at",
            "due_at",
            "overdue",
            "case",
        ]


class GridAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return f"/grids/attachments/{attachment.pk}/"


class GridEventDetailSerializer(GridEventSerializer):
    people_involved = serializers.CharField()
    dispute_category = serializers.CharField(source="dispute_category.key", default=None)
    reviewed_by = serializers.StringRelatedField()
    handled_by = serializers.StringRelatedField()
    escalated_by = serializers.StringRelatedField()
    fed_back_by = serializers.StringRelatedField()
    deadline = DeadlineSerializer(read_only=True)
    red_deadline = DeadlineSerializer(read_only=True)
    attachments = GridAttachmentSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(GridEventSerializer.Meta):
        fields = [
            *GridEventSerializer.Meta.fields,
            "people_involved",
            "dispute_category",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "handled_by",
            "handled_at",
            "result",
            "resolved",
            "escalated_by",
            "escalated_at",
            "escalation_reason",
            "escalated_closed_at",
            "fed_back_by",
            "fed_back_at",
            "feedback_note",
            "deadline",
            "red_deadline",
            "attachments",
            "actions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, event) -> list[str]:
        """The verbs the requesting user may use on this event now (review, close-on-site…)."""
        from grids.selectors.actions import event_actions

        return event_actions(self.context["request"].user, event)


# --- Work logs -----------------------------------------------------------------------------------


class WorkLogCreateSerializer(serializers.Serializer):
    grid = ScopedGridField(queryset=Grid.objects.none(), label=_("网格"))
    kind = serializers.ChoiceField(choices=LogKind.choices, label=_("类型"))
    occurred_at = serializers.DateTimeField(required=False, label=_("时间"))
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.select_related("grid"), required=False, allow_null=True, default=None
    )
    households = serializers.IntegerField(min_value=1, max_value=5000, default=1, label=_("排查户数"))
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    issues_found = serializers.IntegerField(min_value=0, max_value=1000, default=0, label=_("发现问题数"))


class WorkLogSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    worker = serializers.StringRelatedField()
    household_address = serializers.CharField(source="household.address", default=None, read_only=True)

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "grid",
            "grid_name",
            "worker",
            "kind",
            "kind_label",
            "occurred_at",
            "household",
            "household_address",
            "households",
            "place",
            "note",
            "issues_found",
        ]


# --- Figures, reports, ratings ----------------------------------------------------------------------


class GridStatsQuerySerializer(serializers.Serializer):
    center = serializers.IntegerField(required=False, label=_("中心"))
    grid = serializers.IntegerField(required=False, label=_("网格(只看该网格及其下级)"))
    date_from = serializers.DateField(required=False, label=_("起始日期"))
    date_to = serializers.DateField(required=False, label=_("截止日期"))

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"].replace(month=1, day=1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": [_("起始日期不能晚于截止日期")]})
        return attrs


class GridWeekQuerySerializer(serializers.Serializer):
    center = serializers.IntegerField(required=False, label=_("中心"))
    grid = serializers.IntegerField(required=False, label=_("网格"))
    week = serializers.DateField(required=False, label=_("该周内任一天(默认本周)"))


class WeeklyReportSubmitSerializer(serializers.Serializer):
    grid = ScopedGridField(queryset=Grid.objects.none(), label=_("网格"))
    week_start = serializers.DateField(label=_("周起始日(周一)"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WeeklyReportSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    submitted_by = serializers.StringRelatedField()

    class Meta:
        model = WeeklyReport
        fields = ["id", "grid", "grid_name", "week_start", "figures", "note", "submitted_by", "submitted_at"]


class GridRatingQuerySerializer(serializers.Serializer):
    center = serializers.IntegerField(required=False, label=_("评比范围(中心)"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    quarter = serializers.IntegerField(min_value=1, max_value=4, label=_("季度"))


# --- Response shapes (documentation only) --------------------------------------------------------


class _Basis(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


def _figure_fields() -> dict:
    from grids.models import COUNTERS

    fields = {name: serializers.IntegerField() for name in COUNTERS}
    for rate in (
        "closed_on_site_rate",
        "escalated_rate",
        "escalated_closure_rate",
        "dispute_resolution_rate",
        "overdue_rate",
        "fed_back_rate",
    ):
        fields[rate] = serializers.FloatField(allow_null=True, help_text=_("0–1；分母为0时为空"))
        fields[f"{rate}_basis"] = _Basis()
    return fields


GridFiguresSerializer = type("GridFiguresSerializer", (serializers.Serializer,), _figure_fields())


class GridFiguresRowSerializer(GridFiguresSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GridCategoryFiguresSerializer(GridFiguresSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class GridStatsSerializer(GridFiguresSerializer):
    center = serializers.DictField()
    grid = serializers.DictField(allow_null=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by_category = GridCategoryFiguresSerializer(many=True)
    per_grid = GridFiguresRowSerializer(many=True)
    per_worker = GridFiguresRowSerializer(many=True)


class GridRatingsSerializer(serializers.Serializer):
    center = serializers.DictField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    grids = serializers.ListField(child=serializers.DictField())
    top_workers = serializers.ListField(child=serializers.DictField())
