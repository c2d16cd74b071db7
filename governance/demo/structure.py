"""The demo county: Yumen (玉门市) as described in the seed articles — a county center, its twelve
townships and their villages, 26 stationed departments, an SLA policy and the demo users.
Everything is keyed on codes, names and usernames, so running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from governance.models import (
    Center,
    CenterLevel,
    Department,
    Residency,
    RiskLevel,
    Role,
    SlaPolicy,
    TimeUnit,
    User,
    UserRole,
)
from governance.services.dispatch import FEEDBACK, RESPONSE

COUNTY = ("YM", "玉门市综治中心")
TOWNSHIPS = [
    ("YM01", "玉门镇综治中心"),
    ("YM02", "赤金镇综治中心"),
    ("YM03", "花海镇综治中心"),
    ("YM04", "柳河镇综治中心"),
    ("YM05", "黄闸湾镇综治中心"),
    ("YM06", "下西号镇综治中心"),
    ("YM07", "柳湖镇综治中心"),
    ("YM08", "昌马镇综治中心"),
    ("YM09", "独山子东乡族乡综治中心"),
    ("YM10", "小金湾东乡族乡综治中心"),
    ("YM11", "清泉乡综治中心"),
    ("YM12", "六墩乡综治中心"),
]
VILLAGE_NAMES = [
    "东渠村",
    "西湖村",
    "南坝村",
    "北沟村",
    "红旗村",
    "新华村",
    "团结村",
    "五星村",
    "光明村",
    "和平村",
    "胜利村",
    "民主村",
    "先锋村",
    "前进村",
    "永丰村",
    "丰收村",
    "长城村",
    "金星村",
    "建设村",
    "幸福村",
    "建国社区",
    "玉泉社区",
    "文化社区",
    "石油社区",
    "向阳社区",
]

# (name, residency, duties)
DEPARTMENTS = [
    ("信访局", Residency.RESIDENT, "群众来访接待、信访事项办理"),
    ("司法局（公共法律服务中心）", Residency.RESIDENT, "人民调解、法律援助、公证、法律咨询"),
    ("人民法院（诉调对接中心）", Residency.RESIDENT, "诉前调解、司法确认、速裁"),
    ("公安局（警调对接室）", Residency.RESIDENT, "治安纠纷、警情分流、道路交通事故"),
    ("人力资源和社会保障局", Residency.RESIDENT, "劳动监察、欠薪、劳动仲裁"),
    ("住房和城乡建设局", Residency.ROTATING, "房屋、物业、建设工程"),
    ("自然资源局", Residency.ROTATING, "土地、宅基地、征地"),
    ("农业农村局", Residency.ROTATING, "土地承包、农村经营"),
    ("市场监督管理局", Residency.ROTATING, "消费维权、经营纠纷"),
    ("卫生健康委员会", Residency.ROTATING, "医疗纠纷"),
    ("民政局", Residency.ROTATING, "婚姻登记、救助、养老"),
    ("生态环境局", Residency.ROTATING, "环境污染"),
    ("教育局", Residency.ROTATING, "教育纠纷"),
    ("交通运输局", Residency.ROTATING, "交通运输纠纷"),
    ("水务局", Residency.ROTATING, "水事纠纷"),
    ("妇女联合会", Residency.ON_CALL, "婚姻家庭、妇女儿童权益"),
    ("总工会", Residency.ON_CALL, "职工权益"),
    ("人民检察院", Residency.ON_CALL, "检察监督、控告申诉"),
    ("退役军人事务局", Residency.ON_CALL, "退役军人诉求"),
    ("医疗保障局", Residency.ON_CALL, "医保待遇"),
    ("应急管理局", Residency.ON_CALL, "安全生产"),
    ("城市管理综合执法局", Residency.ON_CALL, "城市管理"),
    ("林业和草原局", Residency.ON_CALL, "山林权属"),
    ("残疾人联合会", Residency.ON_CALL, "残疾人权益"),
    ("供电公司", Residency.ON_CALL, "供用电纠纷"),
    ("金融监管支局", Residency.ON_CALL, "金融借贷、非法集资"),
]
TOWNSHIP_DEPARTMENTS = [
    ("司法所", Residency.RESIDENT, "人民调解、法律咨询"),
    ("派出所", Residency.RESIDENT, "治安纠纷"),
]

# username, full name, roles, center code, department name, window
USERS = [
    ("window", "王晓燕", [Role.WINDOW_STAFF], "YM", None, "1号窗口"),
    ("liaison", "李明", [Role.LIAISON], "YM", "人力资源和社会保障局", ""),
    ("liaison2", "张强", [Role.LIAISON], "YM", "住房和城乡建设局", ""),
    ("leader", "赵国华", [Role.LEADER], "YM", None, ""),
    ("admin", "陈静", [Role.CENTER_ADMIN], "YM", None, ""),
    ("window_ym01", "刘芳", [Role.WINDOW_STAFF], "YM01", None, "综合窗口"),
]

DEFAULT_PASSWORD = "demo12345"


@dataclass
class Structure:
    county: Center
    townships: list[Center]
    villages: list[Center]
    departments: dict[str, Department]
    users: dict[str, User]


def _center(code: str, name: str, level: str, parent: Center | None) -> Center:
    existing = Center.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if parent is None:
        return Center.objects.add_root({"code": code, "name": name, "level": level})
    parent.refresh_from_db()
    return Center.objects.add_child(parent, {"code": code, "name": name, "level": level})


@transaction.atomic
def seed_structure(*, password: str = DEFAULT_PASSWORD, villages_per_township: int = 3) -> Structure:
    county = _center(*COUNTY, CenterLevel.COUNTY, None)
    townships, villages = [], []
    for t_index, (code, name) in enumerate(TOWNSHIPS):
        township = _center(code, name, CenterLevel.TOWNSHIP, county)
        townships.append(township)
        for v_index in range(villages_per_township):
            village_name = VILLAGE_NAMES[(t_index * 7 + v_index) % len(VILLAGE_NAMES)]
            if v_index >= len(VILLAGE_NAMES):
                village_name = f"第{v_index + 1}村"  # more villages than names (the city-scale benchmark)
            stem = name.removesuffix("综治中心")
            level = CenterLevel.VILLAGE
            villages.append(_center(f"{code}{v_index + 1:02d}", f"{stem}{village_name}", level, township))

    departments = {}
    for name, residency, duties in DEPARTMENTS:
        departments[name], _ = Department.objects.get_or_create(
            center=county, name=name, defaults={"residency": residency, "duties": duties}
        )
    for township in townships:
        stem = township.name.removesuffix("综治中心")
        for name, residency, duties in TOWNSHIP_DEPARTMENTS:
            key = f"{stem}{name}"
            departments[key], _ = Department.objects.get_or_create(
                center=township, name=key, defaults={"residency": residency, "duties": duties}
            )

    # The SLA policy: the Puyang defaults for everyone, tighter for red-risk matters.
    for kind, amount in ((RESPONSE, 2), (FEEDBACK, 24)):
        SlaPolicy.objects.get_or_create(
            kind=kind,
            center=None,
            service_line="",
            risk_level="",
            defaults={"unit": TimeUnit.CLOCK_HOURS, "amount": amount, "basis": "濮阳“一键派单”：2小时签收、24小时反馈"},
        )
    for kind, amount in ((RESPONSE, 1), (FEEDBACK, 12)):
        SlaPolicy.objects.get_or_create(
            kind=kind,
            center=county,
            service_line="",
            risk_level=RiskLevel.RED,
            defaults={"unit": TimeUnit.CLOCK_HOURS, "amount": amount, "basis": "红色风险事项提级办理"},
        )

    centers = {c.code: c for c in [county, *townships]}
    users = {}
    for username, full_name, user_roles, center_code, department, window in USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "center": centers[center_code],
                "department": departments.get(department) if department else None,
                "window": window,
                "email": f"{username}@example.org",
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
            },
        )
        user.set_password(password)  # the demo's promise: every demo user has password P
        user.save(update_fields=["password"])
        for role in user_roles:
            UserRole.objects.get_or_create(user=user, role=role)
        users[username] = user
    structure = Structure(county, townships, villages, departments, users)
    from governance.registry import demo_structure_seeders

    for seed in demo_structure_seeders():
        seed(structure, password)
    return structure
