from django.urls import include, path
from rest_framework.routers import SimpleRouter

from mediation.api import views

router = SimpleRouter()
router.register("committees", views.CommitteeViewSet, basename="mediation-committee")
router.register("mediators", views.MediatorViewSet, basename="mediation-mediator")
router.register("files", views.FileViewSet, basename="mediation-file")
router.register("agreements", views.AgreementViewSet, basename="mediation-agreement")
router.register("terms", views.TermViewSet, basename="mediation-term")
router.register("confirmations", views.ConfirmationViewSet, basename="mediation-confirmation")
router.register("referrals", views.ReferralViewSet, basename="mediation-referral")
router.register("legal", views.LegalServiceViewSet, basename="mediation-legal")

urlpatterns = [
    path("stats/", views.MediationStatsView.as_view(), name="api-mediation-stats"),
    path("legal/stats/", views.LegalStatsView.as_view(), name="api-mediation-legal-stats"),
    path("", include(router.urls)),
]
