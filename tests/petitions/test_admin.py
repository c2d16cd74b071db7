"""The administrator's pages: petitions read-only, reception days planned through the service."""

from django.test import Client

from governance.models import User
from petitions.models import ReceptionDay


def _superuser(world) -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "pw-root", center=world.county)
    client = Client()
    client.force_login(user)
    return client


def test_admin_lists_open_in_chinese(world, petition_of):
    petition = petition_of()
    client = _superuser(world)
    for url in (
        "/admin/petitions/petition/",
        f"/admin/petitions/petition/{petition.pk}/change/",
        "/admin/petitions/receptionday/",
        "/admin/petitions/backlogcase/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/admin/petitions/petition/").content.decode()
    assert "信访事项" in page
    assert client.post(f"/admin/petitions/petition/{petition.pk}/delete/").status_code == 403


def test_a_reception_day_added_in_the_admin_goes_through_the_service(world):
    client = _superuser(world)
    data = {
        "center": world.county.pk,
        "leader": world.leader.pk,
        "date": "2025-06-04",
        "starts_at": "09:00",
        "ends_at": "12:00",
        "place": "接待大厅",
        "topic": "",
    }
    response = client.post("/admin/petitions/receptionday/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReceptionDay.objects.get().created_by.username == "root"

    data["leader"] = world.window.pk
    data["date"] = "2025-06-11"
    refused = client.post("/admin/petitions/receptionday/add/", data)
    assert refused.status_code == 200
    assert "请选择一位领导" in refused.content.decode()
    assert ReceptionDay.objects.count() == 1
