from django.contrib.auth import views as auth_views
from django.urls import path

from governance.views import home, notifications

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/unread/", notifications.unread_badge, name="notifications-unread"),
    path("notifications/read/", notifications.notification_read, name="notifications-read"),
]
