from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.choices import CommitteeKind, MediatorKind


class Committee(models.Model):
    """A mediation body (调解组织): a people's mediation committee (调委会) — joint, professional,
    township or village — a court's pre-litigation studio, or an administrative, arbitration or
    reconsideration body. Kept as data: administrators add and retire them."""

    center = models.ForeignKey(
        "governance.Center", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="mediation_committees"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=CommitteeKind.choices)
    categories = models.ManyToManyField(
        "governance.Category",
        verbose_name=_("受理纠纷类别"),
        blank=True,
        related_name="+",
        help_text=_("专业调委会受理的纠纷类别；留空表示不限"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("调解组织")
        verbose_name_plural = _("调解组织(调委会)")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="committee_unique_name_per_center"),
            models.CheckConstraint(condition=models.Q(kind__in=CommitteeKind.values), name="committee_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Mediator(models.Model):
    """A mediator of a committee (人民调解员); chief mediators (首席调解员) and named studios
    (品牌调解室) are marked. A mediator who works in the system has a user with the mediator role."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("所属调解组织"), on_delete=models.PROTECT, related_name="mediators"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统用户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediator_profile",
    )
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=16, choices=MediatorKind.choices, default=MediatorKind.FULL_TIME)
    is_chief = models.BooleanField(_("首席调解员"), default=False)
    studio = models.CharField(_("品牌调解室"), max_length=100, blank=True, help_text=_("以调解员命名的调解工作室"))
    phone = models.CharField(_("工作电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["committee_id", "-is_chief", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MediatorKind.values), name="mediator_kind_valid"),
        ]

    def __str__(self):
        return self.name
