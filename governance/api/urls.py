from django.urls import include, path
from rest_framework.routers import DefaultRouter

from governance.api import views

router = DefaultRouter()
router.register("centers", views.CenterViewSet, basename="center")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("cases", views.CaseViewSet, basename="case")
router.register("dispatches", views.DispatchViewSet, basename="dispatch")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("choices/", views.ChoicesView.as_view(), name="api-choices"),
    path("persons/lookup/", views.PersonLookupView.as_view(), name="api-person-lookup"),
    path("dashboard/summary/", views.DashboardSummaryView.as_view(), name="api-dashboard-summary"),
    path("", include(router.urls)),
]
