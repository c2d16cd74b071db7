from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from treebeard.mp_tree import MP_Node

from grids.models.choices import GridLevel, MemberRole


class Grid(MP_Node):
    """A node of the grid tree below a village center (网格 → 小组 → 联户单元 …, any depth).

    Each top node hangs under a `governance.Center` of level village; every node below it carries
    the same `center`, so "the grids of a center's subtree" is one indexed filter.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=GridLevel.choices, default=GridLevel.GRID)
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("所属村(社区)综治中心"), on_delete=models.PROTECT, related_name="grids"
    )
    description = models.CharField(_("范围说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=GridLevel.values), name="grid_level_valid"),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def lineage_ids(self) -> list[int]:
        """This node's id and its ancestors' ids, nearest first (the grid rollup keys of its records)."""
        step = self.steplen
        prefixes = [self.path[:end] for end in range(step, len(self.path), step)]
        ancestors = dict(Grid.objects.filter(path__in=prefixes).values_list("path", "pk"))
        return [self.pk, *(ancestors[p] for p in reversed(prefixes))]

    def contains(self, other: "Grid") -> bool:
        return other.path.startswith(self.path)


class GridMember(models.Model):
    """Somebody who works in a grid: grid leader, grid workers, group leaders, household heads,
    rangers and the "three officials and one lawyer". Linked to a system user where they have one."""

    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("职责"), max_length=20, choices=MemberRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = PhoneNumberField(_("联系电话"), blank=True)
    organization = models.CharField(
        _("单位"), max_length=100, blank=True, help_text=_("三官一师的所在单位，例如 派出所")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_memberships",
    )
    is_active = models.BooleanField(_("在岗"), default=True)
    joined_on = models.DateField(_("任职日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("网格力量")
        verbose_name_plural = _("网格力量")
        ordering = ["grid_id", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=MemberRole.values), name="grid_member_role_valid"),
            models.UniqueConstraint(
                fields=["grid", "user", "role"], condition=models.Q(user__isnull=False), name="grid_member_user_unique"
            ),
        ]
        indexes = [
            # "my grids": every scoping and permission check of a grid worker starts here
            models.Index(
                fields=["user"],
                condition=models.Q(is_active=True, user__isnull=False),
                name="grid_member_active_user_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class Household(models.Model):
    """A household covered by a grid (usually registered on the lowest node: group or unit)."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="households", db_index=False
    )
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("门牌地址"), max_length=200)
    head_name = models.CharField(_("户主"), max_length=50)
    phone = PhoneNumberField(_("联系电话"), blank=True)
    members = models.PositiveSmallIntegerField(_("人口"), default=1)
    is_key = models.BooleanField(
        _("重点户"), default=False, help_text=_("矛盾易发户、独居老人、留守儿童等需重点走访的家庭")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        indexes = [
            # households of a grid node (the FK index) and the per-grid coverage counts
            models.Index(fields=["grid", "is_active"], name="household_grid_active_idx"),
        ]

    def __str__(self):
        return f"{self.address} {self.head_name}"
