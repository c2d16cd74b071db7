"""The registration desk (来访登记): one screen, keyboard first; the receipt (受理回执) with its
one-click dispatch; the list of visits."""

from __future__ import annotations

import re

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance import policies, roles
from governance.models import Case, CaseFlag, Category, Center, PartyRole, RiskLevel, ServiceLine, Sex
from governance.selectors.cases import case_detail_qs
from governance.selectors.ledger import department_suggestions, person_history
from governance.selectors.scoping import centers_for, departments_for
from governance.services.deadlines import sla_resolve
from governance.services.dispatch import FEEDBACK, RESPONSE
from governance.services.persons import PartyInput
from governance.validators import id_number_facts, normalize_id_number
from governance.views.base import CappedPaginator, run_service
from governance.views.forms import DispatchForm, IdNumberField, PhoneField, friendly_filter_form
from intake import services
from intake.selectors import visit_qs_for

# Plain-language hints beside the choices (what a window clerk asks themself).
RISK_HINTS = {
    RiskLevel.RED: gettext_lazy("可能引发命案、群体性事件、极端行为或扬言越级上访；须领导关注，时限最短"),
    RiskLevel.YELLOW: gettext_lazy("矛盾较深、涉及人数较多或反复来访，有激化可能"),
    RiskLevel.BLUE: gettext_lazy("一般性纠纷，情绪平稳，可按常规程序办理"),
}
SERVICE_LINE_HINTS = {
    ServiceLine.MEDIATION: gettext_lazy("邻里、婚姻家庭、合同等纠纷，先行调解"),
    ServiceLine.LEGAL_SERVICES: gettext_lazy("法律咨询、法律援助、公证、劳动仲裁"),
    ServiceLine.COURT_DOCKING: gettext_lazy("已起诉或准备起诉，适合诉前调解"),
    ServiceLine.PETITION: gettext_lazy("反映问题、提出诉求、投诉建议（信访）"),
    ServiceLine.GRID: gettext_lazy("需要网格员上门核实或就地化解的事项"),
}
VISITOR_ROLES = {PartyRole.APPLICANT, PartyRole.VISITOR, PartyRole.REPRESENTATIVE}


class PartyForm(forms.Form):
    id_number = IdNumberField(label=gettext_lazy("身份证号码"))
    name = forms.CharField(
        max_length=50, label=gettext_lazy("姓名"), error_messages={"required": gettext_lazy("请填写姓名")}
    )
    phone = PhoneField(label=gettext_lazy("联系电话"))
    role = forms.ChoiceField(choices=PartyRole.choices, initial=PartyRole.APPLICANT, label=gettext_lazy("身份"))
    address = forms.CharField(max_length=200, required=False, label=gettext_lazy("住址"))


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not any(f.cleaned_data["role"] in VISITOR_ROLES for f in filled):
            raise ValidationError(_("至少填写一位来访人（申请人、来访人或代表人）"))
        seen = set()
        for f in filled:
            number = f.cleaned_data.get("id_number")
            if number and number in seen:
                f.add_error("id_number", _("同一身份证号码填写了两次"))
            seen.add(number)


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        label = category.display_label
        if category.hint and label == category.label:  # the hints are written in Chinese only
            return f"{label} — {category.hint}"
        return label


