"""The grid tree below the villages: any depth, each node in one village."""

from __future__ import annotations

import pytest

from governance.exceptions import Conflict, Forbidden, InvalidInput
from grids.models import Grid, GridLevel, MemberRole
from grids.services import grids as tree


def test_a_tree_of_any_depth_under_a_village(gw, world):
    grid = tree.grid_create(actor=world.admin, name="东村第3网格", code="D", center=gw.village)
    node = grid
    for depth, level in enumerate([GridLevel.GROUP, GridLevel.UNIT, GridLevel.COMPOUND, GridLevel.BUILDING], 2):
        node = tree.grid_create(actor=world.admin, name=f"第{depth}级", code=f"D{depth}", level=level, parent=node)
        assert (node.depth, node.center) == (depth, gw.village)
    assert Grid.objects.get(pk=node.pk).lineage_ids[-1] == grid.pk
    assert Grid.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.parametrize("center_attr", ["county", "township"])
def test_grids_hang_only_under_villages(gw, world, center_attr):
    with pytest.raises(InvalidInput, match="村\\(社区\\)"):
        tree.grid_create(actor=world.admin, name="x", code="X", center=getattr(world, center_attr))
    assert not Grid.objects.filter(code="X").exists()


def test_who_may_build_the_tree(gw, world):
    with pytest.raises(Forbidden):
        tree.grid_create(actor=world.window, name="x", code="X", center=gw.village)
    with pytest.raises(Forbidden):
        tree.grid_create(actor=gw.worker_a, name="x", code="X", parent=gw.grid_a)
    with pytest.raises(Conflict):
        tree.grid_create(actor=world.admin, name="x", code="A", center=gw.village)
    with pytest.raises(InvalidInput):
        tree.grid_create(actor=world.admin, name="x", code="X", center=gw.village, parent=gw.grid_a)


def test_members_and_households(gw, world):
    member = tree.grid_member_add(
        actor=world.admin, grid=gw.grid_a, role=MemberRole.POLICE, name="李警官", organization="东乡派出所"
    )
    assert str(member) == "警官 李警官"
    with pytest.raises(Conflict):
        tree.grid_member_add(actor=world.admin, grid=gw.grid_a, role=MemberRole.FULL_TIME, name="x", user=gw.worker_a)
    household = tree.household_add(actor=gw.worker_a, grid=gw.unit_a1a, address="1组2号", head_name="王五", members=4)
    assert household.center == gw.village
    with pytest.raises(Forbidden):
        tree.household_add(actor=gw.worker_b, grid=gw.unit_a1a, address="1组3号", head_name="赵六")


def test_the_grid_detail_lists_members_masked_and_children(gw, world, api):
    tree.grid_member_add(
        actor=world.admin, grid=gw.grid_a, role=MemberRole.LAWYER, name="周律师", phone="+8613800001234"
    )
    body = api(gw.worker_a).get(f"/api/grids/{gw.grid_a.pk}/").json()
    lawyer = next(m for m in body["members"] if m["role"] == "lawyer")
    assert lawyer["phone"] == "138****1234"
    assert [c["name"] for c in body["children"]] == ["东村第1网格1组"]
    assert body["parent"] is None
    assert body["center_name"] == "东村综治中心"
    child = api(gw.worker_a).get(f"/api/grids/{gw.group_a1.pk}/").json()
    assert child["parent"] == gw.grid_a.pk
