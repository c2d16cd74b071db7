"""Grid personas on top of tests/conftest.py's world:

- village 东村 (SF0101, under township 东乡镇 SF01): grid A (网格) with group A1 and unit A1a under
  it, and grid B; village 西村 (SF0201) under a second township 西乡镇 (SF02): grid C
- worker_a: full-time grid worker of grid A; leader_a: grid leader of grid A (both `grid_worker`)
- worker_b: grid worker of grid B (same village, another grid: must NOT see grid A's events)
- worker_c: grid worker of grid C (another township)
- window_town2: window staff of 西乡镇 (must NOT see 东乡镇's grids)
- from the world: window (county staff), window_town (东乡镇 staff), leader (county), outsider
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from governance.models import Center, Role, User
from grids.models import Grid, GridLevel, GridMember, MemberRole
from tests.factories import make_center, make_user


@dataclass
class GridWorld:
    village: Center
    township2: Center
    village2: Center
    grid_a: Grid
    group_a1: Grid
    unit_a1a: Grid
    grid_b: Grid
    grid_c: Grid
    worker_a: User
    leader_a: User
    worker_b: User
    worker_c: User
    window_town2: User


def make_grid(name: str, code: str, *, center: Center | None = None, parent: Grid | None = None, level=None) -> Grid:
    if parent is None:
        return Grid.objects.add_root({"name": name, "code": code, "level": level or GridLevel.GRID, "center": center})
    parent.refresh_from_db()
    return Grid.objects.add_child(
        parent, {"name": name, "code": code, "level": level or GridLevel.GROUP, "center": parent.center}
    )


def make_member(grid: Grid, user: User | None, role: str = MemberRole.FULL_TIME, name: str = "") -> GridMember:
    return GridMember.objects.create(grid=grid, role=role, user=user, name=name or (user.full_name if user else "某人"))


@pytest.fixture
def gw(world) -> GridWorld:
    township2 = make_center("西乡镇综治中心", "SF02", parent=world.county)
    village2 = make_center("西村综治中心", "SF0201", parent=township2)
    grid_a = make_grid("东村第1网格", "A", center=world.village)
    group_a1 = make_grid("东村第1网格1组", "A1", parent=grid_a)
    unit_a1a = make_grid("东村第1网格1组第1联户", "A1a", parent=group_a1, level=GridLevel.UNIT)
    grid_b = make_grid("东村第2网格", "B", center=world.village)
    grid_c = make_grid("西村第1网格", "C", center=village2)
    worker_a = make_user("worker_a", Role.GRID_WORKER, center=world.village, full_name="网格员甲")
    leader_a = make_user("leader_a", Role.GRID_WORKER, center=world.village, full_name="网格长甲")
    worker_b = make_user("worker_b", Role.GRID_WORKER, center=world.village, full_name="网格员乙")
    worker_c = make_user("worker_c", Role.GRID_WORKER, center=village2, full_name="网格员丙")
    make_member(grid_a, worker_a)
    make_member(grid_a, leader_a, MemberRole.GRID_LEADER)
    make_member(grid_b, worker_b)
    make_member(grid_c, worker_c)
    return GridWorld(
        village=world.village,
        township2=township2,
        village2=village2,
        grid_a=Grid.objects.get(pk=grid_a.pk),
        group_a1=Grid.objects.get(pk=group_a1.pk),
        unit_a1a=Grid.objects.get(pk=unit_a1a.pk),
        grid_b=Grid.objects.get(pk=grid_b.pk),
        grid_c=Grid.objects.get(pk=grid_c.pk),
        worker_a=worker_a,
        leader_a=leader_a,
        worker_b=worker_b,
        worker_c=worker_c,
        window_town2=make_user("window_town2", Role.WINDOW_STAFF, center=township2),
    )
