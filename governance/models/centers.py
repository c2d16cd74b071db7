from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from governance.models.choices import CenterLevel, Residency, Role


class Center(MP_Node):
    """A governance center: county → township (乡镇/街道) → village (村/社区).

    Materialised path (treebeard): a subtree is one `path LIKE 'prefix%'` range scan, and the
    ancestors of a center are the prefixes of its path.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=20, unique=True, help_text=_("简短代码，用于案件编号，例如 YM"))
    level = models.CharField(_("层级"), max_length=16, choices=CenterLevel.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    # No node_order_by: sorted insertion rewrites the paths of existing subtrees; new centers are
    # appended and lists sort by path (tree order) or by code.

    class Meta:
        verbose_name = _("综治中心")
        verbose_name_plural = _("综治中心")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=CenterLevel.values), name="center_level_valid"),
        ]

    def __str__(self):
        return self.name

    def subtree(self):
        """This center and everything below it."""
        return Center.objects.filter(path__startswith=self.path)

    @cached_property
    def scope_ids(self) -> list[int]:
        """This center's id and its ancestors' ids, nearest first (the rollup scopes of a case here)."""
        step = self.steplen
        prefixes = [self.path[:end] for end in range(step, len(self.path), step)]
        ancestors = dict(Center.objects.filter(path__in=prefixes).values_list("path", "pk"))
        return [self.pk, *(ancestors[p] for p in reversed(prefixes))]

    @cached_property
    def root(self) -> "Center":
        return self if self.depth == 1 else Center.objects.get(path=self.path[: self.steplen])


class Department(models.Model):
    """A department stationed at a center (入驻部门)."""

    center = models.ForeignKey(Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("名称"), max_length=100)
    residency = models.CharField(_("入驻方式"), max_length=16, choices=Residency.choices)
    duties = models.CharField(_("职责"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("入驻部门")
        verbose_name_plural = _("入驻部门")
        ordering = ["center_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="department_unique_name_per_center"),
            models.CheckConstraint(
                condition=models.Q(residency__in=Residency.values), name="department_residency_valid"
            ),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. Belongs to one center; a liaison also to one department."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
    )
    window = models.CharField(_("窗口"), max_length=30, blank=True, help_text=_("窗口受理员的默认窗口，例如 3号窗口"))

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_set.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_set")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self):
        return self.get_role_display()
