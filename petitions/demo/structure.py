"""The petitions' demo set-up: county leaders, their weekly reception days, the petition SLA."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from governance.models import (
    Role,
    ServiceLine,
    SlaPolicy,
    TimeUnit,
    User,
    UserRole,
)
from petitions.models import (
    ReceptionDay,
)

# county leaders who take turns at the weekly reception day (username, full name)
LEADERS = [("leader_sun", "孙建军"), ("leader_zhou", "周丽萍"), ("leader_wu", "吴志刚")]
RECEPTION_WEEKS_BACK, RECEPTION_WEEKS_AHEAD = 12, 8


# --- Structure -----------------------------------------------------------------------------------


def seed_structure(structure, password: str) -> None:
    """County leaders, their reception days around today, and the SLA for dispatched petitions."""
    county = structure.county
    leaders = [structure.users["leader"]]
    for username, full_name in LEADERS:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "center": county, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        UserRole.objects.get_or_create(user=user, role=Role.LEADER)
        leaders.append(user)
    # a department holding a petition reports back in 30 days (before the county's red-risk rule)
    SlaPolicy.objects.get_or_create(
        kind="dispatch.feedback",
        center=county,
        service_line=ServiceLine.PETITION,
        risk_level="",
        defaults={"unit": TimeUnit.CALENDAR_DAYS, "amount": 30, "basis": "信访事项承办部门30日内反馈办理结果"},
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    topics = ["征地拆迁、土地补偿", "劳资纠纷、拖欠工资", "住房保障、物业管理", "涉农补贴、村务公开"]
    for week in range(-RECEPTION_WEEKS_BACK, RECEPTION_WEEKS_AHEAD + 1):
        day = monday + timedelta(weeks=week, days=2)  # Wednesdays
        leader = leaders[(week + RECEPTION_WEEKS_BACK) % len(leaders)]
        if ReceptionDay.objects.filter(leader=leader, date=day, cancelled_at__isnull=True).exists():
            continue
        ReceptionDay.objects.create(
            center=county,
            leader=leader,
            date=day,
            starts_at=time(9, 0),
            ends_at=time(12, 0),
            place="市社会治理中心群众来访接待大厅",
            topic=topics[week % len(topics)],
            created_by=structure.users["admin"],
            created_at=timezone.now(),
        )
