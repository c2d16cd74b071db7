"""Forms of the mediation pages. Input forms validate; services act."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import Category, RiskLevel
from governance.views.forms import IdNumberField, PhoneField, validate_not_blank
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    ConsentForm,
    FailureRoute,
    MediationKind,
    ReferralKind,
    ReferralResult,
    SessionKind,
    Side,
    TermStatus,
)
from mediation.legal.models import LegalKind, LegalOutcome


def _text(label, *, rows: int = 2, required: bool = True, max_length: int = 2000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[validate_not_blank] if required else [],
    )


class MediatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mediator):
        name = gettext("%(name)s（首席）") % {"name": mediator.name} if mediator.is_chief else mediator.name
        return f"{name} · {mediator.committee.name}"


class FileOpenForm(forms.Form):
    mediator = MediatorChoiceField(queryset=None, label=_("调解员"), empty_label=_("请选择调解员"))
    kind = forms.ChoiceField(
        label=_("调解类型"),
        choices=[(k, v) for k, v in MediationKind.choices if k != MediationKind.PRE_LITIGATION],
        initial=MediationKind.PEOPLE,
    )
    request = _text(_("申请事项"), required=False)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class FileConsentForm(forms.Form):
    side = forms.ChoiceField(label=_("当事方"), choices=Side.choices, widget=forms.RadioSelect)
    agreed = forms.TypedChoiceField(
        label=_("调解意愿"),
        choices=[("1", _("同意调解")), ("0", _("拒绝调解"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    form = forms.ChoiceField(
        label=_("形式"),
        choices=[(ConsentForm.WRITTEN, ConsentForm.WRITTEN.label), (ConsentForm.ORAL, ConsentForm.ORAL.label)],
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = _text(_("理由"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SessionKind.choices, initial=SessionKind.SESSION)
    held_at = forms.DateTimeField(
        label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    attendees = forms.CharField(label=_("参加人员"), required=False, max_length=500)
    record = _text(_("记录"), rows=5, max_length=10000)


class ReassignForm(forms.Form):
    mediator = MediatorChoiceField(queryset=None, label=_("新调解员"), empty_label=_("请选择调解员"))
    reason = _text(_("更换原因"))

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365)
    applicant_consents = forms.BooleanField(label=_("申请方同意延期"), required=False)
    respondent_consents = forms.BooleanField(label=_("被申请方同意延期"), required=False)
    reason = _text(_("延期理由"))


class FailForm(forms.Form):
    reason = _text(_("调解不成原因"))
    routes = forms.MultipleChoiceField(
        label=_("已告知当事人的其他途径"),
        choices=FailureRoute.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AgreementHeadForm(forms.Form):
    form = forms.ChoiceField(label=_("协议形式"), choices=AgreementForm.choices, widget=forms.RadioSelect)
    facts = _text(_("纠纷主要事实、争议事项"), rows=4, max_length=5000)
    sealed = forms.BooleanField(label=_("已加盖人民调解委员会印章"), required=False)
    recorder = forms.CharField(label=_("记录人"), required=False, max_length=50)
    confirmation_wanted = forms.BooleanField(label=_("当事人拟申请司法确认"), required=False)


class AgreementPartyForm(forms.Form):
    case_party = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("列为协议当事人"), required=False, initial=True)
    side = forms.ChoiceField(label=_("当事方"), choices=Side.choices)
    responsibility = forms.CharField(label=_("应承担的责任"), required=False, max_length=2000)
    signed = forms.BooleanField(label=_("已签名(盖章或按指印)"), required=False)


class TermForm(forms.Form):
    content = forms.CharField(label=_("协议内容"), required=False, max_length=2000)
    method = forms.CharField(label=_("履行方式"), required=False, max_length=200)
    due_on = forms.DateField(label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    obligor = forms.TypedChoiceField(label=_("履行人"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, obligors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligor"].choices = [("", "—"), *obligors]

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(name)) for name in ("content", "method", "due_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("每条协议须写明内容、履行方式和履行期限"))
        return data

    @property
    def is_blank(self) -> bool:
        return not (
            self.cleaned_data.get("content") or self.cleaned_data.get("method") or self.cleaned_data.get("due_on")
        )


AgreementPartyFormSet = forms.formset_factory(AgreementPartyForm, extra=0)
TermFormSet = forms.formset_factory(TermForm, extra=3, max_num=20)


class TermRecordForm(forms.Form):
    status = forms.ChoiceField(label=_("履行情况"), choices=TermStatus.choices[1:])
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class CheckForm(forms.Form):
    method = forms.ChoiceField(label=_("回访方式"), choices=CheckMethod.choices, widget=forms.RadioSelect)
    finding = _text(_("回访情况"))


class ConfirmationApplyForm(forms.Form):
    court = forms.CharField(label=_("受理法院"), max_length=100)
    joint = forms.BooleanField(label=_("双方当事人共同申请"), required=False)


class CourtCaseNumberForm(forms.Form):
    court_case_number = forms.CharField(label=_("法院案号"), required=False, max_length=64)


class RuleForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("裁定结果"),
        choices=[("1", _("确认调解协议有效")), ("0", _("驳回申请"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class DaysReasonForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365)
    reason = _text(_("理由"))


class PartyForm(forms.Form):
    name = forms.CharField(label=_("姓名/名称"), max_length=50, required=False)
    id_number = IdNumberField()
    phone = PhoneField()
    role = forms.ChoiceField(
        label=_("身份"), choices=[("applicant", _("原告/申请人")), ("respondent", _("被告/被申请人"))]
    )


PartyFormSet = forms.formset_factory(PartyForm, extra=2, max_num=10)


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("委派类型"), choices=ReferralKind.choices, widget=forms.RadioSelect)
    court = forms.CharField(label=_("委派法院"), max_length=100)
    court_ref = forms.CharField(label=_("法院编号"), max_length=64, help_text=_("诉前调解编号或案号"))
    category = forms.ModelChoiceField(
        label=_("纠纷类别"), queryset=Category.objects.filter(is_active=True), to_field_name="key"
    )
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.BLUE)
    summary = _text(_("案情摘要"), rows=3)
    committee = forms.ModelChoiceField(label=_("承接调解组织"), queryset=None, required=False)
    parties_consented = forms.BooleanField(label=_("法院已征得当事人同意诉前调解"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class SignForm(forms.Form):
    mediator = MediatorChoiceField(queryset=None, label=_("签收调解员"), required=False)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class CourtRecordForm(forms.Form):
    court_record = forms.CharField(label=_("法院文书号"), max_length=64)


class FilingForm(forms.Form):
    filing_number = forms.CharField(label=_("立案案号"), max_length=64)


class FastTrackForm(forms.Form):
    result = forms.ChoiceField(
        label=_("速裁结果"),
        choices=[
            (k, ReferralResult(k).label)
            for k in (ReferralResult.MEDIATED, ReferralResult.JUDGED, ReferralResult.WITHDRAWN)
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class LegalForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=LegalKind.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label=_("纠纷类别"), queryset=Category.objects.filter(is_active=True), to_field_name="key"
    )
    request = _text(_("申请/咨询事项"), rows=3)
    agency = forms.CharField(label=_("承办机构"), required=False, max_length=100)
    name = forms.CharField(label=_("申请人姓名"), max_length=50)
    id_number = IdNumberField()
    phone = PhoneField()


class LegalAcceptForm(forms.Form):
    agency = forms.CharField(label=_("承办机构"), required=False, max_length=100)
    assignee = forms.CharField(label=_("承办人"), required=False, max_length=50)
    reference = forms.CharField(label=_("文书编号"), required=False, max_length=64)


class LegalConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), widget=forms.RadioSelect)
    result_note = _text(_("答复/办理结果"), required=False, rows=3, max_length=5000)
    reference = forms.CharField(label=_("文书编号"), required=False, max_length=64)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(LegalOutcome.choices)
        self.fields["outcome"].choices = [(key, labels[key]) for key in LegalOutcome.values if key in outcomes]
