"""Forms of the grid pages. Input forms validate; services act."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import Category, RiskLevel
from governance.views.forms import validate_not_blank
from grids.models import EventCategory, Grid, LogKind


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, grid: Grid) -> str:
        indent = "　" * (grid.depth - 1)
        return f"{indent}{grid.name}"


def grid_field(queryset, **kwargs) -> GridChoiceField:
    kwargs.setdefault("label", _("网格"))
    kwargs.setdefault("empty_label", None)
    return GridChoiceField(queryset=queryset.select_related("center").order_by("path"), **kwargs)


class EventReportForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none())
    category = forms.ChoiceField(label=_("事件类型"), choices=EventCategory.choices)
    summary = forms.CharField(
        label=_("事件描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), validators=[validate_not_blank]
    )
    place = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    people_involved = forms.CharField(label=_("涉及人员"), max_length=500, required=False)
    dispute_category = forms.ModelChoiceField(
        label=_("纠纷类别(矛盾纠纷时选择)"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("不适用"),
    )
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.BLUE)
    photo = forms.FileField(
        label=_("现场照片(可选)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"] = grid_field(grids if grids is not None else Grid.objects.none())

    def clean(self):
        data = super().clean()
        if data.get("dispute_category") and data.get("category") != EventCategory.DISPUTE:
            self.add_error("dispute_category", _("只有矛盾纠纷事件需要选择纠纷类别"))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("accept", _("受理，交网格处置")), ("invalid", pgettext_lazy("button", "不予受理"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class CloseOnSiteForm(forms.Form):
    result = forms.CharField(
        label=_("处置结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), validators=[validate_not_blank]
    )
    resolved = forms.BooleanField(label=_("已化解(矛盾纠纷)"), required=False, initial=True)


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("提级理由"), max_length=500, validators=[validate_not_blank])


class FeedbackForm(forms.Form):
    note = forms.CharField(label=_("向群众反馈的情况"), max_length=500, validators=[validate_not_blank])


class AttachForm(forms.Form):
    file = forms.FileField(
        label=_("照片或文件"), widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"})
    )


class WorkLogForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=LogKind.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(
        label=_("时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("不填为现在；可补记7天内的工作"),
    )
    households = forms.IntegerField(label=_("排查户数"), min_value=1, max_value=5000, initial=1, required=False)
    issues_found = forms.IntegerField(label=_("发现问题数"), min_value=0, max_value=1000, initial=0, required=False)
    place = forms.CharField(label=_("地点/路线"), max_length=200, required=False)
    note = forms.CharField(
        label=_("情况记录"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"] = grid_field(grids if grids is not None else Grid.objects.none())

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


class WeeklyReportForm(forms.Form):
    note = forms.CharField(
        label=_("重点情况与需协调事项"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HotlineAssignForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none())
    instructions = forms.CharField(label=_("派单意见"), max_length=500, required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"] = grid_field(grids if grids is not None else Grid.objects.none(), empty_label=_("选择网格"))


class PeriodForm(forms.Form):
    center = forms.ModelChoiceField(label=_("中心(含下级)"), queryset=None, required=False, empty_label=_("本中心"))
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or data["date_to"].replace(day=1)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("起始日期不能晚于截止日期"))
        return data


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
    )
