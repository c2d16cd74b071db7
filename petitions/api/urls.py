"""/api/petitions/… (included from governance/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from petitions.api import views

router = SimpleRouter()
router.register("receptions", views.ReceptionViewSet, basename="petition-reception")
router.register("backlog", views.BacklogViewSet, basename="petition-backlog")
router.register("", views.PetitionViewSet, basename="petition")

urlpatterns = [
    path("stats/", views.PetitionStatsView.as_view(), name="api-petition-stats"),
    path("lookup/", views.LookupView.as_view(), name="api-petition-lookup"),
    path("lookup/rate/", views.LookupRateView.as_view(), name="api-petition-lookup-rate"),
    *router.urls,
]
