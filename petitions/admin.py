"""The administrator's side of petitions, in Chinese. Petitions change only through their services
(read-only here, never deleted); reception days are planned through `reception_schedule` and
cancelled through `reception_cancel`; backlog cases are resolved through `backlog_resolve`."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin import ReadOnlyAdmin
from governance.exceptions import ApplicationError
from governance.views.base import apply_error
from petitions import services
from petitions.models import BacklogCase, Petition, PetitionAccused, PetitionLink, ReceptionDay
from petitions.services.planning import reception_check


class AccusedInline(admin.TabularInline):
    model = PetitionAccused
    fields = ["department", "user", "name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class LinkInline(AccusedInline):
    model = PetitionLink
    fk_name = "petition"
    fields = ["earlier", "kind", "created_at"]
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "form", "type", "headcount", "is_collective", "is_repeat", "status", "handling_organ"]
    list_filter = ["status", "form", "type", "is_collective", "is_repeat", "track", "decision"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    exclude = ["query_code_hash"]
    inlines = [AccusedInline, LinkInline]
    show_full_result_count = False


class ReceptionDayForm(forms.ModelForm):
    class Meta:
        model = ReceptionDay
        fields = ["center", "leader", "date", "starts_at", "ends_at", "place", "topic"]

    def clean(self):
        data = super().clean()
        if all(data.get(name) for name in ("center", "leader", "starts_at", "ends_at")):
            try:
                reception_check(
                    center=data["center"],
                    leader=data["leader"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data.get("place", ""),
                )
            except ApplicationError as exc:
                apply_error(self, exc)
        return data


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    form = ReceptionDayForm
    list_display = ["date", "starts_at", "ends_at", "leader", "center", "place", "topic", "cancelled_at"]
    list_filter = ["center"]
    date_hierarchy = "date"
    actions = ["cancel"]
    list_select_related = ["center", "leader"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Planned through the service (leader check, one day per leader, the leader notified)."""
        data = form.cleaned_data
        saved = services.reception_schedule(
            actor=request.user,
            center=data["center"],
            leader=data["leader"],
            day=data["date"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            topic=data.get("topic", ""),
        )
        obj.pk = saved.pk

    @admin.action(description=_("取消所选接访安排"))
    def cancel(self, request, queryset):
        cancelled = 0
        for reception in queryset.filter(cancelled_at__isnull=True):
            services.reception_cancel(actor=request.user, reception=reception)
            cancelled += 1
        self.message_user(request, _("已取消 %(n)s 个接访安排") % {"n": cancelled})


@admin.register(BacklogCase)
class BacklogCaseAdmin(ReadOnlyAdmin):
    list_display = ["petition", "stars", "leader", "status", "designated_at", "resolved_at"]
    list_filter = ["status", "stars"]
    list_select_related = ["petition__case", "leader"]
