"""Work waiting this morning, so that every demo user has something to do when they sign in: the
liaisons find dispatches to accept (one close to its deadline, one late) and feedback to give; the
window has a matter to dispatch; the leader sees what is overdue. Made through the services (the
same code as the pages), idempotent: what was already made today (or late yesterday) is not made again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from governance.models import Case, Category
from governance.services.cases import case_register
from governance.services.deadlines import deadlines_sweep
from governance.services.dispatch import dispatch_accept, dispatch_create
from governance.services.persons import PartyInput

# department, category, summary, applicant, phone, minutes ago registered, minutes ago accepted (None: pending)
WORK = [
    (
        "人力资源和社会保障局",
        "labour",
        "某工地12名农民工被拖欠工资两个月，要求协调支付",
        "马建军",
        "13919370001",
        20,
        None,
    ),
    ("人力资源和社会保障局", "labour", "餐饮店解除劳动合同未支付经济补偿", "孙丽", "13919370002", 100, None),
    ("人力资源和社会保障局", "labour", "快递站点员工工伤赔偿协商不成", "杨波", "13919370003", 200, 170),
    (
        "人力资源和社会保障局",
        "labour",
        "装修工人工资结算争议，包工头失联",
        "何志文",
        "13919370004",
        26 * 60,
        25 * 60 + 30,
    ),
    (
        "住房和城乡建设局",
        "property_management",
        "小区电梯停运一个月，业主与物业协商未果",
        "郭秀英",
        "13919370005",
        45,
        None,
    ),
    ("住房和城乡建设局", "housing_homestead", "房屋租赁到期押金未退还", "罗海燕", "13919370006", 150, None),
    ("住房和城乡建设局", "property_management", "物业费上涨业主集体反映", "梁建国", "13919370007", 300, 280),
]


def seed_todays_work(structure) -> int:
    window = structure.users["window"]
    liaisons = {user.department_id: user for user in structure.users.values() if user.department_id}
    now = timezone.now()
    today = timezone.localdate(now)
    made = 0
    for department_name, category_key, summary, name, phone, registered_ago, accepted_ago in WORK:
        department = structure.departments[department_name]
        if Case.objects.filter(summary=summary, registered_on__gte=today - timedelta(days=1)).exists():
            continue
        registered_at = now - timedelta(minutes=registered_ago)
        case = case_register(
            actor=window,
            center=structure.county,
            channel="walk_in",
            service_line="mediation",
            category=Category.objects.get(key=category_key),
            risk_level="yellow" if registered_ago < 120 else "blue",
            summary=summary,
            parties=[PartyInput(name=name, phone=f"+86{phone}")],
            registered_at=registered_at,
        )
        dispatch = dispatch_create(
            actor=window,
            case=case,
            department=department,
            instructions="请尽快联系当事人核实情况",
            at=registered_at + timedelta(minutes=5),
        )
        if accepted_ago is not None and department.pk in liaisons:
            dispatch_accept(actor=liaisons[department.pk], dispatch=dispatch, at=now - timedelta(minutes=accepted_ago))
        made += 1
    # and one matter at the window, registered a few minutes ago, not yet dispatched
    if not Case.objects.filter(summary__startswith="来访人反映邻居", registered_on=today).exists():
        case_register(
            actor=window,
            center=structure.county,
            channel="walk_in",
            service_line="mediation",
            category=Category.objects.get(key="neighbour"),
            risk_level="blue",
            summary="来访人反映邻居在楼道堆放杂物，多次协商未果，请求调解",
            parties=[PartyInput(name="曹红梅", phone="+8613919370008")],
            registered_at=now - timedelta(minutes=8),
        )
        made += 1
    if made:
        deadlines_sweep(now=now)  # reminders and escalations of what is already due, as the beat would
    return made
