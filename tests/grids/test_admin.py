"""The administrators' pages of the grids load, in Chinese, and keep the tree's rule."""

import pytest
from django.test import Client

from governance.models import User
from tests.grids.helpers import reported


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-root")


def test_every_grid_admin_page_loads(gw, world, superuser):
    reported(gw)
    client = Client()
    client.force_login(superuser)
    for name in (
        "grid",
        "gridmember",
        "household",
        "gridevent",
        "worklog",
        "weeklyreport",
        "gridrating",
        "workerrating",
    ):
        response = client.get(f"/admin/grids/{name}/")
        assert response.status_code == 200, name
    assert "网格" in client.get("/admin/grids/").content.decode()
    assert client.get("/admin/grids/grid/add/").status_code == 200
    assert client.get(f"/admin/grids/grid/{gw.grid_a.pk}/change/").status_code == 200
    event = gw.grid_a.events.first()
    assert client.get(f"/admin/grids/gridevent/{event.pk}/change/").status_code == 200


def test_the_admin_refuses_a_child_in_another_village(gw, world, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.post(
        "/admin/grids/grid/add/",
        {
            "name": "错挂的小组",
            "code": "BAD",
            "level": "group",
            "center": gw.village2.pk,
            "is_active": "on",
            "treebeard_position": "first-child",
            "treebeard_ref_node": gw.grid_a.pk,
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "下级网格必须与上级网格属于同一村(社区)" in response.content.decode()
