"""Thin API views of committees, mediators, files, agreements, terms and judicial confirmations:
validate input, call one service, render output. Every object is looked up through the scoped
selectors (outside the user's scope is a 404)."""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.models import CaseParty
from governance.selectors.scoping import case_get_for
from mediation.api import inputs, outputs
from mediation.api.common import TAGS, committee_named, mediator_named, valid
from mediation.models import (
    Agreement,
    AgreementParty,
    Committee,
    JudicialConfirmation,
    MediationFile,
    Mediator,
    Term,
)
from mediation.selectors import ledger, lists, scoping
from mediation.services import agreements as agreement_services
from mediation.services import clock
from mediation.services import confirmations as confirmation_services
from mediation.services import files as file_services
from mediation.services.agreements import AgreementInput, TermInput
from mediation.services.agreements import PartyInput as AgreementPartyInput


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediation committees and other mediation bodies of the user's county."""

    serializer_class = outputs.CommitteeSerializer
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

    serializer_class = outputs.MediatorSerializer
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
            context["league"] = ledger.mediator_league(list(self.get_queryset()))
        return context


def file_detail_qs(user):
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
            return file_detail_qs(self.request.user)
        return lists.file_list_qs(self.request.user).order_by("-id")

    def get_serializer_class(self):
        return outputs.FileDetailSerializer if self.action == "retrieve" else outputs.FileListSerializer

    def _file(self, pk):
        return scoping.file_get_for(user=self.request.user, file_id=pk)

    def _detail(self, file_id, code=status.HTTP_200_OK):
        file = file_detail_qs(self.request.user).get(pk=file_id)
        return Response(outputs.FileDetailSerializer(file, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=inputs.FileCreateSerializer, responses={201: outputs.FileDetailSerializer}, tags=TAGS)
    def create(self, request):
        """申请调解: open the mediation file of a case of the mediation line."""
        v = valid(inputs.FileCreateSerializer, request)
        case = case_get_for(user=request.user, case_id=v["case"])
        committee = committee_named(request.user, v["committee"])
        mediator = mediator_named(request.user, v["mediator"])
        file = file_services.file_open(
            actor=request.user, case=case, committee=committee, mediator=mediator, kind=v["kind"], request=v["request"]
        )
        return self._detail(file.pk, status.HTTP_201_CREATED)

    @extend_schema(request=inputs.FileConsentInputSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        """Record one side's consent to mediation (or refusal)."""
        v = valid(inputs.FileConsentInputSerializer, request)
        file_services.file_consent(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk)

    @extend_schema(request=None, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理: both sides have consented; the time limit starts."""
        file_services.file_accept(actor=request.user, file=self._file(pk))
        return self._detail(pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """不予受理 (a side refused, or not a matter for mediation)."""
        v = valid(inputs.MediationReasonSerializer, request)
        file_services.file_refuse(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回: the applicant withdraws; the case closes as withdrawn."""
        v = valid(inputs.MediationReasonSerializer, request)
        file_services.file_withdraw(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=inputs.FileSessionInputSerializer, responses={201: outputs.FileDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Record an investigation or a mediation session."""
        v = valid(inputs.FileSessionInputSerializer, request)
        file_services.session_add(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(request=inputs.FileReassignSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Give the file to another mediator of the committee."""
        v = valid(inputs.FileReassignSerializer, request)
        mediator = mediator_named(request.user, v["mediator"])
        file_services.file_reassign(actor=request.user, file=self._file(pk), mediator=mediator, reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=inputs.FileExtendSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the time to mediate with both parties' consent."""
        v = valid(inputs.FileExtendSerializer, request)
        clock.file_extend(actor=request.user, file=self._file(pk), **v)
        return self._detail(pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="appraisal-start")
    def appraisal_start(self, request, pk=None):
        """委托鉴定: the clock stops while the appraisal runs."""
        v = valid(inputs.MediationReasonSerializer, request)
        clock.file_appraisal_start(actor=request.user, file=self._file(pk), reason=v["reason"])
        return self._detail(pk)

    @extend_schema(request=inputs.MediationNoteSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="appraisal-end")
    def appraisal_end(self, request, pk=None):
        """鉴定结束: the clock runs again with the time that was left."""
        v = valid(inputs.MediationNoteSerializer, request)
        clock.file_appraisal_end(actor=request.user, file=self._file(pk), note=v["note"])
        return self._detail(pk)

    @extend_schema(request=inputs.AgreementInputSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        """调解成功: record the agreement; the case closes as resolved."""
        v = valid(inputs.AgreementInputSerializer, request)
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

    @extend_schema(request=inputs.FileFailSerializer, responses=outputs.FileDetailSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        """调解不成: end it and record the routes told to the parties."""
        v = valid(inputs.FileFailSerializer, request)
        file_services.file_fail(actor=request.user, file=self._file(pk), reason=v["reason"], routes=v["routes"])
        return self._detail(pk)


class AgreementViewSet(viewsets.GenericViewSet):
    """Steps on an agreement: follow-up checks and the application for judicial confirmation."""

    serializer_class = outputs.AgreementSerializer

    def get_queryset(self):
        return Agreement.objects.none()

    def _respond(self, agreement, code=status.HTTP_200_OK):
        file = file_detail_qs(self.request.user).get(pk=agreement.file_id)
        return Response(outputs.FileDetailSerializer(file, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=inputs.PerformanceCheckInputSerializer, responses={201: outputs.FileDetailSerializer}, tags=TAGS
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """履行回访: check performance term by term."""
        agreement = scoping.agreement_get_for(user=request.user, agreement_id=pk)
        v = valid(inputs.PerformanceCheckInputSerializer, request)
        agreement_services.agreement_check(
            actor=request.user,
            agreement=agreement,
            method=v["method"],
            finding=v["finding"],
            terms={row["term"]: row["status"] for row in v["terms"]},
        )
        return self._respond(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ConfirmationApplySerializer, responses={201: outputs.FileDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def confirmation(self, request, pk=None):
        """申请司法确认 (jointly, within 30 days of the agreement taking effect)."""
        agreement = scoping.agreement_get_for(user=request.user, agreement_id=pk)
        v = valid(inputs.ConfirmationApplySerializer, request)
        confirmation_services.confirmation_apply(actor=request.user, agreement=agreement, **v)
        return self._respond(agreement, status.HTTP_201_CREATED)


class TermViewSet(viewsets.GenericViewSet):
    serializer_class = outputs.TermSerializer

    def get_queryset(self):
        return Term.objects.none()

    @extend_schema(request=inputs.TermRecordSerializer, responses=outputs.TermSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record how one term was performed."""
        term = scoping.term_get_for(user=request.user, term_id=pk)
        v = valid(inputs.TermRecordSerializer, request)
        term = agreement_services.term_record(actor=request.user, term=term, **v)
        return Response(outputs.TermSerializer(Term.objects.select_related("deadline").get(pk=term.pk)).data)


class ConfirmationViewSet(viewsets.GenericViewSet):
    """The court's steps on a judicial confirmation, as recorded by the center."""

    serializer_class = outputs.ConfirmationSerializer

    def get_queryset(self):
        return JudicialConfirmation.objects.none()

    def _get(self, pk):
        return scoping.confirmation_get_for(user=self.request.user, confirmation_id=pk)

    def _respond(self, confirmation):
        fresh = JudicialConfirmation.objects.select_related("acceptance_deadline", "ruling_deadline").get(
            pk=confirmation.pk
        )
        return Response(outputs.ConfirmationSerializer(fresh).data)

    @extend_schema(request=inputs.ConfirmationAcceptSerializer, responses=outputs.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        v = valid(inputs.ConfirmationAcceptSerializer, request)
        return self._respond(
            confirmation_services.confirmation_accept(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="not-accept")
    def not_accept(self, request, pk=None):
        v = valid(inputs.MediationReasonSerializer, request)
        return self._respond(
            confirmation_services.confirmation_not_accept(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=inputs.MediationDaysReasonSerializer, responses=outputs.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """The court president approved more time to rule (once, ≤ 10 days)."""
        v = valid(inputs.MediationDaysReasonSerializer, request)
        return self._respond(
            confirmation_services.confirmation_ruling_extend(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=inputs.ConfirmationRuleSerializer, responses=outputs.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def rule(self, request, pk=None):
        v = valid(inputs.ConfirmationRuleSerializer, request)
        return self._respond(
            confirmation_services.confirmation_rule(actor=request.user, confirmation=self._get(pk), **v)
        )

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.ConfirmationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        v = valid(inputs.MediationReasonSerializer, request)
        return self._respond(
            confirmation_services.confirmation_withdraw(actor=request.user, confirmation=self._get(pk), **v)
        )
