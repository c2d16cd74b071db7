"""Input serializers validate; services act; output serializers render. Serializers never write."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance import registry
from governance.api.fields import IdNumberField, LabelField, MaskedIdNumberField, MaskedPhoneField, PhoneField
from governance.masking import national_phone
from governance.models import (
    CaseEvent,
    CaseFlag,
    CaseParty,
    Category,
    Center,
    Channel,
    Deadline,
    Department,
    Dispatch,
    FollowUp,
    Notification,
    Outcome,
    PartyRole,
    RiskLevel,
    Satisfaction,
    ServiceLine,
    User,
)

LabelField = extend_schema_field(OpenApiTypes.STR)(LabelField)

# --- Reference data ---------------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    center = serializers.PrimaryKeyRelatedField(read_only=True)
    center_name = serializers.CharField(source="center.name", default=None, read_only=True)
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "roles", "center", "center_name", "department", "department_name"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class CenterSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    level_label = LabelField("level")

    class Meta:
        model = Center
        fields = ["id", "name", "code", "level", "level_label", "depth", "parent"]

    def get_parent(self, center) -> int | None:
        return self.context.get("parents", {}).get(center.pk)


class DepartmentSerializer(serializers.ModelSerializer):
    residency_label = LabelField("residency")
    center_name = serializers.CharField(source="center.name", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "center", "center_name", "residency", "residency_label", "duties", "is_active"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["key", "label", "label_en", "hint", "is_active"]


# --- Persons and parties ----------------------------------------------------------------------


class PartyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("姓名"))
    id_number = IdNumberField(label=_("身份证号码"))
    phone = PhoneField(label=_("联系电话"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("住址"))
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT, label=_("身份"))


class MaskedPartySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    id_number = MaskedIdNumberField(source="person.id_number")
    phone = MaskedPhoneField(source="person.phone")
    role_label = LabelField("role")

    class Meta:
        model = CaseParty
        fields = ["person", "name", "id_number", "phone", "role", "role_label"]


class FullPartySerializer(MaskedPartySerializer):
    id_number = serializers.CharField(source="person.id_number", allow_null=True)
    phone = serializers.SerializerMethodField()
    address = serializers.CharField(source="person.address")
    birth_date = serializers.DateField(source="person.birth_date")
    sex = serializers.CharField(source="person.sex")

    class Meta(MaskedPartySerializer.Meta):
        fields = [*MaskedPartySerializer.Meta.fields, "address", "birth_date", "sex"]

    def get_phone(self, party) -> str:
        return national_phone(party.person.phone)


# --- Deadlines, dispatches, timeline ------------------------------------------------------------


class DeadlineSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    state_label = LabelField("state")
    unit_label = LabelField("unit")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "label",
            "basis",
            "unit",
            "unit_label",
            "amount",
            "started_at",
            "due_at",
            "warn_at",
            "state",
            "state_label",
            "overdue",
            "warned_at",
            "breached_at",
            "completed_at",
            "suspended_at",
            "extensions",
            "calendar_unconfirmed",
        ]

    def get_label(self, deadline) -> str:
        try:
            return str(registry.deadline_kind(deadline.kind).label)
        except LookupError:
            return deadline.kind

    def get_overdue(self, deadline) -> bool:
        return deadline.state == "breached" or (
            deadline.state == "open" and deadline.due_at is not None and deadline.due_at < timezone.now()
        )


class CaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    risk_level = serializers.CharField()
    category = serializers.CharField(source="category.key")
    category_label = serializers.CharField(source="category.display_label")
    center_name = serializers.CharField(source="center.name")


class DispatchSerializer(serializers.ModelSerializer):
    case = CaseBriefSerializer(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_label = LabelField("status")
    dispatched_by = serializers.StringRelatedField()
    response_due_at = serializers.DateTimeField(source="response_deadline.due_at", default=None, read_only=True)
    feedback_due_at = serializers.DateTimeField(source="feedback_deadline.due_at", default=None, read_only=True)
    response_overdue = serializers.SerializerMethodField()
    feedback_overdue = serializers.SerializerMethodField()
    response_deadline = DeadlineSerializer(read_only=True)
    feedback_deadline = DeadlineSerializer(read_only=True)

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "case",
            "department",
            "department_name",
            "is_lead",
            "instructions",
            "status",
            "status_label",
            "dispatched_by",
            "dispatched_at",
            "response_due_at",
            "accepted_at",
            "feedback_due_at",
            "fed_back_at",
            "response_overdue",
            "feedback_overdue",
            "rejected_at",
            "reject_reason",
            "feedback_result",
            "feedback_resolved",
            "response_deadline",
            "feedback_deadline",
        ]

    def _overdue(self, deadline) -> bool:
        if deadline is None:
            return False
        return deadline.state == "breached" or (
            deadline.state == "open" and deadline.due_at is not None and deadline.due_at < timezone.now()
        )

    def get_response_overdue(self, dispatch) -> bool:
        return self._overdue(dispatch.response_deadline)

    def get_feedback_overdue(self, dispatch) -> bool:
        return self._overdue(dispatch.feedback_deadline)


class DispatchListSerializer(DispatchSerializer):
    """A list row (the liaison inbox): the due times and overdue flags, without the timer objects
    (the detail has them) — half the rendering per row."""

    response_overdue = serializers.BooleanField(source="is_response_overdue", read_only=True)
    feedback_overdue = serializers.BooleanField(source="is_feedback_overdue", read_only=True)

    class Meta(DispatchSerializer.Meta):
        fields = [f for f in DispatchSerializer.Meta.fields if f not in ("response_deadline", "feedback_deadline")]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "kind_label", "actor", "at", "message"]

    def get_kind_label(self, event) -> str:
        return registry.event_label(event.kind)


class FollowUpSerializer(serializers.ModelSerializer):
    satisfaction_label = LabelField("satisfaction")
    by = serializers.StringRelatedField()

    class Meta:
        model = FollowUp
        fields = ["satisfaction", "satisfaction_label", "note", "by", "at"]


# --- Cases ---------------------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, label=_("来源渠道"))
    service_line = serializers.ChoiceField(choices=ServiceLine.choices, label=_("业务条线"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        label=_("纠纷类别"),
        error_messages={"does_not_exist": _("未知的纠纷类别：{value}"), "invalid": _("纠纷类别无效")},
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, label=_("风险等级"))
    summary = serializers.CharField(max_length=2000, label=_("事项摘要"))
    headcount = serializers.IntegerField(min_value=1, max_value=100000, required=False, label=_("人数"))
    parties = PartyInputSerializer(many=True, min_length=1, max_length=50, label=_("当事人"))
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseFlag.choices),
        required=False,
        default=list,
        max_length=10,
        label=_("风险标记"),
    )
    center = serializers.PrimaryKeyRelatedField(
        queryset=Center.objects.all(),
        required=False,
        label=_("受理中心"),
        error_messages={"does_not_exist": _("中心不存在或不在您的管辖范围内")},
    )
    external_ref = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", label=_("外部编号")
    )

    def validate_center(self, center):
        from governance.selectors.scoping import centers_for

        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class CaseListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    center = serializers.IntegerField(source="center_id")
    center_name = serializers.CharField(source="center.name")
    channel = serializers.CharField()
    channel_label = LabelField("channel")
    service_line = serializers.CharField()
    service_line_label = LabelField("service_line")
    category = serializers.CharField(source="category.key")
    category_label = serializers.CharField(source="category.display_label")
    risk_level = serializers.CharField()
    risk_level_label = LabelField("risk_level")
    flags = serializers.ListField(child=serializers.CharField())
    headcount = serializers.IntegerField()
    summary = serializers.CharField()
    status = serializers.CharField()
    status_label = LabelField("status")
    outcome = serializers.CharField()
    outcome_label = LabelField("outcome")
    first_handler = serializers.StringRelatedField()
    registered_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    overdue = serializers.BooleanField(source="is_overdue", default=False)
    parties = MaskedPartySerializer(many=True)


class CaseCreatedSerializer(CaseListSerializer):
    """What `POST /api/cases/` answers: the case just registered, rendered from what was written
    (no dispatches or follow-up yet; its one timeline event is "registered")."""

    parties = FullPartySerializer(many=True)
    external_ref = serializers.CharField()


class CaseDetailSerializer(CaseListSerializer):
    parties = FullPartySerializer(many=True)
    external_ref = serializers.CharField()
    close_note = serializers.CharField()
    closed_by = serializers.StringRelatedField()
    dispatches = serializers.SerializerMethodField()
    timeline = CaseEventSerializer(source="events", many=True)
    follow_up = serializers.SerializerMethodField()

    @extend_schema_field(DispatchSerializer(many=True))
    def get_dispatches(self, case):
        rows = []
        for dispatch in case.dispatches.all():
            dispatch.case = case  # already loaded; avoids one query per dispatch
            rows.append(dispatch)
        return DispatchSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(FollowUpSerializer(allow_null=True))
    def get_follow_up(self, case):
        try:
            return FollowUpSerializer(case.follow_up).data
        except FollowUp.DoesNotExist:
            return None


class DispatchCreateSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        label=_("承办部门"),
        error_messages={"does_not_exist": _("部门不存在或不在您的管辖范围内")},
    )
    instructions = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", label=_("派单意见")
    )
    lead = serializers.BooleanField(required=False, allow_null=True, default=None, label=_("主办"))

    def validate_department(self, department):
        from governance.selectors.scoping import departments_for

        if not departments_for(self.context["request"].user).filter(pk=department.pk).exists():
            raise serializers.ValidationError(_("部门不存在或不在您的管辖范围内"))
        return department


class CaseCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label=_("办结结果"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("办结说明"))


class FollowUpCreateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("满意度"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("回访记录"))


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, label=_("退回理由"))


class FeedbackSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=2000, label=_("办理结果"))
    resolved = serializers.BooleanField(label=_("是否化解"))


class NotificationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "case", "case_number", "link", "created_at", "read_at", "read"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=500)


class PersonLookupSerializer(serializers.Serializer):
    id_number = IdNumberField(label=_("身份证号码"))
    phone = PhoneField(label=_("联系电话"))

    def validate(self, attrs):
        if not attrs.get("id_number") and not attrs.get("phone"):
            raise serializers.ValidationError({"id_number": [_("请输入身份证号码或电话")]})
        return attrs


class DashboardQuerySerializer(serializers.Serializer):
    center = serializers.IntegerField(required=False, label=_("中心"))
    date_from = serializers.DateField(required=False, label=_("起始日期"))
    date_to = serializers.DateField(required=False, label=_("截止日期"))

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"].replace(month=1, day=1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": [_("起始日期不能晚于截止日期")]})
        return attrs


# --- Output shapes documented for the schema (the views build plain dicts) -------------------------


class RateBasisSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


class CaseFiguresSerializer(serializers.Serializer):
    cases = serializers.IntegerField()
    case_persons = serializers.IntegerField(help_text=_("人数合计(案件登记的人数)"))
    closed = serializers.IntegerField()
    resolved = serializers.IntegerField()
    followed_up = serializers.IntegerField()
    satisfied = serializers.IntegerField(help_text=_("满意与基本满意"))
    closure_rate = serializers.FloatField(allow_null=True, help_text="closed / cases")
    closure_rate_basis = RateBasisSerializer()
    resolution_rate = serializers.FloatField(allow_null=True, help_text="resolved / cases")
    resolution_rate_basis = RateBasisSerializer()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="satisfied / followed_up")
    satisfaction_rate_basis = RateBasisSerializer()


class BreakdownRowSerializer(CaseFiguresSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class DispatchFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rejected = serializers.IntegerField()
    fed_back = serializers.IntegerField()
    resolved = serializers.IntegerField()
    responded_on_time = serializers.IntegerField()
    response_overdue = serializers.IntegerField()
    fed_back_on_time = serializers.IntegerField()
    feedback_overdue = serializers.IntegerField()
    response_on_time_rate = serializers.FloatField(allow_null=True)
    response_on_time_rate_basis = RateBasisSerializer()
    feedback_on_time_rate = serializers.FloatField(allow_null=True)
    feedback_on_time_rate_basis = RateBasisSerializer()
    resolution_rate = serializers.FloatField(allow_null=True)
    resolution_rate_basis = RateBasisSerializer()


class DepartmentFiguresSerializer(DispatchFiguresSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SummaryDispatchSerializer(DispatchFiguresSerializer):
    open_overdue = serializers.IntegerField(help_text=_("现在仍超时未办的派单时限"))


class DashboardSummarySerializer(CaseFiguresSerializer):
    center = serializers.DictField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    visits = serializers.IntegerField(help_text=_("来访批次"))
    persons = serializers.IntegerField(help_text=_("来访人次"))
    collective_visits = serializers.IntegerField()
    collective_persons = serializers.IntegerField()
    individual_visits = serializers.IntegerField()
    individual_persons = serializers.IntegerField()
    dispatch = SummaryDispatchSerializer()
    by_category = BreakdownRowSerializer(many=True)
    by_channel = BreakdownRowSerializer(many=True)
    by_service_line = BreakdownRowSerializer(many=True)
    by_risk_level = BreakdownRowSerializer(many=True)
    by_department = DepartmentFiguresSerializer(many=True)
    sections = serializers.DictField(help_text=_("各中心(调解、信访、网格)的分项数据"))


class PersonCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    registered_at = serializers.DateTimeField()
    category_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    summary = serializers.CharField()


class PersonMatchSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(help_text=_("已脱敏"))
    phone = serializers.CharField(help_text=_("已脱敏"))
    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.CharField()
    case_count = serializers.IntegerField(help_text=_("您可查看范围内的案件数"))
    cases = PersonCaseSerializer(many=True)


class PersonLookupResultSerializer(serializers.Serializer):
    results = PersonMatchSerializer(many=True)
