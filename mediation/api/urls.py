from django.urls import include, path
from rest_framework.routers import SimpleRouter

from mediation.api import court, files, stats

router = SimpleRouter()
router.register("committees", files.CommitteeViewSet, basename="mediation-committee")
router.register("mediators", files.MediatorViewSet, basename="mediation-mediator")
router.register("files", files.FileViewSet, basename="mediation-file")
router.register("agreements", files.AgreementViewSet, basename="mediation-agreement")
router.register("terms", files.TermViewSet, basename="mediation-term")
router.register("confirmations", files.ConfirmationViewSet, basename="mediation-confirmation")
router.register("referrals", court.ReferralViewSet, basename="mediation-referral")
router.register("legal", court.LegalServiceViewSet, basename="mediation-legal")

urlpatterns = [
    path("stats/", stats.MediationStatsView.as_view(), name="api-mediation-stats"),
    path("legal/stats/", stats.LegalStatsView.as_view(), name="api-mediation-legal-stats"),
    path("", include(router.urls)),
]
