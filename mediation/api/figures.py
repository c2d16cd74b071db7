"""The shapes of the stats responses (for the schema; the figures come from the selectors)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mediation.api.outputs import FileFiguresSerializer

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
