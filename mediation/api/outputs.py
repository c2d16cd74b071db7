"""Output serializers: they render, never write."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.fields import LabelField as _LabelField
from governance.api.fields import MaskedIdNumberField, MaskedPhoneField
from governance.api.serializers import DeadlineSerializer
from governance.models import CaseParty
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
    category_label = serializers.CharField(source="category.display_label")
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
