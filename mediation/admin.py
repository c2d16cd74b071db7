"""The administrator's side, in Chinese: mediation bodies and their mediators are data the center
keeps up to date; files, agreements, court referrals and legal services are read-only here — they
change only through their services — and nothing on them can be deleted."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from governance.models import Role
from mediation.models import (
    Agreement,
    Committee,
    CourtReferral,
    JudicialConfirmation,
    LegalService,
    MediationFile,
    Mediator,
    Term,
)


class MediatorForm(forms.ModelForm):
    class Meta:
        model = Mediator
        fields = "__all__"

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None and not user.has_role(Role.MEDIATOR):
            raise forms.ValidationError(_("该用户没有“调解员”角色，请先在用户中勾选该角色"))
        return user


class MediatorInline(admin.TabularInline):
    model = Mediator
    form = MediatorForm
    extra = 0
    fields = ["name", "kind", "is_chief", "studio", "user", "phone", "is_active"]
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "center", "active_mediators", "is_active", "order"]
    list_filter = ["kind", "is_active", "center"]
    search_fields = ["name"]
    filter_horizontal = ["categories"]
    inlines = [MediatorInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("center")
            .annotate(active=Count("mediators", filter=Q(mediators__is_active=True)))
        )

    @admin.display(description=_("在岗调解员"), ordering="active")
    def active_mediators(self, committee):
        return committee.active


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    form = MediatorForm
    list_display = ["name", "committee", "kind", "is_chief", "studio", "user", "is_active"]
    list_filter = ["kind", "is_chief", "is_active", "committee"]
    search_fields = ["name", "studio", "user__username"]
    autocomplete_fields = ["user"]
    list_select_related = ["committee", "user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MediationFile)
class MediationFileAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "status", "committee", "mediator", "applied_at", "accepted_at", "concluded_at"]
    list_filter = ["status", "kind", "committee"]
    search_fields = ["case__number"]
    list_select_related = ["case", "committee", "mediator"]
    date_hierarchy = "applied_at"


class TermInline(admin.TabularInline):
    model = Term
    fields = ["order", "content", "method", "due_on", "status", "performed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["file", "form", "signed_at", "performance", "confirmation_wanted"]
    list_filter = ["form", "performance"]
    search_fields = ["file__case__number"]
    list_select_related = ["file__case"]
    inlines = [TermInline]


@admin.register(JudicialConfirmation)
class JudicialConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "court", "status", "applied_at", "accepted_at", "ruled_at"]
    list_filter = ["status"]
    list_select_related = ["agreement__file__case"]


@admin.register(CourtReferral)
class CourtReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "court", "court_ref", "status", "result", "referred_at", "signed_at"]
    list_filter = ["kind", "status", "result"]
    search_fields = ["case__number", "court_ref"]
    list_select_related = ["case"]


@admin.register(LegalService)
class LegalServiceAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "status", "outcome", "applied_at", "concluded_at"]
    list_filter = ["kind", "status", "outcome"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