class RegistrationForm(forms.Form):
    service_line = forms.ChoiceField(label=gettext_lazy("业务条线"))
    category = CategoryField(
        queryset=Category.objects.filter(is_active=True),
        label=gettext_lazy("纠纷类别"),
        empty_label=gettext_lazy("请选择类别"),
        error_messages={"required": gettext_lazy("请选择纠纷类别")},
    )
    risk_level = forms.ChoiceField(
        widget=forms.RadioSelect,
        label=gettext_lazy("风险等级"),
        error_messages={"required": gettext_lazy("请评估风险等级")},
    )
    flags = forms.MultipleChoiceField(
        choices=CaseFlag.choices, widget=forms.CheckboxSelectMultiple, required=False, label=gettext_lazy("风险标记")
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label=gettext_lazy("事项摘要"),
        error_messages={"required": gettext_lazy("请简要记录来访人反映的事项")},
    )
    headcount = forms.IntegerField(min_value=1, max_value=100000, required=False, label=gettext_lazy("来访人数"))
    window = forms.CharField(max_length=30, required=False, label=gettext_lazy("接待窗口"))
    center = forms.ModelChoiceField(queryset=Center.objects.none(), required=False, label=gettext_lazy("接待中心"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_line"].choices = [
            (value, f"{label} — {SERVICE_LINE_HINTS[value]}") for value, label in ServiceLine.choices
        ]
        self.fields["risk_level"].choices = [
            (value, _("%(label)s：%(value)s") % {"label": label, "value": RISK_HINTS[value]})
            for value, label in RiskLevel.choices
        ]
        if user.center_id:
            del self.fields["center"]
        else:
            self.fields["center"].queryset = centers_for(user)
            self.fields["center"].required = True


def _require_register(user) -> None:
    if not roles.may(user, roles.REGISTER):
        raise PermissionDenied(_("您的角色无权登记受理"))


def _desk_context(request, form, parties) -> dict:
    threshold = policies.policy_value(policies.COLLECTIVE_VISIT_THRESHOLD.key, request.user.center)
    return {
        "form": form,
        "parties": parties,
        "choose_center": "center" in form.fields,
        "headcount_hint": _("留空按登记人数计；集体来访填写实际人数，%(n)s人及以上为集体访") % {"n": threshold},
    }


@login_required
def register(request):
    """来访登记: the visitors, the matter, the risk; saving puts it on the ledger and shows the
    receipt. What was typed stays when something is wrong."""
    _require_register(request.user)
    user = request.user
    if request.method == "POST":
        form = RegistrationForm(request.POST, user=user)
        parties = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and parties.is_valid():
            rows = [f.cleaned_data for f in parties.forms if f.cleaned_data]
            people = [
                (
                    row["role"],
                    PartyInput(
                        name=row["name"].strip(),
                        id_number=row["id_number"],
                        phone=row["phone"],
                        address=row["address"],
                        role=row["role"],
                    ),
                )
                for row in rows
            ]
            v = form.cleaned_data
            matter = services.MatterInput(
                service_line=v["service_line"],
                category=v["category"],
                risk_level=v["risk_level"],
                summary=v["summary"].strip(),
                flags=v["flags"],
                parties=[p for role, p in people if role not in VISITOR_ROLES],
            )
            visit = run_service(
                form,
                services.visit_register,
                actor=user,
                center=v.get("center") or user.center,
                visitors=[p for role, p in people if role in VISITOR_ROLES],
                headcount=v["headcount"],
                window=v["window"],
                matter=matter,
            )
            if visit is not None:
                return redirect("intake:receipt", visit.case_id)
        return render(request, "intake/register.html", _desk_context(request, form, parties), status=400)
    form = RegistrationForm(user=user, initial={"window": user.window})
    parties = PartyFormSet(prefix="parties")
    return render(request, "intake/register.html", _desk_context(request, form, parties))


PARTY_FIELD = re.compile(r"^parties-(\d{1,2})-(id_number|phone)$")


@login_required
@require_POST
def check_person(request):
    """As the clerk types (htmx, POST: never an ID number in a URL): is the ID number valid, what
    birth date and sex it encodes, and has this person (by ID number or phone) been here before?"""
    _require_register(request.user)
    name = request.headers.get("HX-Trigger-Name", "") or request.POST.get("field", "")
    match = PARTY_FIELD.match(name)
    if not match:
        return HttpResponseBadRequest()
    kind = match.group(2)
    raw = request.POST.get(name, "").strip().replace(" ", "")
    context = {"kind": kind, "field_id": f"id_{name}"}
    if kind == "id_number":
        context.update(_check_id_number(request.user, raw))
    else:
        context.update(_check_phone(request.user, raw))
    return render(request, "intake/_person_check.html", context)


def _check_id_number(user, raw: str) -> dict:
    if not raw:
        return {}
    if len(raw) < 18 and re.fullmatch(r"\d*", raw):
        return {"progress": _("已输入 %(n)s 位，还差 %(m)s 位") % {"n": len(raw), "m": 18 - len(raw)}}
    try:
        number = normalize_id_number(raw)
    except ValidationError as exc:
        return {"error": " ".join(exc.messages)}
    birth_date, sex = id_number_facts(number)
    today = timezone.localdate()
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return {
        "ok": True,
        "birth_date": birth_date,
        "sex": Sex(sex).label,
        "age": age,
        "history": person_history(user, id_number=number),
    }


def _check_phone(user, raw: str) -> dict:
    if not raw:
        return {}
    try:
        phone = PhoneField().clean(raw)
    except ValidationError as exc:
        digits = re.sub(r"\D", "", raw)
        if digits.startswith("1") and len(digits) < 11:
            return {"progress": _("已输入 %(n)s 位，手机号共 11 位") % {"n": len(digits)}}
        return {"error": " ".join(exc.messages)}
    return {"ok": True, "history": person_history(user, phone=phone)}


def _duration(sla) -> str:
    from governance.models import TimeUnit

    return f"{sla.amount} {TimeUnit(sla.unit).label}"


def _qr_svg(text: str) -> str:
    qr = segno.make(text, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#000")


def render_receipt(request, case_id: int, *, dispatch_form=None, status: int = 200):
    try:
        case = case_detail_qs(request.user).get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404() from None
    dispatches = [d for d in case.dispatches.all() if d.status != "rejected"]
    for dispatch in dispatches:
        dispatch.case = case
    response_sla = sla_resolve(
        kind=RESPONSE, center=case.center, service_line=case.service_line, risk_level=case.risk_level
    )
    feedback_sla = sla_resolve(
        kind=FEEDBACK, center=case.center, service_line=case.service_line, risk_level=case.risk_level
    )
    may_dispatch = roles.may(request.user, roles.DISPATCH) and case.status != "closed"
    departments = departments_for(request.user).filter(is_active=True).order_by("center__path", "residency", "id")
    visit = case.visits.select_related("received_by").order_by("id").first()
    return render(
        request,
        "intake/receipt.html",
        {
            "case": case,
            "visit": visit,
            "applicants": [p for p in case.parties.all() if p.role in VISITOR_ROLES],
            "dispatches": dispatches,
            "response_sla": response_sla,
            "response_within": _duration(response_sla),
            "feedback_within": _duration(feedback_sla),
            "qr": mark_safe(_qr_svg(case.number)),  # segno's own SVG of the case number: no user input
            "may_dispatch": may_dispatch,
            "suggested": department_suggestions(
                user=request.user, category_id=case.category_id, center=case.center.root
            )
            if may_dispatch
            else [],
            "dispatch_form": dispatch_form
            or (DispatchForm(departments=departments, prefix="dispatch") if may_dispatch else None),
            "printed_at": timezone.localtime(),
        },
        status=status,
    )


@login_required
def receipt(request, case_id: int):
    """受理回执: printable, with the case number (and its QR code), next steps and deadlines."""
    return render_receipt(request, case_id)


class VisitFilterForm(forms.Form):
    center = forms.ModelChoiceField(queryset=Center.objects.none(), required=False, label=gettext_lazy("中心(含下级)"))
    date_from = forms.DateField(required=False, label=gettext_lazy("来访日期起"))
    date_to = forms.DateField(required=False, label=gettext_lazy("来访日期止"))
    collective = forms.NullBooleanField(required=False, label=gettext_lazy("集体访"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers_for(user)


@login_required
def visit_list(request):
    """Visits received (batches and person-times), newest first."""
    if not roles.may(request.user, roles.CENTER_WIDE):
        raise Http404()
    form = VisitFilterForm(request.GET or None, user=request.user)
    friendly_filter_form(form)
    qs = visit_qs_for(request.user).order_by("-id")  # the pk index serves the page; ids follow arrival
    if form.is_bound and form.is_valid():
        v = form.cleaned_data
        if v["center"]:
            qs = qs.filter(center__in=v["center"].subtree().values("pk"))
        if v["date_from"]:
            qs = qs.filter(visited_on__gte=v["date_from"])
        if v["date_to"]:
            qs = qs.filter(visited_on__lte=v["date_to"])
        if v["collective"] is not None:
            qs = qs.filter(is_collective=v["collective"])
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "intake/visit_list.html", {"form": form, "page_obj": page, "visits": page.object_list})
