"""Stable English keys for the API; Chinese labels for people (translated to English on request)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterLevel(models.TextChoices):
    COUNTY = "county", _("县(市、区)")
    TOWNSHIP = "township", _("乡镇(街道)")
    VILLAGE = "village", _("村(社区)")


class Residency(models.TextChoices):
    RESIDENT = "resident", _("常驻")
    ROTATING = "rotating", _("轮驻")
    ON_CALL = "on_call", _("进驻(随驻)")


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("窗口受理员")
    LIAISON = "liaison", _("部门联络员")
    MEDIATOR = "mediator", _("调解员")
    GRID_WORKER = "grid_worker", _("网格员")
    LEADER = "leader", _("领导")
    CENTER_ADMIN = "center_admin", _("中心管理员")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("群众来访")
    HOTLINE = "hotline", _("12345热线")
    GRID_REPORT = "grid_report", _("网格上报")
    COURT_REFERRAL = "court_referral", _("法院诉调")
    POLICE_REFERRAL = "police_referral", _("公安警调")
    PETITION_REFERRAL = "petition_referral", _("信访访调")
    ONLINE = "online", _("网上受理")


class ServiceLine(models.TextChoices):
    MEDIATION = "mediation", _("矛盾纠纷调解")
    LEGAL_SERVICES = "legal_services", _("公共法律服务")
    COURT_DOCKING = "court_docking", _("法院诉调对接")
    PETITION = "petition", _("群众来访接待")
    GRID = "grid", _("网格化管理")


class RiskLevel(models.TextChoices):
    RED = "red", _("红色(高风险)")
    YELLOW = "yellow", _("黄色(中风险)")
    BLUE = "blue", _("蓝色(低风险)")


class CaseFlag(models.TextChoices):
    """Warnings a leader must see at once; stored as one boolean column each (see Case.FLAG_FIELDS)."""

    URGENT = "urgent", _("紧急")
    HOMICIDE_RISK = "homicide_risk", _("命案风险")
    MASS_INCIDENT = "mass_incident", _("群体性事件风险")
    THREAT_UPWARD = "threat_upward", _("扬言上访")
    BYPASS_LEVELS = "bypass_levels", _("越级上访")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    DISPATCHED = "dispatched", _("已派单")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("已化解")
    UNRESOLVED = "unresolved", _("未化解")
    WITHDRAWN = "withdrawn", _("撤回")
    LITIGATION = "litigation", _("转诉讼")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD_PARTY = "third_party", _("第三人")
    VISITOR = "visitor", _("来访人")
    REPRESENTATIVE = "representative", _("代表人")


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    REJECTED = "rejected", _("已退回")
    FED_BACK = "fed_back", _("已反馈")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("计时中")
    MET = "met", _("按时完成")
    BREACHED = "breached", _("已超时")
    CANCELLED = "cancelled", _("已取消")


class TimeUnit(models.TextChoices):
    CLOCK_HOURS = "clock_hours", _("小时")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    WORKING_DAYS = "working_days", _("工作日")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
