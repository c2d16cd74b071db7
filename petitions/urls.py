"""The petition pages (included from governance/web_urls.py under petitions/)."""

from django.urls import path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("register/", views.register, name="register"),
    path("receptions/", views.receptions, name="receptions"),
    path("receptions/<int:reception_id>/cancel/", views.reception_cancel, name="reception-cancel"),
    path("backlog/", views.backlog_list, name="backlog"),
    # the petitioner's progress page: no account, the receipt's query code
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/rate/", views.lookup_rate, name="lookup-rate"),
    path("<int:petition_id>/", views.detail, name="detail"),
    path("<int:petition_id>/receipt/", views.receipt, name="receipt"),
    path("<int:petition_id>/notice/", views.notice, name="notice"),
    path("<int:petition_id>/reveal/", views.reveal, name="reveal"),
    path("<int:petition_id>/rate/", views.rate, name="rate"),
    path("<int:petition_id>/link/", views.link, name="link"),
    path("<int:petition_id>/reissue-code/", views.reissue_code, name="reissue-code"),
    path("<int:petition_id>/backlog/", views.backlog, name="backlog-designate"),
    path("<int:petition_id>/backlog/resolve/", views.backlog_resolve, name="backlog-resolve"),
    path("<int:petition_id>/<slug:verb>/", views.step, name="step"),
]
