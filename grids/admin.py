"""The administrators' side of the grids, in Chinese: the grid tree, its members and households
are set up here; events, logs, weekly reports and ratings are read-only (they change only through
their services), and a rating can be (re)computed for a quarter."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from governance.exceptions import ApplicationError
from governance.models import Center, CenterLevel
from grids.models import (
    EventAttachment,
    Grid,
    GridEvent,
    GridMember,
    GridRating,
    Household,
    WeeklyReport,
    WorkerRating,
    WorkLog,
)
from grids.services.ratings import ratings_compute


class GridForm(MoveNodeForm):
    """Keeps the tree's rule: a top grid hangs under a village center, every node below it belongs
    to the same village."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Center.objects.filter(level=CenterLevel.VILLAGE)
        if self.instance.pk:
            self.fields["center"].disabled = True
            self.fields["center"].help_text = _("网格建立后不能改属其他村(社区)")

    def clean(self):
        data = super().clean()
        ref = data.get("treebeard_ref_node")
        position = data.get("treebeard_position")
        if ref is None:
            parent = None
        elif position == "first-child":
            parent = ref
        else:
            parent = Grid.objects.get_parent(ref)
        center = data.get("center") or getattr(self.instance, "center", None)
        if parent is not None and center is not None and parent.center_id != center.pk:
            self.add_error("treebeard_ref_node", _("下级网格必须与上级网格属于同一村(社区)"))
        if center is not None and center.level != CenterLevel.VILLAGE:
            self.add_error("center", _("网格只能建在村(社区)综治中心之下"))
        return data


class MemberInline(admin.TabularInline):
    model = GridMember
    fields = ["role", "name", "phone", "organization", "user", "is_active", "joined_on"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Grid)
class GridAdmin(TreeAdmin):
    form = movenodeform_factory(Grid, form=GridForm)
    list_display = ["name", "code", "level", "center", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    inlines = [MemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("center")


@admin.register(GridMember)
class GridMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "grid", "organization", "user", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "grid__name", "user__username"]
    autocomplete_fields = ["grid", "user"]
    list_select_related = ["grid", "user"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["address", "head_name", "members", "grid", "is_key", "is_active"]
    list_filter = ["is_key", "is_active"]
    search_fields = ["address", "head_name", "grid__name"]
    autocomplete_fields = ["grid"]
    list_select_related = ["grid"]
    exclude = ["center"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        obj.center_id = obj.grid.center_id  # a household belongs to its grid's village
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes only through the services (and their rollups); nothing is deleted."""

    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = EventAttachment
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GridEvent)
class GridEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "grid", "category", "source", "status", "tier", "supervision", "reported_at", "case"]
    list_filter = ["status", "category", "source", "tier", "supervision"]
    date_hierarchy = "reported_on"
    list_select_related = ["grid", "case"]
    inlines = [AttachmentInline]


@admin.register(WorkLog)
class WorkLogAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "grid", "worker", "households", "issues_found"]
    list_filter = ["kind"]
    date_hierarchy = "occurred_on"
    list_select_related = ["grid", "worker"]


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyAdmin):
    list_display = ["grid", "week_start", "submitted_by", "submitted_at"]
    date_hierarchy = "week_start"
    list_select_related = ["grid", "submitted_by"]


@admin.action(description=_("按当前政策重新评定所选记录所在季度"))
def recompute(modeladmin, request, queryset):
    done = set()
    for rating in queryset.select_related("scope"):
        key = (rating.scope_id, rating.year, rating.quarter)
        if key in done:
            continue
        done.add(key)
        try:
            grids, workers = ratings_compute(
                actor=request.user, center=rating.scope, year=rating.year, quarter=rating.quarter
            )
        except ApplicationError as exc:
            modeladmin.message_user(request, str(exc.message), messages.ERROR)
            return
        modeladmin.message_user(
            request,
            _("%(scope)s %(year)s年第%(quarter)s季度：评定网格 %(grids)s 个、网格员 %(workers)s 名")
            % {
                "scope": rating.scope,
                "year": rating.year,
                "quarter": rating.quarter,
                "grids": grids,
                "workers": workers,
            },
        )


@admin.register(GridRating)
class GridRatingAdmin(ReadOnlyAdmin):
    list_display = ["scope", "year", "quarter", "rank", "grid", "stars", "score", "computed_at"]
    list_filter = ["year", "quarter", "stars"]
    list_select_related = ["scope", "grid"]
    actions = [recompute]


@admin.register(WorkerRating)
class WorkerRatingAdmin(ReadOnlyAdmin):
    list_display = ["scope", "year", "quarter", "rank", "worker", "score", "computed_at"]
    list_filter = ["year", "quarter"]
    list_select_related = ["scope", "worker"]
    actions = [recompute]
