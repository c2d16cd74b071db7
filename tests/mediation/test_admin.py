"""The administrator keeps committees and mediators; the mediation records are read-only there."""

import pytest
from django.test import Client

from governance.models import Role
from mediation.models import Mediator
from tests.factories import make_user


@pytest.fixture
def superuser(world):
    return make_user("root", is_superuser=True, is_staff=True)


def test_every_mediation_admin_page_opens_in_chinese(superuser, med, open_file):
    open_file()
    client = Client()
    client.force_login(superuser)
    for model in (
        "committee",
        "mediator",
        "mediationfile",
        "agreement",
        "judicialconfirmation",
        "courtreferral",
        "legalservice",
    ):
        response = client.get(f"/admin/mediation/{model}/")
        assert response.status_code == 200, model
    assert "调解组织" in client.get("/admin/mediation/").content.decode()
    assert client.get("/admin/mediation/mediationfile/add/").status_code == 403


def test_a_mediators_user_must_have_the_mediator_role(superuser, world, med):
    client = Client()
    client.force_login(superuser)
    clerk = make_user("clerk", Role.WINDOW_STAFF, center=world.county)
    data = {"committee": med.joint.pk, "name": "新调解员", "kind": "full_time", "user": clerk.pk, "is_active": "on"}
    response = client.post("/admin/mediation/mediator/add/", data)
    assert response.status_code == 200
    assert "没有“调解员”角色" in response.content.decode()
    assert not Mediator.objects.filter(name="新调解员").exists()
    data["user"] = make_user("new_mediator", Role.MEDIATOR, center=world.county).pk
    assert client.post("/admin/mediation/mediator/add/", data).status_code == 302
