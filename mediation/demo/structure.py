"""The demo's mediation bodies, as the seed articles describe Yumen (玉门): the eight committees of
the county center (a joint committee and seven professional ones), the pre-litigation studio of
the court, three chief mediators' studios, a people's mediation committee in every township, and
the demo user `mediator`. Keyed on names, so running it again changes nothing."""

from __future__ import annotations

from django.db import transaction

from governance.models import Category, Role, User, UserRole
from mediation.choices import CommitteeKind, MediatorKind
from mediation.models import Committee, Mediator

# (name, kind, category keys) — seed 000: "设立联合调委会、劳动人事纠纷、医患纠纷、农村土地纠纷、
# 水事纠纷、物业纠纷、道路交通事故纠纷、婚姻家庭纠纷等8个调委会"
COUNTY_COMMITTEES = [
    ("玉门市联合人民调解委员会", CommitteeKind.JOINT, []),
    ("玉门市劳动人事争议调解委员会", CommitteeKind.PROFESSIONAL, ["labour"]),
    ("玉门市医患纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["medical"]),
    ("玉门市农村土地纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["land_forest", "land_requisition"]),
    ("玉门市水事纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["land_forest"]),
    ("玉门市物业纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["property_management"]),
    ("玉门市道路交通事故纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["road_traffic"]),
    ("玉门市婚姻家庭纠纷人民调解委员会", CommitteeKind.PROFESSIONAL, ["marriage_family"]),
    ("玉门市人民法院诉前调解工作室", CommitteeKind.PRE_LITIGATION, []),
]
JOINT, PRE_LITIGATION_STUDIO = COUNTY_COMMITTEES[0][0], COUNTY_COMMITTEES[-1][0]

# committee name → (name, kind, is_chief, studio); the user `mediator` is added to the joint one
COUNTY_MEDIATORS = {
    "玉门市联合人民调解委员会": [
        ("张国栋", MediatorKind.FULL_TIME, True, "张国栋首席调解员工作室"),
        ("王秀兰", MediatorKind.FULL_TIME, False, "秀兰说和室"),
        ("赵志刚", MediatorKind.PART_TIME, False, ""),
    ],
    "玉门市劳动人事争议调解委员会": [
        ("孙建平", MediatorKind.FULL_TIME, False, ""),
        ("钱玉梅", MediatorKind.PART_TIME, False, ""),
    ],
    "玉门市医患纠纷人民调解委员会": [
        ("何文斌", MediatorKind.FULL_TIME, False, ""),
        ("冯丽娟", MediatorKind.INVITED, False, ""),
    ],
    "玉门市农村土地纠纷人民调解委员会": [
        ("马德福", MediatorKind.FULL_TIME, False, "老马调解室"),
        ("杨春生", MediatorKind.PART_TIME, False, ""),
    ],
    "玉门市水事纠纷人民调解委员会": [("罗永胜", MediatorKind.PART_TIME, False, "")],
    "玉门市物业纠纷人民调解委员会": [
        ("郭海燕", MediatorKind.FULL_TIME, False, ""),
        ("韩立新", MediatorKind.INVITED, False, ""),
    ],
    "玉门市道路交通事故纠纷人民调解委员会": [
        ("唐志勇", MediatorKind.FULL_TIME, False, ""),
        ("邓国庆", MediatorKind.PART_TIME, False, ""),
    ],
    "玉门市婚姻家庭纠纷人民调解委员会": [
        ("马玉兰", MediatorKind.FULL_TIME, True, "马玉兰首席调解员工作室"),
        ("许静", MediatorKind.PART_TIME, False, ""),
    ],
    "玉门市人民法院诉前调解工作室": [
        ("刘振华", MediatorKind.FULL_TIME, True, "刘振华首席调解员工作室"),
        ("苏明", MediatorKind.INVITED, False, ""),
        ("蒋红梅", MediatorKind.INVITED, False, ""),
    ],
}
TOWNSHIP_MEDIATOR_NAMES = [
    "田守仁",
    "任桂英",
    "姜德华",
    "范秀珍",
    "方永福",
    "石凤英",
    "姚占山",
    "谭玉芳",
    "廖长青",
    "邹兰香",
    "熊宝林",
    "金翠萍",
]

DEMO_MEDIATOR = ("mediator", "周文华", JOINT)


@transaction.atomic
def seed(structure, password: str) -> None:
    """Committees, mediators and the demo user `mediator` (password: the seed's password)."""
    county = structure.county
    categories = dict(Category.objects.values_list("key", "pk"))
    committees = {}
    for order, (name, kind, keys) in enumerate(COUNTY_COMMITTEES, start=1):
        committee, _ = Committee.objects.get_or_create(
            center=county, name=name, defaults={"kind": kind, "order": order * 10, "address": "玉门市社会治理中心"}
        )
        committee.categories.set([categories[k] for k in keys if k in categories])
        committees[name] = committee
    for name, people in COUNTY_MEDIATORS.items():
        for person, kind, chief, studio in people:
            Mediator.objects.get_or_create(
                committee=committees[name],
                name=person,
                defaults={"kind": kind, "is_chief": chief, "studio": studio},
            )
    for index, township in enumerate(structure.townships):
        stem = township.name.removesuffix("综治中心")
        committee, _ = Committee.objects.get_or_create(
            center=township, name=f"{stem}人民调解委员会", defaults={"kind": CommitteeKind.TOWNSHIP, "order": 500}
        )
        for offset in range(2):
            person = TOWNSHIP_MEDIATOR_NAMES[(index * 2 + offset) % len(TOWNSHIP_MEDIATOR_NAMES)]
            Mediator.objects.get_or_create(
                committee=committee,
                name=person,
                defaults={"kind": MediatorKind.FULL_TIME if offset == 0 else MediatorKind.PART_TIME},
            )

    username, full_name, committee_name = DEMO_MEDIATOR
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "center": county, "email": f"{username}@example.org"},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    UserRole.objects.get_or_create(user=user, role=Role.MEDIATOR)
    Mediator.objects.get_or_create(
        user=user,
        defaults={
            "committee": committees[committee_name],
            "name": full_name,
            "kind": MediatorKind.FULL_TIME,
            "studio": "",
        },
    )
    structure.users[username] = user
