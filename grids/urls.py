from django.urls import path

from grids.views import events, work

app_name = "grids"

urlpatterns = [
    path("", events.home, name="home"),
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<int:event_id>/", events.event_detail, name="event-detail"),
    path("events/<int:event_id>/review/", events.event_review, name="event-review"),
    path("events/<int:event_id>/close-on-site/", events.event_close_on_site, name="event-close-on-site"),
    path("events/<int:event_id>/escalate/", events.event_escalate, name="event-escalate"),
    path("events/<int:event_id>/feedback/", events.event_feedback, name="event-feedback"),
    path("events/<int:event_id>/attach/", events.event_attach, name="event-attach"),
    path("attachments/<int:attachment_id>/", events.attachment_download, name="attachment"),
    path("hotline/", events.hotline, name="hotline"),
    path("hotline/<int:case_id>/assign/", events.hotline_assign, name="hotline-assign"),
    path("logs/", work.log_list, name="log-list"),
    path("logs/new/", work.log_new, name="log-new"),
    path("week/", work.week, name="week"),
    path("week/<int:grid_id>/submit/", work.week_submit, name="week-submit"),
    path("stats/", work.stats, name="stats"),
    path("ratings/", work.ratings_page, name="ratings"),
    path("ratings/compute/", work.ratings_compute, name="ratings-compute"),
    path("<int:grid_id>/", work.grid_detail, name="grid-detail"),
]
