"""Stable English keys for the API; Chinese labels for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    """Kinds of mediation body (调解组织)."""

    JOINT = "joint", _("联合人民调解委员会")
    PROFESSIONAL = "professional", _("行业性专业性人民调解委员会")
    TOWNSHIP = "township", _("乡镇(街道)人民调解委员会")
    VILLAGE = "village", _("村(居)人民调解委员会")
    PRE_LITIGATION = "pre_litigation", _("诉前调解工作室")
    ADMINISTRATIVE = "administrative", _("行政调解组织")
    ARBITRATION = "arbitration", _("仲裁机构")
    RECONSIDERATION = "reconsideration", _("行政复议机构")


class MediatorKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职调解员")
    PART_TIME = "part_time", _("兼职调解员")
    INVITED = "invited", _("特邀调解员")


class MediationKind(models.TextChoices):
    """The six kinds of mediation (邢台“六位一体”)."""

    PEOPLE = "people", _("人民调解")
    ADMINISTRATIVE = "administrative", _("行政调解")
    JUDICIAL = "judicial", _("司法调解")
    ARBITRATION = "arbitration", _("仲裁调解")
    RECONSIDERATION = "reconsideration", _("复议调解")
    PRE_LITIGATION = "pre_litigation", _("诉前调解")


class FileStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("调解成功")
    FAILED = "failed", _("调解不成")
    REFUSED = "refused", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请方")
    RESPONDENT = "respondent", _("被申请方")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("书面同意")
    ORAL = "oral", _("口头同意(已记录)")
    COURT = "court", _("法院委派时已征得同意")


class SessionKind(models.TextChoices):
    INVESTIGATION = "investigation", _("调查")
    SESSION = "session", _("调解")


class FailureRoute(models.TextChoices):
    """The other routes a failed mediation leaves to the parties (人民调解法第二十六条)."""

    LITIGATION = "litigation", _("向人民法院提起诉讼")
    ARBITRATION = "arbitration", _("申请仲裁")
    LABOUR_ARBITRATION = "labour_arbitration", _("申请劳动人事争议仲裁")
    ADMINISTRATIVE = "administrative", _("申请行政机关处理")


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议(已记录)")


class TermStatus(models.TextChoices):
    PENDING = "pending", _("待履行")
    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    DEFAULTED = "defaulted", _("未履行")


class Performance(models.TextChoices):
    """An agreement's performance as a whole, from its terms."""

    PERFORMING = "performing", _("履行中")
    FULLY_PERFORMED = "fully_performed", _("已全部履行")
    PARTLY_PERFORMED = "partly_performed", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class CheckMethod(models.TextChoices):
    VISIT = "visit", _("上门回访")
    PHONE = "phone", _("电话回访")


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("法院已受理")
    NOT_ACCEPTED = "not_accepted", _("法院不予受理")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REFUSED = "refused", _("裁定驳回申请")
    WITHDRAWN = "withdrawn", _("撤回申请")


class ReferralKind(models.TextChoices):
    PRE_LITIGATION = "pre_litigation", _("诉前委派调解")
    FAST_TRACK = "fast_track", _("速裁")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("待签收")
    SIGNED = "signed", _("调解中")
    SUCCEEDED = "succeeded", _("调解成功")
    FAILED = "failed", _("调解不成")
    RETURNED = "returned", _("退回法院")
    RECORDED = "recorded", _("协议已送法院")
    FILED = "filed", _("法院已立案")
    CONCLUDED = "concluded", _("速裁结案")


class ReferralResult(models.TextChoices):
    SUCCEEDED = "succeeded", _("调解成功")
    FAILED = "failed", _("调解不成")
    RETURNED = "returned", _("未调解退回")
    MEDIATED = "mediated", _("调解结案")
    JUDGED = "judged", _("判决结案")
    WITHDRAWN = "withdrawn", _("撤诉")
