"""Stable English keys for the API; Chinese labels for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GridLevel(models.TextChoices):
    """What a node of the grid tree is (Dushan: grid → group → ten-household unit; Xingtai:
    community → compound → building). The tree has any depth; the level is a label."""

    GRID = "grid", _("网格")
    GROUP = "group", _("小组")
    UNIT = "unit", _("联户单元")
    COMPOUND = "compound", _("小区(院落)")
    BUILDING = "building", _("楼栋")


class MemberRole(models.TextChoices):
    GRID_LEADER = "grid_leader", _("网格长")
    FULL_TIME = "full_time", _("专职网格员")
    PART_TIME = "part_time", _("兼职网格员")
    GROUP_LEADER = "group_leader", _("组长")
    HOUSEHOLD_HEAD = "household_head", _("联户长")
    RANGER = "ranger", _("护林员")
    # 三官一师
    JUDGE = "judge", _("法官")
    PROSECUTOR = "prosecutor", _("检察官")
    POLICE = "police", _("警官")
    LAWYER = "lawyer", _("律师")


THREE_OFFICIALS_ONE_LAWYER = frozenset({MemberRole.JUDGE, MemberRole.PROSECUTOR, MemberRole.POLICE, MemberRole.LAWYER})


class EventCategory(models.TextChoices):
    """The grid event types; each has its own time limit (`grid.event.<key>` on the deadline engine)."""

    LIVELIHOOD = "livelihood", _("民生服务")
    DISPUTE = "dispute", _("矛盾纠纷")
    PUBLIC_SECURITY = "public_security", _("治安隐患")
    SPECIAL_GROUPS = "special_groups", _("特殊人群")
    PUBLIC_OPINION = "public_opinion", _("社情民意")
    LEGAL_PUBLICITY = "legal_publicity", _("法治宣传")
    EMERGENCY = "emergency", _("突发事件")
    OTHER = "other", _("其他")


class EventStatus(models.TextChoices):
    """The grid event loop: report → review → handle (close on site, or escalate) → feed back."""

    REPORTED = "reported", _("待审核")
    ACCEPTED = "accepted", _("待处置")
    INVALID = "invalid", _("不予受理")
    CLOSED_ON_SITE = "closed_on_site", _("现场办结")
    ESCALATED = "escalated", _("已提级")
    ESCALATED_CLOSED = "escalated_closed", _("上级已办结")
    FED_BACK = "fed_back", _("已反馈")


OPEN_EVENT_STATUSES = (EventStatus.REPORTED, EventStatus.ACCEPTED, EventStatus.ESCALATED)


class Tier(models.TextChoices):
    """Where an event is being handled: 微事不出格、小事不出村、大事不出镇."""

    GRID = "grid", _("网格")
    VILLAGE = "village", _("村(社区)")
    TOWNSHIP = "township", _("乡镇(街道)")
    COUNTY = "county", _("县(市、区)")


TIER_ORDER = [Tier.GRID, Tier.VILLAGE, Tier.TOWNSHIP, Tier.COUNTY]


class EventSource(models.TextChoices):
    GRID_REPORT = "grid_report", _("网格员上报")
    HOTLINE = "hotline", _("12345热线派单")


class Supervision(models.TextChoices):
    """How far a late event has been escalated for supervision (催办 → 黄牌 → 红牌)."""

    NONE = "none", _("正常")
    REMINDED = "reminded", _("临期催办")
    YELLOW = "yellow", _("黄牌督办")
    RED = "red", _("红牌督办")


SUPERVISION_ORDER = [Supervision.NONE, Supervision.REMINDED, Supervision.YELLOW, Supervision.RED]


class LogKind(models.TextChoices):
    HOUSEHOLD_VISIT = "household_visit", _("入户走访")
    PATROL = "patrol", _("巡查")
    SCREENING = "screening", _("矛盾排查")
    KEY_PERSON = "key_person", _("重点人员管控")
