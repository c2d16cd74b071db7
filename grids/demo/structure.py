"""Demo grids below the demo villages: three grids per village, each with two groups of three
ten-household units, their members, ~360 households, a grid worker account per grid (`gridworker`
for the first grid of the first village, `gridleader` its village's grid leader). Idempotent."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from governance.bulk import BulkWriter
from governance.demo.generator import GIVEN, SURNAMES
from governance.models import (
    Role,
    User,
    UserRole,
)
from grids.models import (
    Grid,
    GridLevel,
    GridMember,
    Household,
    MemberRole,
)

GROUPS_PER_GRID = 2
UNITS_PER_GROUP = 3
HOUSEHOLDS_PER_GRID = (300, 420)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


# --- Structure ------------------------------------------------------------------------------------


def _grid_code(village, n: int) -> str:
    return f"WG-{village.code}-{n}"


def _worker_username(village, n: int, first: bool) -> str:
    return "gridworker" if first else f"gw_{village.code.lower()}_{n}"


@transaction.atomic
def seed_structure(structure, password: str) -> None:
    """Grids, members, households and grid worker accounts under the demo villages (idempotent:
    keyed on grid codes and usernames)."""
    villages = sorted(structure.villages, key=lambda c: c.code)
    if not villages:
        return
    per_village = _grids_per_village()
    rng = random.Random("grids-demo")
    hashed = make_password(password)
    existing = set(Grid.objects.filter(code__startswith="WG-").values_list("code", flat=True))
    accounts = set(User.objects.filter(role_set__role=Role.GRID_WORKER).values_list("username", flat=True))
    for v_index, village in enumerate(villages):
        missing = [n for n in range(1, per_village + 1) if _grid_code(village, n) not in existing]
        usernames = [_worker_username(village, n, v_index == 0 and n == 1) for n in range(1, per_village + 1)]
        if not missing and accounts.issuperset(usernames) and (v_index or "gridleader" in accounts):
            continue  # set up on an earlier run
        if missing:
            _village_grids(village, missing, rng)
        leader = _account("gridleader", "周建民", village, hashed) if v_index == 0 else None
        leader_name = leader.full_name if leader else _name(rng)
        for n in range(1, per_village + 1):
            grid = Grid.objects.get(code=_grid_code(village, n))
            first = v_index == 0 and n == 1
            username = _worker_username(village, n, first)
            worker = _account(username, "马晓东" if first else _name(rng), village, hashed)
            if n not in missing:
                continue
            _members(grid, village, worker, leader, leader_name, rng)
    # every demo account has the seed password, including grid workers created on earlier runs (one
    # hash for all of them: hashing is slow on purpose)
    demo_accounts = Q(username__startswith="gw_") | Q(username__in=["gridworker", "gridleader"])
    User.objects.filter(demo_accounts, role_set__role=Role.GRID_WORKER).update(password=hashed)
    for user in User.objects.filter(username__in=["gridworker", "gridleader"]):
        structure.users[user.username] = user


def _grids_per_village() -> int:
    """`grids.demo.GRIDS_PER_VILLAGE`, read when seeding: the city benchmark sets it (12) first."""
    import grids.demo

    return grids.demo.GRIDS_PER_VILLAGE


def _account(username: str, full_name: str, village, hashed: str) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "center": village,
            "email": f"{username}@example.org",
            "password": hashed,
        },
    )
    UserRole.objects.get_or_create(user=user, role=Role.GRID_WORKER)
    return user


def _village_grids(village, numbers: list[int], rng: random.Random) -> None:
    stem = village.name.removesuffix("综治中心")
    bulk = []
    for n in numbers:
        groups = []
        for g in range(1, GROUPS_PER_GRID + 1):
            units = [
                {
                    "data": {
                        "name": f"{stem}第{n}网格{g}组第{u}联户",
                        "code": f"{_grid_code(village, n)}-{g}-{u}",
                        "level": GridLevel.UNIT,
                        "center": village.pk,
                    }
                }
                for u in range(1, UNITS_PER_GROUP + 1)
            ]
            groups.append(
                {
                    "data": {
                        "name": f"{stem}第{n}网格{g}组",
                        "code": f"{_grid_code(village, n)}-{g}",
                        "level": GridLevel.GROUP,
                        "center": village.pk,
                    },
                    "children": units,
                }
            )
        bulk.append(
            {
                "data": {
                    "name": f"{stem}第{n}网格",
                    "code": _grid_code(village, n),
                    "level": GridLevel.GRID,
                    "center": village.pk,
                    "description": f"{stem}{'一二三四五六'[(n - 1) % 6]}社",
                },
                "children": groups,
            }
        )
    Grid.objects.load_bulk(bulk, bulk_create=True)


def _members(grid: Grid, village, worker: User, leader: User | None, leader_name: str, rng: random.Random) -> None:
    members = [
        GridMember(grid=grid, role=MemberRole.GRID_LEADER, name=leader_name, user=leader),
        GridMember(grid=grid, role=MemberRole.FULL_TIME, name=worker.full_name, user=worker),
        GridMember(grid=grid, role=MemberRole.JUDGE, name=_name(rng), organization="玉门市人民法院人民法庭"),
        GridMember(grid=grid, role=MemberRole.PROSECUTOR, name=_name(rng), organization="玉门市人民检察院"),
        GridMember(grid=grid, role=MemberRole.POLICE, name=_name(rng), organization="辖区派出所"),
        GridMember(grid=grid, role=MemberRole.LAWYER, name=_name(rng), organization="玉门市律师事务所"),
        GridMember(grid=grid, role=MemberRole.RANGER, name=_name(rng)),
    ]
    households = BulkWriter(
        Household, ["grid", "center", "address", "head_name", "phone", "members", "is_key", "note", "is_active"]
    )
    groups = list(Grid.objects.get_children(grid))
    units = [unit for group in groups for unit in Grid.objects.get_children(group)]
    total = rng.randint(*HOUSEHOLDS_PER_GRID)
    for group in groups:
        members.append(GridMember(grid=group, role=MemberRole.GROUP_LEADER, name=_name(rng)))
    for unit in units:
        members.append(GridMember(grid=unit, role=MemberRole.HOUSEHOLD_HEAD, name=_name(rng)))
        for h in range(total // len(units)):
            households.add(
                unit.pk,
                village.pk,
                f"{unit.name.removeprefix(village.name.removesuffix('综治中心'))}{h + 1}号",
                _name(rng),
                "",
                rng.choice((1, 2, 3, 3, 4, 4, 5, 6)),
                rng.random() < 0.05,
                "",
                True,
            )
    GridMember.objects.bulk_create(members)
    households.flush()
