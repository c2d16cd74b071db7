from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("check-person/", views.check_person, name="check-person"),
    path("receipt/<int:case_id>/", views.receipt, name="receipt"),
    path("visits/", views.visit_list, name="visits"),
]
