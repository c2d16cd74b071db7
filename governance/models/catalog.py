from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A dispute category of the people's-mediation statistics; administrators extend the list."""

    key = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("名称"), max_length=50)
    label_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    hint = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("纠纷类别")
        verbose_name_plural = _("纠纷类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        """The name to show: the English one when English is active and it is set, else Chinese."""
        return self.label_for(self.label, self.label_en)

    @staticmethod
    def label_for(label: str, label_en: str | None) -> str:
        """`display_label` for rows read as values (`category__label`, `category__label_en`)."""
        if label_en and (get_language() or "").split("-")[0] == "en":
            return label_en
        return label


class PolicySetting(models.Model):
    """A local policy value (not law) for one center and the centers below it, or everywhere.

    The keys, their defaults and their validation are declared in `governance.policies`.
    """

    center = models.ForeignKey(
        "governance.Center",
        verbose_name=_("适用中心"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("留空表示全域默认"),
    )
    key = models.CharField(_("政策项"), max_length=60)
    value = models.JSONField(_("取值"))
    note = models.CharField(_("依据/说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策设置")
        verbose_name_plural = _("政策设置")
        constraints = [
            models.UniqueConstraint(fields=["center", "key"], name="policy_unique_per_center"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(center__isnull=True), name="policy_unique_global"
            ),
        ]

    def __str__(self):
        return self.key
