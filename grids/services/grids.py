"""The grid tree, its members and the households it covers (set up by center administrators)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, InvalidInput
from governance.models import Center, CenterLevel, Role, User
from grids import access
from grids.models import Grid, GridLevel, GridMember, Household, MemberRole

MANAGE = frozenset({Role.CENTER_ADMIN})


def _require_manage(actor: User | None, center: Center) -> None:
    roles.require(actor, MANAGE)
    if actor is not None and not actor.is_superuser:
        access.require(bool(actor.center_id) and center.path.startswith(actor.center.path))


@transaction.atomic
def grid_create(
    *,
    actor: User | None,
    name: str,
    code: str,
    level: str = GridLevel.GRID,
    center: Center | None = None,
    parent: Grid | None = None,
    description: str = "",
) -> Grid:
    """A grid directly under a village center (`center`), or a node below another grid (`parent`:
    group, ten-household unit, compound, building… — any depth)."""
    if (center is None) == (parent is None):
        raise InvalidInput(_("请指定所属村(社区)或上级网格之一"), field="parent")
    if level not in GridLevel.values:
        raise InvalidInput(_("无效的网格层级"), field="level")
    name, code = name.strip(), code.strip()
    if not name or not code:
        raise InvalidInput(_("请填写网格名称和编码"), field="name" if not name else "code")
    if parent is not None:
        parent = Grid.objects.select_related("center").get(pk=parent.pk)
        center = parent.center
    if center.level != CenterLevel.VILLAGE:
        raise InvalidInput(_("网格只能建在村(社区)综治中心之下"), field="center")
    _require_manage(actor, center)
    if Grid.objects.filter(code=code).exists():
        raise Conflict(_("网格编码已存在：%(code)s") % {"code": code})
    values = {"name": name, "code": code, "level": level, "center": center, "description": description}
    if parent is None:
        return Grid.objects.add_root(values)
    return Grid.objects.add_child(parent, values)


@transaction.atomic
def grid_member_add(
    *,
    actor: User | None,
    grid: Grid,
    role: str,
    name: str,
    phone: str = "",
    user: User | None = None,
    organization: str = "",
) -> GridMember:
    """Put somebody on a grid (网格长, 网格员, 联户长, 三官一师…), linked to their account if they have one."""
    _require_manage(actor, grid.center)
    if role not in MemberRole.values:
        raise InvalidInput(_("无效的网格职责"), field="role")
    if not name.strip():
        raise InvalidInput(_("请填写姓名"), field="name")
    if user is not None and GridMember.objects.filter(grid=grid, user=user, role=role).exists():
        raise Conflict(_("该账号已是此网格的%(role)s") % {"role": MemberRole(role).label})
    return GridMember.objects.create(
        grid=grid, role=role, name=name.strip(), phone=phone, user=user, organization=organization
    )


@transaction.atomic
def household_add(
    *,
    actor: User | None,
    grid: Grid,
    address: str,
    head_name: str,
    members: int = 1,
    phone: str = "",
    is_key: bool = False,
    note: str = "",
) -> Household:
    """Register a household covered by a grid node (grid workers keep their own grid's register)."""
    if not access.can_work_in(actor, grid):
        _require_manage(actor, grid.center)
    if not address.strip() or not head_name.strip():
        raise InvalidInput(_("请填写门牌地址和户主"), field="address" if not address.strip() else "head_name")
    if members < 1:
        raise InvalidInput(_("人口至少为1"), field="members")
    return Household.objects.create(
        grid=grid,
        center=grid.center,
        address=address.strip(),
        head_name=head_name.strip(),
        members=members,
        phone=phone,
        is_key=is_key,
        note=note,
    )
