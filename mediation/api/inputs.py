"""Input serializers: they validate; the services act."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.serializers import PartyInputSerializer
from governance.models import Category, Channel, RiskLevel
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
