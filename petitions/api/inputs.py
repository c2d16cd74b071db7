"""Input serializers: they validate what the API receives; the services act. They never write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.fields import IdNumberField, PhoneField
from governance.models import CaseFlag, Category, Center, Department, RiskLevel, Satisfaction, User
from governance.selectors.scoping import centers_for, departments_for
from petitions.api.fields import choice_field
from petitions.choices import (
    PetitionForm,
    PetitionType,
    RefusalReason,
    ReplyOutcome,
    Track,
)
from petitions.models import ReceptionDay

# --- Input --------------------------------------------------------------------------------------


def _scoped_department(serializer: serializers.Serializer, department: Department | None) -> Department | None:
    if (
        department is not None
        and not departments_for(serializer.context["request"].user).filter(pk=department.pk).exists()
    ):
        raise serializers.ValidationError(_("部门不存在或不在您的管辖范围内"))
    return department


class PetitionerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("姓名"))
    id_number = IdNumberField(label=_("身份证号码"))
    phone = PhoneField(label=_("联系电话"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("住址"))
    representative = serializers.BooleanField(required=False, default=False, label=_("代表人"))


class AccusedSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, default=None, label=_("被检举控告部门")
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("被检举控告的工作人员"),
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("被检举控告人"))

    def validate_department(self, department):
        return _scoped_department(self, department)


class PetitionCreateSerializer(serializers.Serializer):
    form = choice_field(PetitionForm, label=_("信访形式"))
    type = choice_field(PetitionType, label=_("信访类型"))
    headcount = serializers.IntegerField(min_value=1, max_value=100000, required=False, label=_("人数"))
    petitioners = PetitionerSerializer(many=True, min_length=1, max_length=50, label=_("信访人"))
    summary = serializers.CharField(max_length=2000, label=_("信访事项摘要"))
    category = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("类别"),
        error_messages={"does_not_exist": _("未知的类别：{value}"), "invalid": _("类别无效")},
    )
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, default=RiskLevel.BLUE, label=_("风险等级")
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseFlag.choices), required=False, default=list, max_length=10
    )
    repeat = serializers.BooleanField(required=False, default=False, label=_("重复信访"))
    accused = AccusedSerializer(many=True, required=False, default=list, max_length=10, label=_("被检举控告对象"))
    related = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=20, label=_("同一事项的此前信访")
    )
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.all(), required=False, label=_("受理中心"))
    reception = serializers.PrimaryKeyRelatedField(
        queryset=ReceptionDay.objects.all(), required=False, allow_null=True, default=None, label=_("领导接访")
    )

    def validate_center(self, center):
        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class _RouteSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        label=_("承办部门"),
    )
    organ = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", label=_("中心以外的承办机关")
    )
    track = choice_field(Track, required=False, default=Track.STANDARD, label=_("办理程序"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("处理意见"))

    def validate_department(self, department):
        return _scoped_department(self, department)


class ForwardSerializer(_RouteSerializer):
    pass


class AssignSerializer(_RouteSerializer):
    deadline_days = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True, default=None, label=_("交办期限(日)")
    )


class RefuseSerializer(serializers.Serializer):
    reason = choice_field(RefusalReason, label=_("不予受理理由"))
    notice = serializers.CharField(max_length=4000, label=_("书面告知内容"))


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, label=_("延长天数"), help_text=_("至多30日，只能延长一次"))
    reason = serializers.CharField(max_length=500, label=_("延期理由（告知信访人）"))
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("批准领导"))


class ReplySerializer(serializers.Serializer):
    outcome = choice_field(ReplyOutcome, label=_("处理意见"))
    text = serializers.CharField(max_length=4000, label=_("答复内容"))
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None, label=_("是否化解"))


class ReviewRequestSerializer(serializers.Serializer):
    request = serializers.CharField(max_length=2000, label=_("请求的事实和理由"))
    organ = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("受理机关"))


class ReviewAnswerSerializer(serializers.Serializer):
    outcome = choice_field(ReplyOutcome, label=_("处理意见"))
    text = serializers.CharField(max_length=4000, label=_("答复内容"))


class RateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("评价"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("评价意见"))


class LinkSerializer(serializers.Serializer):
    earlier = serializers.IntegerField(label=_("此前信访事项"))


class BacklogSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5, label=_("星级"))
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("包案领导"))
    reason = serializers.CharField(max_length=500, label=_("列为积案的原因"))


class BacklogResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000, label=_("化解情况"))


class ReceptionCreateSerializer(serializers.Serializer):
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.all(), required=False, label=_("接访中心"))
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), label=_("接访领导"))
    date = serializers.DateField(label=_("接访日期"))
    starts_at = serializers.TimeField(label=_("开始时间"))
    ends_at = serializers.TimeField(label=_("结束时间"))
    place = serializers.CharField(max_length=100, label=_("接访地点"))
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("接访主题"))

    def validate_center(self, center):
        if not centers_for(self.context["request"].user).filter(pk=center.pk).exists():
            raise serializers.ValidationError(_("中心不存在或不在您的管辖范围内"))
        return center


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, label=_("查询码"), help_text=_("受理回执上的查询码"))


class PublicRateSerializer(LookupSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("评价"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("评价意见"))
