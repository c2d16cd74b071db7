from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from governance.models.choices import Sex


class Person(models.Model):
    """A party or visitor, stored once and found again by ID-card number or phone."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, null=True, blank=True, unique=True)
    phone = PhoneNumberField(_("联系电话"), blank=True, db_index=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        indexes = [
            # case search by party name (prefix, LIKE '王伟%') — selectors.cases.case_search. The
            # pattern operator class: the database's collation is not C, so a plain b-tree
            # cannot serve LIKE and the search read every person (see docs/PERFORMANCE.md).
            models.Index(fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name
