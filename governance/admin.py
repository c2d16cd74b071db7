"""The administrator's side, in Chinese: centers, departments, users and roles, SLA policies,
calendar overrides, categories and policies. The ledger is read-only here — it changes only
through its services — and nothing on it can be deleted."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from governance.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    CaseParty,
    Category,
    Center,
    Deadline,
    DeadlineChange,
    Department,
    Dispatch,
    Notification,
    PiiAccess,
    PolicySetting,
    Role,
    SlaPolicy,
    User,
    UserRole,
)
from governance.policies import declared

admin.site.site_header = _("综治中心管理后台")
admin.site.site_title = _("综治中心")
admin.site.index_title = _("系统管理")


@admin.register(Center)
class CenterAdmin(TreeAdmin):
    form = movenodeform_factory(Center)
    list_display = ["name", "code", "level", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "center", "residency", "is_active"]
    list_filter = ["residency", "is_active", "center"]
    search_fields = ["name"]


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.role_set.values_list("role", flat=True))

    def clean(self):
        data = super().clean()
        chosen = set(data.get("roles") or [])
        if Role.LIAISON in chosen and not data.get("department"):
            self.add_error("department", _("部门联络员必须指定所属部门"))
        if chosen and not data.get("center"):
            self.add_error("center", _("请指定所属中心"))
        return data


class UserCreateForm(UserForm):
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput)

    class Meta(UserForm.Meta):
        fields = ["username", "full_name", "center", "department", "window", "email"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserForm
    add_form = UserCreateForm
    list_display = ["username", "full_name", "center", "department", "role_list", "is_active"]
    list_filter = ["role_set__role", "is_active", "center"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("基本信息"), {"fields": ["full_name", "email", "center", "department", "window", "roles"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "full_name", "center", "department", "window", "roles", "email"]})
    ]

    @admin.display(description=_("角色"))
    def role_list(self, user):
        return gettext("、").join(str(r.get_role_display()) for r in user.role_set.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("center", "department").prefetch_related("role_set")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        chosen = set(form.cleaned_data.get("roles") or [])
        user = form.instance
        user.role_set.exclude(role__in=chosen).delete()
        existing = set(user.role_set.values_list("role", flat=True))
        UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in chosen - existing])


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "order", "is_active"]
    list_editable = ["order", "is_active"]


class PolicySettingForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("政策项"))

    class Meta:
        model = PolicySetting
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(key, f"{key} — {p.label}") for key, p in declared().items()]

    def clean(self):
        data = super().clean()
        policy = declared().get(data.get("key"))
        if policy is not None and "value" in data and not policy.validate(data["value"]):
            self.add_error("value", _("取值不符合该政策项的要求（默认值为 %(default)s）") % {"default": policy.default})
        return data


@admin.register(PolicySetting)
class PolicySettingAdmin(admin.ModelAdmin):
    form = PolicySettingForm
    list_display = ["key", "center", "value", "note"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["kind", "center", "service_line", "risk_level", "amount", "unit", "warn_ratio"]
    list_filter = ["kind", "unit"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger changes only through its services; nothing on it is ever deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = CaseParty
    fields = ["person", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DispatchInline(PartyInline):
    model = Dispatch
    fields = ["department", "is_lead", "status", "dispatched_at", "accepted_at", "fed_back_at", "feedback_resolved"]
    readonly_fields = fields


class EventInline(PartyInline):
    model = CaseEvent
    fields = ["at", "kind", "actor", "message"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "center", "channel", "service_line", "category", "risk_level", "status", "registered_at"]
    list_filter = ["status", "channel", "service_line", "risk_level", "category"]
    search_fields = ["number"]
    date_hierarchy = "registered_on"
    inlines = [PartyInline, DispatchInline, EventInline]
    list_select_related = ["center", "category"]
    show_full_result_count = False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["kind", "case", "department", "due_at", "state", "warned_at", "breached_at", "completed_at"]
    list_filter = ["kind", "state", "calendar_unconfirmed"]
    list_select_related = ["case", "department"]
    show_full_result_count = False


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "action", "reason", "approver", "at", "due_before", "due_after"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at", "email"]
    list_filter = ["kind", "email"]


@admin.register(PiiAccess)
class PiiAccessAdmin(ReadOnlyAdmin):
    list_display = ["user", "case", "via", "at"]
    list_select_related = ["user", "case"]
