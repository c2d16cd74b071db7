from django.urls import path
from rest_framework.routers import SimpleRouter

from grids.api import views

router = SimpleRouter()
router.register("events", views.GridEventViewSet, basename="grid-event")
router.register("logs", views.WorkLogViewSet, basename="grid-log")
router.register("weekly-reports", views.WeeklyReportViewSet, basename="grid-weekly-report")
router.register("", views.GridViewSet, basename="grid")

urlpatterns = [
    path("stats/", views.GridStatsView.as_view(), name="grid-stats"),
    path("ratings/", views.RatingsView.as_view(), name="grid-ratings"),
    *router.urls,
]
