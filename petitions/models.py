"""Petitions (信访) on the one ledger: each petition is a case of the `petition` service line, with
the legal procedure of the 信访工作条例 as a state machine whose timers run on the core engine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Satisfaction
from governance.models.stats import period_field, scope_field
from petitions.choices import (
    BacklogStatus,
    Decision,
    LinkKind,
    PetitionForm,
    PetitionStatus,
    PetitionType,
    RatingVia,
    RefusalReason,
    ReplyOutcome,
    Step,
    Track,
)

S = PetitionStatus

# (step, current status) → new status. Anything missing is refused (fail closed).
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (Step.FORWARD, S.REGISTERED): S.HANDLING,
    (Step.ASSIGN, S.REGISTERED): S.HANDLING,
    (Step.REFUSE, S.REGISTERED): S.REFUSED,
    (Step.EXTEND, S.HANDLING): S.HANDLING,
    (Step.REPLY, S.HANDLING): S.REPLIED,
    (Step.REQUEST_REVIEW, S.REPLIED): S.REVIEW_REQUESTED,
    (Step.ANSWER_REVIEW, S.REVIEW_REQUESTED): S.REVIEWED,
    (Step.REQUEST_RE_REVIEW, S.REVIEWED): S.RE_REVIEW_REQUESTED,
    (Step.ANSWER_RE_REVIEW, S.RE_REVIEW_REQUESTED): S.CLOSED,
    # the petitioner's 30 days to ask for a review or re-review ran out (the sweep)
    (Step.FINALIZE, S.REPLIED): S.CLOSED,
    (Step.FINALIZE, S.REVIEWED): S.CLOSED,
}
# States in which the written reply exists (the petitioner may rate the handling).
REPLIED_STATES = frozenset({S.REPLIED, S.REVIEW_REQUESTED, S.REVIEWED, S.RE_REVIEW_REQUESTED, S.CLOSED})
# The legal limits [law], 信访工作条例.
MAX_REPRESENTATIVES = 5
DECISION_DAYS = 15
HANDLING_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_DAYS = 30


def _valid(field: str, choices) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _valid_or_blank(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [*choices.values, ""]})


class Petition(models.Model):
    """A petition (信访事项) on a ledger case: the case holds the center, parties, category, risk,
    flags and timeline; the petition holds the procedure."""

    case = models.OneToOneField(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="petition"
    )
    form = models.CharField(_("信访形式"), max_length=16, choices=PetitionForm.choices)
    type = models.CharField(_("信访类型"), max_length=20, choices=PetitionType.choices)
    headcount = models.PositiveIntegerField(_("人数"), default=1)
    is_collective = models.BooleanField(_("集体信访"), default=False, help_text=_("按登记时的集体访人数标准认定"))
    is_repeat = models.BooleanField(_("重复信访"), default=False)
    status = models.CharField(_("办理状态"), max_length=24, choices=PetitionStatus.choices, default=S.REGISTERED)
    # sha256 of the receipt's query code; the code itself is shown once, on the receipt
    query_code_hash = models.CharField(_("查询码摘要"), max_length=64, unique=True)
    reception = models.ForeignKey(
        "petitions.ReceptionDay",
        verbose_name=_("领导接访"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )

    # decision (within 15 days of registration)
    decision = models.CharField(_("处理方式"), max_length=16, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    track = models.CharField(_("办理程序"), max_length=16, choices=Track.choices, blank=True)
    handling_department = models.ForeignKey(
        "governance.Department",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handling_organ = models.CharField(_("承办机关"), max_length=100, blank=True)
    assigned_days = models.PositiveSmallIntegerField(_("交办期限(日)"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True, max_length=2000)
    refusal_reason = models.CharField(_("不予受理理由"), max_length=32, choices=RefusalReason.choices, blank=True)
    refusal_notice = models.TextField(_("不予受理告知书"), blank=True, max_length=4000)

    # the one extension (at most 30 days, approved, reason told to the petitioner)
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("延期时间"), null=True, blank=True)

    # the written reply (信访处理意见书)
    reply_outcome = models.CharField(_("处理意见"), max_length=16, choices=ReplyOutcome.choices, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True, max_length=4000)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # review (复查) and re-review (复核)
    review_requested_at = models.DateTimeField(_("请求复查时间"), null=True, blank=True)
    review_request = models.TextField(_("复查请求"), blank=True, max_length=2000)
    review_organ = models.CharField(_("复查机关"), max_length=100, blank=True)
    review_outcome = models.CharField(_("复查意见"), max_length=16, choices=ReplyOutcome.choices, blank=True)
    review_text = models.TextField(_("复查答复"), blank=True, max_length=4000)
    reviewed_at = models.DateTimeField(_("复查答复时间"), null=True, blank=True)
    re_review_requested_at = models.DateTimeField(_("请求复核时间"), null=True, blank=True)
    re_review_request = models.TextField(_("复核请求"), blank=True, max_length=2000)
    re_review_organ = models.CharField(_("复核机关"), max_length=100, blank=True)
    re_review_outcome = models.CharField(_("复核意见"), max_length=16, choices=ReplyOutcome.choices, blank=True)
    re_review_text = models.TextField(_("复核答复"), blank=True, max_length=4000)
    re_reviewed_at = models.DateTimeField(_("复核答复时间"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("终结时间"), null=True, blank=True)

    # the petitioner's evaluation of the handling
    satisfaction = models.CharField(_("评价"), max_length=24, choices=Satisfaction.choices, blank=True)
    satisfaction_note = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_via = models.CharField(_("评价途径"), max_length=16, choices=RatingVia.choices, blank=True)

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        constraints = [
            models.CheckConstraint(condition=_valid("form", PetitionForm), name="petition_form_valid"),
            models.CheckConstraint(condition=_valid("type", PetitionType), name="petition_type_valid"),
            models.CheckConstraint(condition=_valid("status", PetitionStatus), name="petition_status_valid"),
            models.CheckConstraint(condition=_valid_or_blank("decision", Decision), name="petition_decision_valid"),
            models.CheckConstraint(condition=_valid_or_blank("track", Track), name="petition_track_valid"),
            models.CheckConstraint(
                condition=_valid_or_blank("refusal_reason", RefusalReason), name="petition_refusal_reason_valid"
            ),
            models.CheckConstraint(
                condition=_valid_or_blank("reply_outcome", ReplyOutcome)
                & _valid_or_blank("review_outcome", ReplyOutcome)
                & _valid_or_blank("re_review_outcome", ReplyOutcome),
                name="petition_outcomes_valid",
            ),
            models.CheckConstraint(
                condition=_valid_or_blank("satisfaction", Satisfaction), name="petition_satisfaction_valid"
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="petition_headcount_positive"),
            # [law] one extension of at most 30 days
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True) | Q(extension_days__gte=1, extension_days__lte=30),
                name="petition_extension_at_most_30_days",
            ),
            models.CheckConstraint(
                condition=Q(assigned_days__isnull=True) | Q(assigned_days__gte=1, assigned_days__lte=60),
                name="petition_assigned_days_within_60",
            ),
            # [law] a refusal is told in writing, with its reason
            models.CheckConstraint(
                condition=~Q(status=S.REFUSED) | (~Q(refusal_reason="") & ~Q(refusal_notice="")),
                name="petition_refusal_has_notice",
            ),
        ]
        indexes = [
            # staff lists "to decide" / "in handling" (petition_list_qs filtered by status)
            models.Index(fields=["status"], name="petition_status_idx"),
        ]

    def __str__(self):
        return str(self.case)


class PetitionAccused(models.Model):
    """Whom an accusation (检举控告) accuses: a department, a staff member, or a name. Users of an
    accused department and accused staff members never see the case (see `petitions.selectors`)."""

    petition = models.ForeignKey(Petition, verbose_name=_("信访事项"), on_delete=models.PROTECT, related_name="accused")
    # the case, repeated so that the scoping subquery needs no join
    case = models.ForeignKey("governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "governance.Department",
        verbose_name=_("被检举控告部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被检举控告的工作人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("被检举控告人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("被检举控告对象")
        verbose_name_plural = _("被检举控告对象")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(user__isnull=False) | ~Q(name=""),
                name="petition_accused_names_someone",
            )
        ]
        indexes = [
            # scoping: the cases a department's users must not see (petitions.selectors.accused_case_ids)
            models.Index(fields=["department", "case"], name="petition_accused_dept_idx"),
            # scoping: the cases an accused staff member must not see
            models.Index(fields=["user", "case"], name="petition_accused_user_idx"),
        ]


class PetitionLink(models.Model):
    """An earlier petition of the same person or on the same matter (repeat petitions)."""

    petition = models.ForeignKey(Petition, verbose_name=_("信访事项"), on_delete=models.PROTECT, related_name="links")
    earlier = models.ForeignKey(
        Petition, verbose_name=_("此前信访事项"), on_delete=models.PROTECT, related_name="later_links"
    )
    kind = models.CharField(_("关联方式"), max_length=16, choices=LinkKind.choices)
    created_at = models.DateTimeField(_("关联时间"))

    class Meta:
        verbose_name = _("关联信访事项")
        verbose_name_plural = _("关联信访事项")
        constraints = [
            models.UniqueConstraint(fields=["petition", "earlier", "kind"], name="petition_link_unique"),
            models.CheckConstraint(condition=_valid("kind", LinkKind), name="petition_link_kind_valid"),
            models.CheckConstraint(condition=~Q(petition=models.F("earlier")), name="petition_link_not_self"),
        ]


class ReceptionDay(models.Model):
    """A leader's reception day (领导接访日): who receives petitioners, when and where."""

    center = models.ForeignKey(
        "governance.Center", verbose_name=_("接访中心"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接访领导"), on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField(_("接访日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    place = models.CharField(_("接访地点"), max_length=100)
    topic = models.CharField(_("接访主题"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("安排时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导接访日")
        verbose_name_plural = _("领导接访日")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="reception_ends_after_start"),
            models.UniqueConstraint(
                fields=["leader", "date"], condition=Q(cancelled_at__isnull=True), name="reception_one_per_leader_day"
            ),
        ]
        indexes = [
            # the schedule of a center by date (reception_qs_for)
            models.Index(fields=["center", "date"], name="reception_center_date_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.leader}"


class BacklogCase(models.Model):
    """A backlog petition (信访积案): a star rating of its difficulty and the leader in charge (包案)."""

    petition = models.OneToOneField(
        Petition, verbose_name=_("信访事项"), on_delete=models.PROTECT, related_name="backlog"
    )
    stars = models.PositiveSmallIntegerField(_("星级"), help_text=_("1–5星，星级越高化解难度越大、包案领导级别越高"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("包案领导"), on_delete=models.PROTECT, related_name="backlog_cases"
    )
    reason = models.CharField(_("列为积案的原因"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=BacklogStatus.choices, default=BacklogStatus.OPEN)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("列管人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    designated_at = models.DateTimeField(_("列管时间"))
    resolved_at = models.DateTimeField(_("化解时间"), null=True, blank=True)
    resolution = models.TextField(_("化解情况"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("信访积案")
        verbose_name_plural = _("信访积案")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="backlog_stars_1_to_5"),
            models.CheckConstraint(condition=_valid("status", BacklogStatus), name="backlog_status_valid"),
            models.CheckConstraint(
                condition=Q(status=BacklogStatus.OPEN, resolved_at__isnull=True)
                | Q(status=BacklogStatus.RESOLVED, resolved_at__isnull=False),
                name="backlog_resolved_iff_resolved_at",
            ),
        ]
        indexes = [
            # a leader's backlog cases (包案) and the open backlog list
            models.Index(fields=["leader", "status"], name="backlog_leader_status_idx"),
        ]


class PetitionStat(models.Model):
    """Petitions registered on `day` at the scope center and below (a day row and a month row, as
    the core's rollups in governance.models.stats): by form, type and collective or not; the
    evaluation counters belong to the registration day (cohort)."""

    scope = scope_field()
    period = period_field()
    day = models.DateField()
    form = models.CharField(max_length=16)
    type = models.CharField(max_length=20)
    is_collective = models.BooleanField()
    petitions = models.IntegerField(db_default=0, default=0)
    persons = models.IntegerField(db_default=0, default=0)
    repeated = models.IntegerField(db_default=0, default=0)
    rated = models.IntegerField(db_default=0, default=0)
    satisfied = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("信访日统计")
        verbose_name_plural = _("信访日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "day", "form", "type", "is_collective"], name="petition_stat_key"
            ),
        ]
