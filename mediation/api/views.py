"""Thin API views: validate input, call one service, render output. Every object is looked up
through the scoped selectors (outside the user's scope is a 404)."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from governance import roles
from governance.api.serializers import DashboardQuerySerializer
from governance.models import CaseParty, Center
from governance.selectors.scoping import case_get_for, center_get_for
from governance.services.persons import PartyInput
from mediation import permissions
from mediation.api import serializers as s
from mediation.legal import services as legal_services
from mediation.models import (
    Agreement,
    AgreementParty,
    Committee,
    CourtReferral,
    JudicialConfirmation,
    LegalService,
    MediationFile,
    Mediator,
    Term,
)
from mediation.selectors import lists, scoping, stats
from mediation.services import agreements as agreement_services
from mediation.services import files as file_services
from mediation.services import referrals as referral_services
from mediation.services.agreements import AgreementInput, TermInput
from mediation.services.agreements import PartyInput as AgreementPartyInput

TAGS = ["mediation"]


def _valid(serializer_class, request):
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return data.validated_data


def _committee(user, committee_id):
    if committee_id is None:
        return None
    try:
        return scoping.committees_for(user).select_related("center").get(pk=committee_id)
    except (Committee.DoesNotExist, TypeError, ValueError):
        raise serializers.ValidationError({"committee": [_("调解组织不存在或不在本县(市、区)")]}) from None


def _mediator(user, mediator_id, field="mediator"):
    try:
        return scoping.mediators_for(user).get(pk=mediator_id)
    except (Mediator.DoesNotExist, TypeError, ValueError):
        raise serializers.ValidationError({field: [_("调解员不存在或不在本县(市、区)")]}) from None


def _center(request, center_id):
    if center_id is not None:
        return center_get_for(user=request.user, center_id=center_id)
    if request.user.center is None:
        raise serializers.ValidationError({"center": [_("请指定受理中心")]})
    return request.user.center


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediation committees and other mediation bodies of the user's county."""

    serializer_class = s.CommitteeSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Committee.objects.none()
        return (
            scoping.committees_for(self.request.user)
            .select_related("center")
            .prefetch_related("categories")
            .annotate(mediator_count=Count("mediators", filter=Q(mediators__is_active=True)))
            .order_by("center__path", "order", "id")
        )


class MediatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediators of the county with their file counts and success rates (all time)."""

    serializer_class = s.MediatorSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Mediator.objects.none()
        qs = scoping.mediators_for(self.request.user).select_related("committee")
        committee = self.request.query_params.get("committee")
        if committee and committee.isdigit():
            qs = qs.filter(committee_id=int(committee))
        return qs.order_by("committee__order", "committee_id", "-is_chief", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            context["league"] = stats.mediator_league(list(self.get_queryset()))
        return context


def _file_detail_qs(user):
    return lists.file_list_qs(user).prefetch_related(
        Prefetch("case__parties", queryset=CaseParty.objects.select_related("person")),
        "consents__recorded_by",
        "sessions__mediator",
        Prefetch(
            "agreement__parties",
            queryset=AgreementParty.objects.select_related("case_party__person"),
        ),
        Prefetch("agreement__terms", queryset=Term.objects.select_related("deadline", "obligor__case_party__person")),
        "agreement__checks__by",
        "agreement__window_deadline",
        "agreement__mediator",
        Prefetch(
            "agreement__confirmation",
            queryset=JudicialConfirmation.objects.select_related("acceptance_deadline", "ruling_deadline"),
        ),
        "referral",
    )


class FileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mediation files (调解卷宗) on ledger cases; each step is a POST to a verb URL."""

    filterset_class = lists.FileFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MediationFile.objects.none()
        if self.action == "retrieve":
            return _file_detail_qs(self.request.user)
        return lists.file_list_qs(self.request.user).order_by("-id")

    def get_serializer_class(self):
        return s.FileDetailSerializer if self.action == "retrieve" else s.FileListSerializer

    def _file(self, pk):
        return scoping.file_get_for(user=self.request.user, file_id=pk)

    def _detail(self, file_id, code=status.HTTP_200_OK):
        file = _file_detail_qs(self.request.user).get(pk=file_id)
        return Response(s.FileDetailSerializer(file, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.FileCreateSerializer, responses={201: s.FileDetailSerializer}, tags=TAGS)
    def create(self, request):
        """申请调解: open the mediation file of a case of the mediation line."""
        v = _valid(s.FileCreateSerializer, request)
        case = case_get_for(user=request.user, case_id=v["case"])
        committee = _committee(request.user, v["committee"])
        mediator = _mediator(request.user, v["mediator"])
        file = file_services.file_open(
            actor=request.user, case=case, committee=committee, mediator=mediator, kind=v["kind"], request=v["request"]
        )
        return self._detail(file.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.FileConsentInputSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        """Record one side's consent to mediation (or refusal)."""
        v = _valid(s.FileConsentInputSerializer, request)
        file_services.file_consent(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk)

    @extend_schema(request=None, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理: both sides have consented; the time limit starts."""
        file_services.file_accept(actor=request.user, file=self._file(pk))
        return self._detail(pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """不予受理 (a side refused, or not a matter for mediation)."""
        v = _valid(s.MediationReasonSerializer, request)
        file_services.file_refuse(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回: the applicant withdraws; the case closes as withdrawn."""
        v = _valid(s.MediationReasonSerializer, request)
        file_services.file_withdraw(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=s.FileSessionInputSerializer, responses={201: s.FileDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Record an investigation or a mediation session."""
        v = _valid(s.FileSessionInputSerializer, request)
        file_services.session_add(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.FileReassignSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Give the file to another mediator of the committee."""
        v = _valid(s.FileReassignSerializer, request)
        mediator = _mediator(request.user, v["mediator"])
        file_services.file_reassign(actor=request.user, file=self._file(pk), mediator=mediator, reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=s.FileExtendSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the time to mediate with both parties' consent."""
        v = _valid(s.FileExtendSerializer, request)
        file_services.file_extend(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="appraisal-start")
    def appraisal_start(self, request, pk=None):
        """委托鉴定: the clock stops while the appraisal runs."""
        v = _valid(s.MediationReasonSerializer, request)
        file_services.file_appraisal_start(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=s.MediationNoteSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="appraisal-end")
    def appraisal_end(self, request, pk=None):
        """鉴定结束: the clock runs again with the time that was left."""
        v = _valid(s.MediationNoteSerializer, request)
        file_services.file_appraisal_end(actor=request.user, file=self._file(pk), note=v["note"])
        return self._detail(pk)

    @extend_schema(request=s.AgreementInputSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        """调解成功: record the agreement; the case closes as resolved."""
        v = _valid(s.AgreementInputSerializer, request)
        data = AgreementInput(
            form=v["form"],
            facts=v["facts"],
            parties=[AgreementPartyInput(**p) for p in v["parties"]],
            terms=[TermInput(**t) for t in v["terms"]],
            sealed=v["sealed"],
            recorder=v["recorder"],
            copies=v["copies"],
            confirmation_wanted=v["confirmation_wanted"],
        )
        file_services.file_agree(actor=request.user, file=self._file(pk), agreement=data)
        return self._detail(pk)

    @extend_schema(request=s.FileFailSerializer, responses=s.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        """调解不成: end it and record the routes told to the parties."""
        v = _valid(s.FileFailSerializer, request)
        file_services.file_fail(actor=request.user, file=self._file(pk), reason=v["reason"], routes=v["routes"])
        return self._detail(pk)


class AgreementViewSet(viewsets.GenericViewSet):
    """Steps on an agreement: follow-up checks and the application for judicial confirmation."""

    serializer_class = s.AgreementSerializer

    def get_queryset(self):
        return Agreement.objects.none()

    def _respond(self, agreement, code=status.HTTP_200_OK):
        file = _file_detail_qs(self.request.user).get(pk=agreement.file_id)
        return Response(s.FileDetailSerializer(file, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.PerformanceCheckInputSerializer, responses={201: s.FileDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """履行回访: check performance term by term."""
        agreement = scoping.agreement_get_for(user=request.user, agreement_id=pk)
        v = _valid(s.PerformanceCheckInputSerializer, request)
        agreement_services.agreement_check(
            actor=request.user,
            agreement=agreement,
            method=v["method"],
            finding=v["finding"],
            terms={row["term"]: row["status"] for row in v["terms"]},
        )
        return self._respond(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=s.ConfirmationApplySerializer, responses={201: s.FileDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def confirmation(self, request, pk=None):
        """申请司法确认 (jointly, within 30 days of the agreement taking effect)."""
        agreement = scoping.agreement_get_for(user=request.user, agreement_id=pk)
        v = _valid(s.ConfirmationApplySerializer, request)
        agreement_services.confirmation_apply(actor=request.user, agreement=agreement, **v)
        return self._respond(agreement, status.HTTP_201_CREATED)


class TermViewSet(viewsets.GenericViewSet):
    serializer_class = s.TermSerializer

    def get_queryset(self):
        return Term.objects.none()

    @extend_schema(request=s.TermRecordSerializer, responses=s.TermSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record how one term was performed."""
        term = scoping.term_get_for(user=request.user, term_id=pk)
        v = _valid(s.TermRecordSerializer, request)
        term = agreement_services.term_record(actor=request.user, term=term, **v)
        return Response(s.TermSerializer(Term.objects.select_related("deadline").get(pk=term.pk)).data)


class ConfirmationViewSet(viewsets.GenericViewSet):
    """The court's steps on a judicial confirmation, as recorded by the center."""

    serializer_class = s.ConfirmationSerializer

    def get_queryset(self):
        return JudicialConfirmation.objects.none()

    def _get(self, pk):
        return scoping.confirmation_get_for(user=self.request.user, confirmation_id=pk)

    def _respond(self, confirmation):
        fresh = JudicialConfirmation.objects.select_related("acceptance_deadline", "ruling_deadline").get(
            pk=confirmation.pk
        )
        return Response(s.ConfirmationSerializer(fresh).data)

    @extend_schema(request=s.ConfirmationAcceptSerializer, responses=s.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        v = _valid(s.ConfirmationAcceptSerializer, request)
        return self._respond(
            agreement_services.confirmation_accept(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=s.MediationReasonSerializer, responses=s.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="not-accept")
    def not_accept(self, request, pk=None):
        v = _valid(s.MediationReasonSerializer, request)
        return self._respond(
            agreement_services.confirmation_not_accept(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=s.MediationDaysReasonSerializer, responses=s.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """The court president approved more time to rule (once, ≤ 10 days)."""
        v = _valid(s.MediationDaysReasonSerializer, request)
        return self._respond(
            agreement_services.confirmation_ruling_extend(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=s.ConfirmationRuleSerializer, responses=s.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def rule(self, request, pk=None):
        v = _valid(s.ConfirmationRuleSerializer, request)
        return self._respond(agreement_services.confirmation_rule(actor=request.user, confirmation=self._get(pk), **v))

    @extend_schema(request=s.MediationReasonSerializer, responses=s.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        v = _valid(s.MediationReasonSerializer, request)
        return self._respond(
            agreement_services.confirmation_withdraw(actor=request.user, confirmation=self._get(pk), **v)
        )


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Court referrals (诉调对接): pre-litigation mediation and fast-track."""

    serializer_class = s.ReferralSerializer
    filterset_class = lists.ReferralFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CourtReferral.objects.none()
        return lists.referral_list_qs(self.request.user).order_by("-id")

    def _get(self, pk):
        return scoping.referral_get_for(user=self.request.user, referral_id=pk)

    def _respond(self, referral_id, code=status.HTTP_200_OK):
        return Response(s.ReferralSerializer(self.get_queryset().get(pk=referral_id)).data, status=code)

    @extend_schema(request=s.ReferralCreateSerializer, responses={201: s.ReferralSerializer}, tags=TAGS)
    def create(self, request):
        """Register a court's referral: it becomes a case on the ledger (channel court referral)."""
        v = _valid(s.ReferralCreateSerializer, request)
        referral = referral_services.referral_register(
            actor=request.user,
            center=_center(request, v.get("center")),
            kind=v["kind"],
            court=v["court"],
            court_ref=v["court_ref"],
            category=v["category"],
            summary=v["summary"],
            parties=[PartyInput(**p) for p in v["parties"]],
            committee=_committee(request.user, v["committee"]),
            parties_consented=v["parties_consented"],
            referred_at=v["referred_at"],
            risk_level=v["risk_level"],
            note=v["note"],
        )
        return self._respond(referral.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.ReferralSignSerializer, responses=s.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """签收: a mediator of the committee takes it; the 30 days start."""
        referral = self._get(pk)
        v = _valid(s.ReferralSignSerializer, request)
        mediator = _mediator(request.user, v["mediator"]) if v["mediator"] else None
        referral_services.referral_sign(actor=request.user, referral=referral, mediator=mediator)
        return self._respond(referral.pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回: back to the court unsigned, for filing."""
        referral = self._get(pk)
        v = _valid(s.MediationReasonSerializer, request)
        referral_services.referral_return(actor=request.user, referral=referral, reason=v["reason"])
        return self._respond(referral.pk)

    @extend_schema(request=s.ReferralRecordSerializer, responses=s.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """The successful agreement is recorded with the court."""
        referral = self._get(pk)
        v = _valid(s.ReferralRecordSerializer, request)
        referral_services.referral_record(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)

    @extend_schema(request=s.ReferralFilingSerializer, responses=s.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def filed(self, request, pk=None):
        """立案: the court filed the case after failure or return."""
        referral = self._get(pk)
        v = _valid(s.ReferralFilingSerializer, request)
        referral_services.referral_file(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)

    @extend_schema(request=s.FastTrackSerializer, responses=s.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        """速裁结案: the fast-track result."""
        referral = self._get(pk)
        v = _valid(s.FastTrackSerializer, request)
        referral_services.fast_track_conclude(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)


class LegalServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public legal services: consultation, legal aid, notarisation, labour arbitration."""

    serializer_class = s.LegalServiceSerializer
    filterset_class = lists.LegalFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LegalService.objects.none()
        return lists.legal_list_qs(self.request.user).order_by("-id")

    def _get(self, pk):
        return scoping.legal_get_for(user=self.request.user, legal_id=pk)

    def _respond(self, service_id, code=status.HTTP_200_OK):
        return Response(s.LegalServiceSerializer(self.get_queryset().get(pk=service_id)).data, status=code)

    @extend_schema(request=s.LegalCreateSerializer, responses={201: s.LegalServiceSerializer}, tags=TAGS)
    def create(self, request):
        v = _valid(s.LegalCreateSerializer, request)
        if v["case"] is not None:
            case = case_get_for(user=request.user, case_id=v["case"])
            service = legal_services.legal_service_open(
                actor=request.user, case=case, kind=v["kind"], request=v["request"], agency=v["agency"]
            )
        else:
            service = legal_services.legal_service_register(
                actor=request.user,
                center=_center(request, v.get("center")),
                kind=v["kind"],
                category=v["category"],
                request=v["request"],
                parties=[PartyInput(**p) for p in v["parties"]],
                summary=v["summary"],
                channel=v["channel"],
                risk_level=v["risk_level"],
                agency=v["agency"],
            )
        return self._respond(service.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.LegalAcceptSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        v = _valid(s.LegalAcceptSerializer, request)
        service = legal_services.legal_service_accept(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        v = _valid(s.MediationReasonSerializer, request)
        service = legal_services.legal_service_refuse(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.LegalConcludeSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        v = _valid(s.LegalConcludeSerializer, request)
        service = legal_services.legal_service_conclude(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        v = _valid(s.MediationReasonSerializer, request)
        service = legal_services.legal_service_withdraw(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.MediationDaysReasonSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Arbitration award: once, ≤ 15 days, with the director's approval."""
        v = _valid(s.MediationDaysReasonSerializer, request)
        service = legal_services.legal_service_extend(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Notarisation: stop the clock while documents are supplied or facts verified."""
        v = _valid(s.MediationReasonSerializer, request)
        service = legal_services.legal_service_pause(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=s.MediationNoteSerializer, responses=s.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        v = _valid(s.MediationNoteSerializer, request)
        service = legal_services.legal_service_resume(actor=request.user, service=self._get(pk), reason=v["note"])
        return self._respond(service.pk)


def _stats_center(request, v) -> Center:
    if "center" in v:
        return center_get_for(user=request.user, center_id=v["center"])
    if request.user.center is not None:
        return request.user.center
    return Center.objects.filter(depth=1).order_by("path").first()


class MediationStatsView(APIView):
    """Mediation figures for a center's subtree and a period (cases by registration day): every
    case of the mediation line, by category; files by kind, committee and mediator; agreements
    and their performance; judicial confirmations; pre-litigation and fast-track referrals."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=s.MediationStatsSerializer, tags=TAGS)
    def get(self, request):
        roles.require(request.user, permissions.STATS)
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(
            stats.mediation_stats(center=_stats_center(request, v), date_from=v["date_from"], date_to=v["date_to"])
        )


class LegalStatsView(APIView):
    """Legal-service figures by kind and outcome, for a center's subtree and a period."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=s.LegalStatsSerializer, tags=TAGS)
    def get(self, request):
        roles.require(request.user, permissions.STATS)
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(
            stats.legal_stats(center=_stats_center(request, v), date_from=v["date_from"], date_to=v["date_to"])
        )
