"""Thin API views of court referrals and legal services."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.selectors.scoping import case_get_for
from governance.services.persons import PartyInput
from mediation.api import inputs, outputs
from mediation.api.common import TAGS, center_of, committee_named, mediator_named, valid
from mediation.legal import services as legal_services
from mediation.models import (
    CourtReferral,
    LegalService,
)
from mediation.selectors import lists, scoping
from mediation.services import referrals as referral_services


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Court referrals (诉调对接): pre-litigation mediation and fast-track."""

    serializer_class = outputs.ReferralSerializer
    filterset_class = lists.ReferralFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CourtReferral.objects.none()
        return lists.referral_list_qs(self.request.user).order_by("-id")

    def _get(self, pk):
        return scoping.referral_get_for(user=self.request.user, referral_id=pk)

    def _respond(self, referral_id, code=status.HTTP_200_OK):
        return Response(outputs.ReferralSerializer(self.get_queryset().get(pk=referral_id)).data, status=code)

    @extend_schema(request=inputs.ReferralCreateSerializer, responses={201: outputs.ReferralSerializer}, tags=TAGS)
    def create(self, request):
        """Register a court's referral: it becomes a case on the ledger (channel court referral)."""
        v = valid(inputs.ReferralCreateSerializer, request)
        referral = referral_services.referral_register(
            actor=request.user,
            center=center_of(request, v.get("center")),
            kind=v["kind"],
            court=v["court"],
            court_ref=v["court_ref"],
            category=v["category"],
            summary=v["summary"],
            parties=[PartyInput(**p) for p in v["parties"]],
            committee=committee_named(request.user, v["committee"]),
            parties_consented=v["parties_consented"],
            referred_at=v["referred_at"],
            risk_level=v["risk_level"],
            note=v["note"],
        )
        return self._respond(referral.pk, status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ReferralSignSerializer, responses=outputs.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """签收: a mediator of the committee takes it; the 30 days start."""
        referral = self._get(pk)
        v = valid(inputs.ReferralSignSerializer, request)
        mediator = mediator_named(request.user, v["mediator"]) if v["mediator"] else None
        referral_services.referral_sign(actor=request.user, referral=referral, mediator=mediator)
        return self._respond(referral.pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回: back to the court unsigned, for filing."""
        referral = self._get(pk)
        v = valid(inputs.MediationReasonSerializer, request)
        referral_services.referral_return(actor=request.user, referral=referral, reason=v["reason"])
        return self._respond(referral.pk)

    @extend_schema(request=inputs.ReferralRecordSerializer, responses=outputs.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """The successful agreement is recorded with the court."""
        referral = self._get(pk)
        v = valid(inputs.ReferralRecordSerializer, request)
        referral_services.referral_record(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)

    @extend_schema(request=inputs.ReferralFilingSerializer, responses=outputs.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def filed(self, request, pk=None):
        """立案: the court filed the case after failure or return."""
        referral = self._get(pk)
        v = valid(inputs.ReferralFilingSerializer, request)
        referral_services.referral_file(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)

    @extend_schema(request=inputs.FastTrackSerializer, responses=outputs.ReferralSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        """速裁结案: the fast-track result."""
        referral = self._get(pk)
        v = valid(inputs.FastTrackSerializer, request)
        referral_services.fast_track_conclude(actor=request.user, referral=referral, **v)
        return self._respond(referral.pk)


class LegalServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public legal services: consultation, legal aid, notarisation, labour arbitration."""

    serializer_class = outputs.LegalServiceSerializer
    filterset_class = lists.LegalFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LegalService.objects.none()
        return lists.legal_list_qs(self.request.user).order_by("-id")

    def _get(self, pk):
        return scoping.legal_get_for(user=self.request.user, legal_id=pk)

    def _respond(self, service_id, code=status.HTTP_200_OK):
        return Response(outputs.LegalServiceSerializer(self.get_queryset().get(pk=service_id)).data, status=code)

    @extend_schema(request=inputs.LegalCreateSerializer, responses={201: outputs.LegalServiceSerializer}, tags=TAGS)
    def create(self, request):
        v = valid(inputs.LegalCreateSerializer, request)
        if v["case"] is not None:
            case = case_get_for(user=request.user, case_id=v["case"])
            service = legal_services.legal_service_open(
                actor=request.user, case=case, kind=v["kind"], request=v["request"], agency=v["agency"]
            )
        else:
            service = legal_services.legal_service_register(
                actor=request.user,
                center=center_of(request, v.get("center")),
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

    @extend_schema(request=inputs.LegalAcceptSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        v = valid(inputs.LegalAcceptSerializer, request)
        service = legal_services.legal_service_accept(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        v = valid(inputs.MediationReasonSerializer, request)
        service = legal_services.legal_service_refuse(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.LegalConcludeSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        v = valid(inputs.LegalConcludeSerializer, request)
        service = legal_services.legal_service_conclude(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        v = valid(inputs.MediationReasonSerializer, request)
        service = legal_services.legal_service_withdraw(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.MediationDaysReasonSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Arbitration award: once, ≤ 15 days, with the director's approval."""
        v = valid(inputs.MediationDaysReasonSerializer, request)
        service = legal_services.legal_service_extend(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.MediationReasonSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Notarisation: stop the clock while documents are supplied or facts verified."""
        v = valid(inputs.MediationReasonSerializer, request)
        service = legal_services.legal_service_pause(actor=request.user, service=self._get(pk), **v)
        return self._respond(service.pk)

    @extend_schema(request=inputs.MediationNoteSerializer, responses=outputs.LegalServiceSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        v = valid(inputs.MediationNoteSerializer, request)
        service = legal_services.legal_service_resume(actor=request.user, service=self._get(pk), reason=v["note"])
        return self._respond(service.pk)
