"""Output serializers: they render what the selectors read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.serializers import (
    CaseEventSerializer,
    DeadlineSerializer,
    FullPartySerializer,
    LabelField,
    MaskedPartySerializer,
    RateBasisSerializer,
)
from governance.models import Satisfaction
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

# --- Output -------------------------------------------------------------------------------------


class PetitionCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = LabelField("status")
    center = serializers.IntegerField(source="center_id")
    center_name = serializers.CharField(source="center.name")
    category = serializers.CharField(source="category.key")
    category_label = serializers.CharField(source="category.display_label")
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
