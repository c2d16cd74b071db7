"""Stable English keys for the API; Chinese labels for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PetitionForm(models.TextChoices):
    """信访形式 [law]: letter, visit, phone, online."""

    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网上信访")


class PetitionType(models.TextChoices):
    SUGGESTION = "suggestion", _("建议意见类")
    ACCUSATION = "accusation", _("检举控告类")
    APPEAL_REQUEST = "appeal_request", _("申诉求决类")


class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记，待处理")
    HANDLING = "handling", _("办理中")
    REFUSED = "refused", _("不予受理")
    REPLIED = "replied", _("已答复")
    REVIEW_REQUESTED = "review_requested", _("复查中")
    REVIEWED = "reviewed", _("已复查")
    RE_REVIEW_REQUESTED = "re_review_requested", _("复核中")
    CLOSED = "closed", _("已终结")


class Step(models.TextChoices):
    """The steps of the procedure; each is one service and one API verb."""

    FORWARD = "forward", _("转送")
    ASSIGN = "assign", _("交办")
    REFUSE = "refuse", _("不予受理")
    EXTEND = "extend", _("延长办理期限")
    REPLY = "reply", _("答复")
    REQUEST_REVIEW = "request_review", _("请求复查")
    ANSWER_REVIEW = "answer_review", _("复查答复")
    REQUEST_RE_REVIEW = "request_re_review", _("请求复核")
    ANSWER_RE_REVIEW = "answer_re_review", _("复核答复")
    FINALIZE = "finalize", _("期满终结")


class Decision(models.TextChoices):
    FORWARD = "forward", _("转送")
    ASSIGN = "assign", _("交办")
    REFUSE = "refuse", _("不予受理")


class Track(models.TextChoices):
    """How long the handling may take: the legal 60 days, or a local fast track (policy)."""

    STANDARD = "standard", _("一般程序")
    SIMPLE = "simple", _("简单事项")
    COMPLEX = "complex", _("复杂疑难事项")


class ReplyOutcome(models.TextChoices):
    SUPPORT = "support", _("予以支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不予支持")


class RefusalReason(models.TextChoices):
    LITIGATION = "litigation", _("已经或者依法应当通过诉讼途径解决")
    ARBITRATION = "arbitration", _("已经或者依法应当通过仲裁途径解决")
    ADMINISTRATIVE_REVIEW = "administrative_review", _("已经或者依法应当通过行政复议途径解决")
    ACCEPTED_ELSEWHERE = "accepted_elsewhere", _("已由其他机关受理或者正在办理")
    CONCLUDED = "concluded", _("已经复核终结，同一事实和理由不再受理")
    OTHER = "other", _("其他依法不予受理的情形")


class LinkKind(models.TextChoices):
    SAME_PERSON = "same_person", _("同一信访人")
    SAME_MATTER = "same_matter", _("同一事项")


class RatingVia(models.TextChoices):
    QUERY_CODE = "query_code", _("信访人凭查询码评价")
    STAFF = "staff", _("工作人员回访录入")


class BacklogStatus(models.TextChoices):
    OPEN = "open", _("化解中")
    RESOLVED = "resolved", _("已化解")
