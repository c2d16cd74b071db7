"""Input serializers validate; services act; output serializers render. Serializers never write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.fields import LabelField as _LabelField
from governance.api.fields import MaskedIdNumberField, MaskedPhoneField
from governance.api.serializers import DeadlineSerializer, PartyInputSerializer
from governance.models import CaseParty, Category, Channel, RiskLevel
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    ConsentForm,
    FailureRoute,
    MediationKind,
    ReferralKind,
    ReferralResult,
    SessionKind,
    Side,
    TermStatus,
)
from mediation.legal.models import LegalKind, LegalOutcome
from mediation.models import (
    Agreement,
    AgreementParty,
    Committee,
    Consent,
    CourtReferral,
    JudicialConfirmation,
    LegalService,
    MediationFile,
    Mediator,
    PerformanceCheck,
    Session,
    Term,
)

LabelField = extend_schema_field(OpenApiTypes.STR)(_LabelField)

# --- Committees and mediators ----------------------------------------------------------------------


class CommitteeSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    center_name = serializers.CharField(source="center.name", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    mediator_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "center",
            "center_name",
            "categories",
            "address",
            "phone",
            "is_active",
            "mediator_count",
        ]


class FileFiguresSerializer(serializers.Serializer):
    files = serializers.IntegerField()
    accepted = serializers.IntegerField()
    mediating = serializers.IntegerField()
    agreed = serializers.IntegerField()
    failed = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    success_rate_basis = serializers.DictField(child=serializers.IntegerField())


class MediatorSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Mediator
        fields = [
            "id",
            "name",
            "committee",
            "committee_name",
            "kind",
            "kind_label",
            "is_chief",
            "studio",
            "is_active",
            "figures",
        ]

    @extend_schema_field(FileFiguresSerializer(allow_null=True))
    def get_figures(self, mediator):
        return self.context.get("league", {}).get(mediator.pk)


# --- Files ------------------------------------------------------------------------------------------


class MediationCaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    summary = serializers.CharField()
    channel = serializers.CharField()
    channel_label = LabelField("channel")
    status = serializers.CharField()
    status_label = LabelField("status")
    outcome = serializers.CharField()
    category = serializers.CharField(source="category.key")
    category_label = serializers.CharField(source="category.label")
    center = serializers.IntegerField(source="center_id")
    center_name = serializers.CharField(source="center.name")
    registered_at = serializers.DateTimeField()


class MediationPartyBriefSerializer(serializers.ModelSerializer):
    """A case's party for drafting the agreement: `id` is what the agreement input names."""

    name = serializers.CharField(source="person.name")
    id_number = MaskedIdNumberField(source="person.id_number")
    phone = MaskedPhoneField(source="person.phone")
    role_label = LabelField("role")

    class Meta:
        model = CaseParty
        fields = ["id", "name", "id_number", "phone", "role", "role_label"]


class FileConsentSerializer(serializers.ModelSerializer):
    side_label = LabelField("side")
    form_label = LabelField("form")
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = Consent
        fields = ["side", "side_label", "agreed", "form", "form_label", "note", "recorded_by", "recorded_at"]


class FileSessionSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    mediator_name = serializers.CharField(source="mediator.name", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "kind", "kind_label", "held_at", "place", "attendees", "record", "mediator_name"]


class AgreementPartySerializer(serializers.ModelSerializer):
    case_party = serializers.IntegerField(source="case_party_id")
    name = serializers.CharField(source="case_party.person.name")
    side_label = LabelField("side")

    class Meta:
        model = AgreementParty
        fields = ["id", "case_party", "name", "side", "side_label", "responsibility", "signed"]


class TermSerializer(serializers.ModelSerializer):
    status_label = LabelField("status")
    obligor_name = serializers.CharField(source="obligor.case_party.person.name", default=None, read_only=True)
    deadline = DeadlineSerializer(read_only=True)

    class Meta:
        model = Term
        fields = [
            "id",
            "order",
            "obligor",
            "obligor_name",
            "content",
            "method",
            "due_on",
            "status",
            "status_label",
            "performed_at",
            "note",
            "deadline",
        ]


