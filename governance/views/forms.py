"""Form fields and forms of the core pages. Input forms validate; services act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from governance.validators import normalize_id_number


class IdNumberField(forms.CharField):
    """居民身份证号码, checked against GB 11643 by the core validator; blank allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("身份证号码"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "text", "class": "mono"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return normalize_id_number(value.replace(" ", ""))


class PhoneField(PhoneNumberField):
    """A mainland phone (mobile or landline with area code), cleaned to E.164 text; blank allowed."""

    default_error_messages = {"invalid": _("电话号码无效，请输入11位手机号或带区号的固定电话")}

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "CN")
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("联系电话"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "inputmode": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return str(value) if value else ""


def validate_not_blank(value: str) -> None:
    if not value or not value.strip():
        raise ValidationError(_("此项不能只填空格"))


# --- Case actions ------------------------------------------------------------------------------

LEAD_CHOICES = [("", _("自动（首个部门为主办）")), ("lead", _("主办")), ("assist", _("协办"))]
RESOLVED_CHOICES = [("yes", _("已化解")), ("no", _("未化解"))]


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, department):
        return gettext("%(name)s（%(detail)s）") % {
            "name": department.name,
            "detail": department.get_residency_display(),
        }


class DispatchForm(forms.Form):
    department = DepartmentChoiceField(
        queryset=None,
        label=_("承办部门"),
        empty_label=_("请选择部门"),
        error_messages={
            "required": _("请选择承办部门"),
            "invalid_choice": _("部门不存在或不在您的管辖范围内"),
        },
    )
    lead = forms.ChoiceField(choices=LEAD_CHOICES, required=False, label=_("主办/协办"))
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label=_("派单意见")
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    @property
    def lead_value(self) -> bool | None:
        return {"lead": True, "assist": False}.get(self.cleaned_data.get("lead") or "")


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("办结结果"), widget=forms.RadioSelect, error_messages={"required": _("请选择办结结果")}
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label=_("办结说明")
    )

    def __init__(self, *args, **kwargs):
        from governance.models import Outcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Outcome.choices


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), widget=forms.RadioSelect, error_messages={"required": _("请选择满意度")}
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label=_("回访记录")
    )

    def __init__(self, *args, **kwargs):
        from governance.models import Satisfaction

        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].choices = Satisfaction.choices


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        label=_("退回理由"),
        validators=[validate_not_blank],
        error_messages={"required": _("请填写退回理由")},
    )


class FeedbackForm(forms.Form):
    result = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=_("办理结果"),
        validators=[validate_not_blank],
        error_messages={"required": _("请填写办理结果")},
    )
    resolved = forms.ChoiceField(
        choices=RESOLVED_CHOICES,
        widget=forms.RadioSelect,
        label=_("是否化解"),
        error_messages={"required": _("请选择是否化解")},
    )

    @property
    def resolved_value(self) -> bool:
        return self.cleaned_data["resolved"] == "yes"


class SearchForm(forms.Form):
    term = forms.CharField(max_length=50, required=False, label=_("案件编号、当事人姓名或电话"))


def friendly_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """django-filter's empty choices read "---------" and "未知"; on the pages they read "全部".
    Dates get the browser's date picker."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
        elif hasattr(field, "empty_label"):  # model choices, and django-filter's choice fields
            field.empty_label = _("全部")
            if hasattr(field, "choices"):
                field.widget.choices = field.choices  # the widget's copy still points at the old field
        elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
            field.choices = [("", _("全部")), *list(field.choices)[1:]]
    return form
