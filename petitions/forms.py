"""Forms of the petition pages. Input forms validate; the services act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import CaseFlag, Category, Center, Department, RiskLevel, Role, Satisfaction, User
from governance.views.forms import DepartmentChoiceField, IdNumberField, PhoneField, validate_not_blank
from petitions.choices import PetitionForm, PetitionType, RefusalReason, ReplyOutcome, Track
from petitions.models import MAX_EXTENSION_DAYS, MAX_REPRESENTATIVES, ReceptionDay


def _text(label, *, rows: int = 3, max_length: int = 2000, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        required=required,
        validators=[validate_not_blank] if required else [],
    )


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        if not user.center_id:
            return str(user)
        return _("%(name)s（%(detail)s）") % {"name": user, "detail": user.center.name}


def leaders_for(center: Center):
    """Leaders of the center and of the centers above it (who may approve, receive, take charge)."""
    return (
        User.objects.filter(role_set__role=Role.LEADER, is_active=True, center_id__in=center.scope_ids)
        .select_related("center")
        .distinct()
        .order_by("center__path", "id")
    )


# --- Registration --------------------------------------------------------------------------------


class PetitionerForm(forms.Form):
    id_number = IdNumberField(label=gettext_lazy("身份证号码"))
    name = forms.CharField(
        max_length=50, label=gettext_lazy("姓名"), error_messages={"required": gettext_lazy("请填写姓名")}
    )
    phone = PhoneField(label=gettext_lazy("联系电话"))
    address = forms.CharField(max_length=200, required=False, label=gettext_lazy("住址"))
    representative = forms.BooleanField(required=False, label=gettext_lazy("代表人"))


class BasePetitionerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data]
        if not filled:
            raise ValidationError(_("请至少登记一名信访人"))
        if sum(1 for f in filled if f.cleaned_data.get("representative")) > MAX_REPRESENTATIVES:
            raise ValidationError(_("多人信访应推选代表，代表人数不超过%(n)s人") % {"n": MAX_REPRESENTATIVES})
        seen = set()
        for f in filled:
            number = f.cleaned_data.get("id_number")
            if number and number in seen:
                f.add_error("id_number", _("同一身份证号码填写了两次"))
            seen.add(number)


PetitionerFormSet = forms.formset_factory(
    PetitionerForm, formset=BasePetitionerFormSet, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class RegisterForm(forms.Form):
    form = forms.ChoiceField(
        choices=PetitionForm.choices,
        initial=PetitionForm.VISIT,
        widget=forms.RadioSelect,
        label=gettext_lazy("信访形式"),
    )
    type = forms.ChoiceField(
        choices=PetitionType.choices,
        initial=PetitionType.APPEAL_REQUEST,
        widget=forms.RadioSelect,
        label=gettext_lazy("信访类型"),
    )
    headcount = forms.IntegerField(min_value=1, max_value=100000, required=False, label=gettext_lazy("人数"))
    summary = _text(gettext_lazy("信访事项摘要"), rows=4)
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("其他"),
        label=gettext_lazy("类别"),
    )
    risk_level = forms.ChoiceField(
        choices=RiskLevel.choices, initial=RiskLevel.BLUE, widget=forms.RadioSelect, label=gettext_lazy("风险等级")
    )
    flags = forms.MultipleChoiceField(
        choices=[(f, CaseFlag(f).label) for f in (CaseFlag.BYPASS_LEVELS, CaseFlag.URGENT, CaseFlag.THREAT_UPWARD)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("标记"),
    )
    repeat = forms.BooleanField(required=False, label=gettext_lazy("重复信访"))
    accused_department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label=gettext_lazy("（无）"),
        label=gettext_lazy("被检举控告的部门"),
    )
    accused_name = forms.CharField(max_length=100, required=False, label=gettext_lazy("被检举控告人"))
    reception = forms.ModelChoiceField(
        queryset=ReceptionDay.objects.none(),
        required=False,
        empty_label=gettext_lazy("（否）"),
        label=gettext_lazy("领导接访"),
    )
    center = forms.ModelChoiceField(queryset=Center.objects.none(), required=False, label=gettext_lazy("受理中心"))

    def __init__(self, *args, departments, receptions, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused_department"].queryset = departments
        self.fields["reception"].queryset = receptions
        self.fields["reception"].label_from_instance = lambda r: f"{r.leader} {r.starts_at:%H:%M}–{r.ends_at:%H:%M}"
        self.fields["center"].queryset = centers

    def clean(self):
        data = super().clean()
        accused = data.get("accused_department") or (data.get("accused_name") or "").strip()
        if accused and data.get("type") != PetitionType.ACCUSATION:
            self.add_error("accused_department", _("只有检举控告类信访事项才登记被检举控告对象"))
        return data


# --- The steps of the procedure ----------------------------------------------------------------


class RouteForm(forms.Form):
    department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label=gettext_lazy("（中心以外的机关）"),
        label=gettext_lazy("承办部门"),
    )
    organ = forms.CharField(max_length=100, required=False, label=gettext_lazy("或：中心以外的承办机关"))
    track = forms.ChoiceField(
        choices=Track.choices, initial=Track.STANDARD, widget=forms.RadioSelect, label=gettext_lazy("办理程序")
    )
    note = _text(gettext_lazy("处理意见"), rows=2, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class AssignForm(RouteForm):
    deadline_days = forms.IntegerField(min_value=1, max_value=60, required=False, label=gettext_lazy("交办期限（日）"))


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(choices=RefusalReason.choices, label=gettext_lazy("不予受理理由"))
    notice = _text(gettext_lazy("书面告知内容"), rows=4, max_length=4000)


class ExtendForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS, label=gettext_lazy("延长天数"))
    reason = forms.CharField(
        max_length=500, label=gettext_lazy("延期理由（告知信访人）"), validators=[validate_not_blank]
    )
    approver = LeaderChoiceField(queryset=User.objects.none(), label=gettext_lazy("批准领导"))

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = leaders


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReplyOutcome.choices, widget=forms.RadioSelect, label=gettext_lazy("处理意见"))
    text = _text(gettext_lazy("答复内容"), rows=4, max_length=4000)


class RequestForm(forms.Form):
    request = _text(gettext_lazy("请求的事实和理由"), rows=3)
    organ = forms.CharField(max_length=100, required=False, label=gettext_lazy("受理机关"))


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        choices=Satisfaction.choices, widget=forms.RadioSelect, label=gettext_lazy("信访人评价")
    )
    note = forms.CharField(max_length=500, required=False, label=gettext_lazy("评价意见"))


class BacklogForm(forms.Form):
    stars = forms.TypedChoiceField(choices=[(n, "★" * n) for n in range(1, 6)], coerce=int, label=gettext_lazy("星级"))
    leader = LeaderChoiceField(queryset=User.objects.none(), label=gettext_lazy("包案领导"))
    reason = forms.CharField(max_length=500, label=gettext_lazy("列为积案的原因"), validators=[validate_not_blank])

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class BacklogResolveForm(forms.Form):
    resolution = _text(gettext_lazy("化解情况"), rows=3)


class LinkForm(forms.Form):
    earlier = forms.CharField(max_length=32, label=gettext_lazy("此前信访事项的案件编号"))


class ReceptionForm(forms.Form):
    leader = LeaderChoiceField(queryset=User.objects.none(), label=gettext_lazy("接访领导"))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("接访日期"))
    starts_at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label=gettext_lazy("开始时间"))
    ends_at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label=gettext_lazy("结束时间"))
    place = forms.CharField(max_length=100, label=gettext_lazy("接访地点"))
    topic = forms.CharField(max_length=200, required=False, label=gettext_lazy("接访主题"))

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class LookupForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=gettext_lazy("查询码"),
        help_text=gettext_lazy("受理回执上的12位查询码，例如 ABCD-EFGH-JKMN"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )


class PublicRateForm(LookupForm):
    satisfaction = forms.ChoiceField(choices=Satisfaction.choices, widget=forms.RadioSelect, label=gettext_lazy("评价"))
    note = forms.CharField(max_length=500, required=False, label=gettext_lazy("意见建议"))