class PerformanceCheckSerializer(serializers.ModelSerializer):
    method_label = LabelField("method")
    performance_label = LabelField("performance")
    by = serializers.StringRelatedField()

    class Meta:
        model = PerformanceCheck
        fields = ["id", "method", "method_label", "checked_at", "by", "finding", "performance", "performance_label"]


class ConfirmationSerializer(serializers.ModelSerializer):
    status_label = LabelField("status")
    acceptance_deadline = DeadlineSerializer(read_only=True)
    ruling_deadline = DeadlineSerializer(read_only=True)

    class Meta:
        model = JudicialConfirmation
        fields = [
            "id",
            "court",
            "status",
            "status_label",
            "applied_at",
            "accepted_at",
            "ruled_at",
            "court_case_number",
            "note",
            "acceptance_deadline",
            "ruling_deadline",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    form_label = LabelField("form")
    performance_label = LabelField("performance")
    mediator_name = serializers.CharField(source="mediator.name", read_only=True)
    parties = AgreementPartySerializer(many=True, read_only=True)
    terms = TermSerializer(many=True, read_only=True)
    checks = PerformanceCheckSerializer(many=True, read_only=True)
    window_deadline = DeadlineSerializer(read_only=True)
    confirmation = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "form",
            "form_label",
            "facts",
            "mediator_name",
            "recorder",
            "sealed",
            "copies",
            "signed_at",
            "effective_at",
            "confirmation_wanted",
            "window_deadline",
            "performance",
            "performance_label",
            "fully_performed_at",
            "parties",
            "terms",
            "checks",
            "confirmation",
        ]

    @extend_schema_field(ConfirmationSerializer(allow_null=True))
    def get_confirmation(self, agreement):
        try:
            return ConfirmationSerializer(agreement.confirmation).data
        except JudicialConfirmation.DoesNotExist:
            return None


class ReferralBriefSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    status_label = LabelField("status")

    class Meta:
        model = CourtReferral
        fields = ["id", "kind", "kind_label", "court", "court_ref", "status", "status_label", "signed_at"]


class FileListSerializer(serializers.ModelSerializer):
    case = MediationCaseBriefSerializer(read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    mediator_name = serializers.CharField(source="mediator.name", read_only=True)
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    deadline = DeadlineSerializer(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", default=False, read_only=True)

    class Meta:
        model = MediationFile
        fields = [
            "id",
            "case",
            "committee",
            "committee_name",
            "mediator",
            "mediator_name",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "applied_at",
            "accepted_at",
            "concluded_at",
            "deadline",
            "overdue",
        ]


class FileDetailSerializer(FileListSerializer):
    parties = MediationPartyBriefSerializer(source="case.parties", many=True, read_only=True)
    consents = FileConsentSerializer(many=True, read_only=True)
    sessions = FileSessionSerializer(many=True, read_only=True)
    agreement = serializers.SerializerMethodField()
    referral = serializers.SerializerMethodField()
    route_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(FileListSerializer.Meta):
        fields = [
            *FileListSerializer.Meta.fields,
            "request",
            "parties",
            "consents",
            "sessions",
            "failure_reason",
            "routes",
            "route_labels",
            "end_note",
            "agreement",
            "referral",
        ]

    @extend_schema_field(AgreementSerializer(allow_null=True))
    def get_agreement(self, file):
        try:
            return AgreementSerializer(file.agreement, context=self.context).data
        except Agreement.DoesNotExist:
            return None

    @extend_schema_field(ReferralBriefSerializer(allow_null=True))
    def get_referral(self, file):
        try:
            return ReferralBriefSerializer(file.referral).data
        except CourtReferral.DoesNotExist:
            return None


# --- Court referrals ----------------------------------------------------------------------------------


class FileBriefSerializer(serializers.ModelSerializer):
    status_label = LabelField("status")
    mediator_name = serializers.CharField(source="mediator.name", read_only=True)
    deadline = DeadlineSerializer(read_only=True)

    class Meta:
        model = MediationFile
        fields = ["id", "status", "status_label", "mediator_name", "deadline"]


class ReferralSerializer(serializers.ModelSerializer):
    case = MediationCaseBriefSerializer(read_only=True)
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    result_label = LabelField("result")
    committee_name = serializers.CharField(source="committee.name", default=None, read_only=True)
    signed_by_name = serializers.CharField(source="signed_by.name", default=None, read_only=True)
    file = FileBriefSerializer(read_only=True)

    class Meta:
        model = CourtReferral
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "court",
            "court_ref",
            "committee",
            "committee_name",
            "status",
            "status_label",
            "result",
            "result_label",
            "referred_at",
            "parties_consented",
            "signed_at",
            "signed_by_name",
            "file",
            "concluded_at",
            "return_reason",
            "court_record",
            "recorded_at",
            "filing_number",
            "filed_at",
            "note",
        ]


# --- Legal services -----------------------------------------------------------------------------------


class LegalServiceSerializer(serializers.ModelSerializer):
    case = MediationCaseBriefSerializer(read_only=True)
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    outcome_label = LabelField("outcome")
    decision_deadline = DeadlineSerializer(read_only=True)
    handling_deadline = DeadlineSerializer(read_only=True)
    handled_by = serializers.StringRelatedField()

    class Meta:
        model = LegalService
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "outcome",
            "outcome_label",
            "request",
            "agency",
            "assignee",
            "reference",
            "result_note",
            "refusal_reason",
            "applied_at",
            "decided_at",
            "concluded_at",
            "handled_by",
            "decision_deadline",
            "handling_deadline",
        ]


