from django.contrib.auth import views as auth_views
from django.urls import include, path

from governance.views import cases, dashboard, dispatches, home, notifications

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("intake/", include("intake.urls")),
    path("petitions/", include("petitions.urls")),
    path("mediation/", include("mediation.urls")),
    # the ledger and the case page (names prefixed: the API's router owns "case-list" etc.)
    path("cases/", cases.case_list, name="web-case-list"),
    path("cases/search/", cases.case_search, name="web-case-search"),
    path("cases/export/", cases.case_export, name="web-case-export"),
    path("cases/<int:case_id>/", cases.case_detail, name="web-case-detail"),
    path("cases/<int:case_id>/reveal/", cases.case_reveal, name="web-case-reveal"),
    path("cases/<int:case_id>/dispatch/", cases.case_dispatch, name="web-case-dispatch"),
    path("cases/<int:case_id>/close/", cases.case_close, name="web-case-close"),
    path("cases/<int:case_id>/follow-up/", cases.case_follow_up, name="web-case-follow-up"),
    # dispatches: the liaison's inbox and the center's board
    path("inbox/", dispatches.inbox, name="inbox"),
    path("inbox/new/", dispatches.inbox_new, name="inbox-new"),
    path("dispatches/", dispatches.dispatch_board, name="web-dispatch-list"),
    path("dispatches/<int:dispatch_id>/accept/", dispatches.dispatch_accept, name="web-dispatch-accept"),
    path("dispatches/<int:dispatch_id>/reject/", dispatches.dispatch_reject, name="web-dispatch-reject"),
    path("dispatches/<int:dispatch_id>/feedback/", dispatches.dispatch_feedback, name="web-dispatch-feedback"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/unread/", notifications.unread_badge, name="notifications-unread"),
    path("notifications/read/", notifications.notification_read, name="notifications-read"),
]