# --- Inputs -------------------------------------------------------------------------------------------


class FileCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(label=_("案件"))
    committee = serializers.IntegerField(label=_("调解组织"))
    mediator = serializers.IntegerField(label=_("调解员"))
    kind = serializers.ChoiceField(choices=MediationKind.choices, default=MediationKind.PEOPLE, label=_("调解类型"))
    request = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("申请事项"))


class FileConsentInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices, label=_("当事方"))
    agreed = serializers.BooleanField(label=_("同意调解"))
    form = serializers.ChoiceField(
        choices=[(ConsentForm.WRITTEN, ConsentForm.WRITTEN.label), (ConsentForm.ORAL, ConsentForm.ORAL.label)],
        label=_("形式"),
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("说明"))


class MediationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("理由"))


class MediationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("说明"))


class FileSessionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SessionKind.choices, default=SessionKind.SESSION, label=_("类型"))
    held_at = serializers.DateTimeField(label=_("时间"))
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("地点"))
    attendees = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("参加人员"))
    record = serializers.CharField(max_length=10000, label=_("记录"))


class FileReassignSerializer(serializers.Serializer):
    mediator = serializers.IntegerField(label=_("调解员"))
    reason = serializers.CharField(max_length=500, label=_("更换原因"))


class FileExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, label=_("延长天数"))
    applicant_consents = serializers.BooleanField(label=_("申请方同意延期"))
    respondent_consents = serializers.BooleanField(label=_("被申请方同意延期"))
    reason = serializers.CharField(max_length=400, label=_("延期理由"))


class AgreementPartyInputSerializer(serializers.Serializer):
    case_party = serializers.IntegerField(label=_("当事人"))
    side = serializers.ChoiceField(choices=Side.choices, label=_("当事方"))
    responsibility = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", label=_("应承担的责任")
    )
    signed = serializers.BooleanField(default=False, label=_("已签名"))


class TermInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=2000, label=_("协议内容"))
    method = serializers.CharField(max_length=200, label=_("履行方式"))
    due_on = serializers.DateField(label=_("履行期限"))
    obligor = serializers.IntegerField(required=False, allow_null=True, default=None, label=_("履行人(当事人)"))


class AgreementInputSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=AgreementForm.choices, label=_("协议形式"))
    facts = serializers.CharField(max_length=5000, label=_("纠纷主要事实、争议事项"))
    parties = AgreementPartyInputSerializer(many=True, min_length=2, max_length=50, label=_("协议当事人"))
    terms = TermInputSerializer(many=True, min_length=1, max_length=50, label=_("协议条款"))
    sealed = serializers.BooleanField(default=False, label=_("已加盖调委会印章"))
    recorder = serializers.CharField(max_length=50, required=False, allow_blank=True, default="", label=_("记录人"))
    copies = serializers.IntegerField(min_value=1, max_value=20, required=False, allow_null=True, default=None)
    confirmation_wanted = serializers.BooleanField(default=False, label=_("当事人拟申请司法确认"))


class FileFailSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("调解不成原因"))
    routes = serializers.ListField(
        child=serializers.ChoiceField(choices=FailureRoute.choices), min_length=0, max_length=4, label=_("告知的途径")
    )


class TermRecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TermStatus.choices, label=_("履行情况"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("说明"))


class PerformanceCheckTermSerializer(serializers.Serializer):
    term = serializers.IntegerField()
    status = serializers.ChoiceField(choices=TermStatus.choices)


class PerformanceCheckInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=CheckMethod.choices, label=_("回访方式"))
    finding = serializers.CharField(max_length=2000, label=_("回访情况"))
    terms = PerformanceCheckTermSerializer(many=True, required=False, default=list, max_length=50)


class ConfirmationApplySerializer(serializers.Serializer):
    court = serializers.CharField(max_length=100, label=_("受理法院"))
    joint = serializers.BooleanField(label=_("双方当事人共同申请"))


class ConfirmationAcceptSerializer(serializers.Serializer):
    court_case_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class MediationDaysReasonSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, label=_("天数"))
    reason = serializers.CharField(max_length=400, label=_("理由"))


class ConfirmationRuleSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(label=_("确认有效"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReferralKind.choices, label=_("类型"))
    court = serializers.CharField(max_length=100, label=_("委派法院"))
    court_ref = serializers.CharField(max_length=64, label=_("法院编号"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        label=_("纠纷类别"),
        error_messages={"does_not_exist": _("未知的纠纷类别：{value}")},
    )
    summary = serializers.CharField(max_length=2000, label=_("案情摘要"))
    parties = PartyInputSerializer(many=True, min_length=1, max_length=50, label=_("当事人"))
    committee = serializers.IntegerField(required=False, allow_null=True, default=None, label=_("承接调解组织"))
    parties_consented = serializers.BooleanField(default=False, label=_("当事人同意诉前调解"))
    referred_at = serializers.DateTimeField(required=False, allow_null=True, default=None, label=_("委派时间"))
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.BLUE, label=_("风险等级"))
    center = serializers.IntegerField(required=False, label=_("受理中心"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralSignSerializer(serializers.Serializer):
    mediator = serializers.IntegerField(required=False, allow_null=True, default=None, label=_("签收调解员"))


class ReferralRecordSerializer(serializers.Serializer):
    court_record = serializers.CharField(max_length=64, label=_("法院文书号"))


class ReferralFilingSerializer(serializers.Serializer):
    filing_number = serializers.CharField(max_length=64, label=_("立案案号"))


class FastTrackSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[
            (k, ReferralResult(k).label)
            for k in (ReferralResult.MEDIATED, ReferralResult.JUDGED, ReferralResult.WITHDRAWN)
        ],
        label=_("速裁结果"),
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class LegalCreateSerializer(serializers.Serializer):
    """Either `case` (a legal-services case already on the ledger) or the matter itself."""

    kind = serializers.ChoiceField(choices=LegalKind.choices, label=_("服务类型"))
    request = serializers.CharField(max_length=2000, label=_("申请/咨询事项"))
    agency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("承办机构"))
    case = serializers.IntegerField(required=False, allow_null=True, default=None, label=_("已登记的案件"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("纠纷类别"),
    )
    parties = PartyInputSerializer(many=True, required=False, default=list, max_length=50, label=_("申请人"))
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WALK_IN, label=_("来源渠道"))
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.BLUE)
    center = serializers.IntegerField(required=False, label=_("受理中心"))

    def validate(self, attrs):
        if attrs.get("case") is None:
            if attrs.get("category") is None:
                raise serializers.ValidationError({"category": [_("请选择纠纷类别")]})
            if not attrs.get("parties"):
                raise serializers.ValidationError({"parties": [_("请填写申请人")]})
        return attrs


class LegalAcceptSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    assignee = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class LegalConcludeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=LegalOutcome.choices, label=_("结果"))
    result_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


# --- Figures (documentation of the stats responses) ------------------------------------------------


class MediationRateBasisSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


class MediationCenterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseFiguresBlockSerializer(serializers.Serializer):
    cases = serializers.IntegerField(help_text=_("调解条线登记的案件（不论是否建立调解卷宗）"))
    resolved = serializers.IntegerField(help_text=_("办结且化解"))
    failed = serializers.IntegerField(help_text=_("办结未化解或转诉讼"))
    withdrawn = serializers.IntegerField()
    in_progress = serializers.IntegerField(help_text=_("尚未办结"))
    resolution_rate = serializers.FloatField(allow_null=True)
    resolution_rate_basis = MediationRateBasisSerializer()


class CategoryFiguresSerializer(CaseFiguresBlockSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class FileTotalsSerializer(FileFiguresSerializer):
    refused = serializers.IntegerField()


class KindFiguresSerializer(FileFiguresSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class CommitteeFiguresSerializer(FileFiguresSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    center_name = serializers.CharField()


class MediatorFiguresSerializer(FileFiguresSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    committee = serializers.IntegerField()
    committee_name = serializers.CharField()
    is_chief = serializers.BooleanField()
    studio = serializers.CharField()


class ConfirmationFiguresSerializer(serializers.Serializer):
    applied = serializers.IntegerField()
    accepted = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    refused = serializers.IntegerField()
    not_accepted = serializers.IntegerField()
    pending = serializers.IntegerField()
    confirmation_rate = serializers.FloatField(allow_null=True)
    confirmation_rate_basis = MediationRateBasisSerializer()


class PreLitigationFiguresSerializer(serializers.Serializer):
    referrals = serializers.IntegerField()
    waiting = serializers.IntegerField(help_text=_("待签收"))
    mediating = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    returned = serializers.IntegerField()
    recorded = serializers.IntegerField()
    filed = serializers.IntegerField()
    concluded = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True, help_text=_("调解成功数 / 受理的诉前调解案件数"))
    success_rate_basis = MediationRateBasisSerializer()
    closure_rate = serializers.FloatField(allow_null=True)
    closure_rate_basis = MediationRateBasisSerializer()


class FastTrackFiguresSerializer(serializers.Serializer):
    referrals = serializers.IntegerField()
    concluded = serializers.IntegerField()
    mediated = serializers.IntegerField()
    judged = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    closure_rate = serializers.FloatField(allow_null=True)
    closure_rate_basis = MediationRateBasisSerializer()


class MediationStatsSerializer(CaseFiguresBlockSerializer):
    center = MediationCenterRefSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by_category = CategoryFiguresSerializer(many=True)
    files = FileTotalsSerializer()
    by_kind = KindFiguresSerializer(many=True)
    by_committee = CommitteeFiguresSerializer(many=True)
    by_mediator = MediatorFiguresSerializer(many=True)
    mediators_total = serializers.IntegerField()
    agreements = serializers.IntegerField()
    agreements_fully_performed = serializers.IntegerField()
    agreements_in_default = serializers.IntegerField()
    full_performance_rate = serializers.FloatField(allow_null=True)
    full_performance_rate_basis = MediationRateBasisSerializer()
    judicial_confirmations = ConfirmationFiguresSerializer()
    pre_litigation = PreLitigationFiguresSerializer()
    fast_track = FastTrackFiguresSerializer()


class LegalOutcomeCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class LegalFiguresBlockSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    pending = serializers.IntegerField()
    concluded = serializers.IntegerField()
    refused = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    closed = serializers.IntegerField()
    closure_rate = serializers.FloatField(allow_null=True)
    closure_rate_basis = MediationRateBasisSerializer()
    by_outcome = LegalOutcomeCountSerializer(many=True)


class LegalKindFiguresSerializer(LegalFiguresBlockSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class LegalStatsSerializer(LegalFiguresBlockSerializer):
    center = MediationCenterRefSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by_kind = LegalKindFiguresSerializer(many=True)
