import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from governance.demo.generator import DEMO_REF, generate_cases
from governance.demo.structure import DEFAULT_PASSWORD, USERS, seed_structure
from governance.demo.today import seed_todays_work
from governance.models import Case, User


class Command(BaseCommand):
    help = "建立演示用的县级综治中心（乡镇、村社区、入驻部门、时限政策、演示账号），可选生成历史案件。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help=f"演示账号的密码（默认 {DEFAULT_PASSWORD}）")
        parser.add_argument("--cases", type=int, default=0, help="演示案件总数：不足则补足，已够则不再生成")
        parser.add_argument("--villages-per-township", type=int, default=3)
        parser.add_argument("--days", type=int, default=365, help="案件分布在过去多少天内")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, password, cases, villages_per_township, days, seed, **options):
        if cases < 0:
            raise CommandError("--cases 不能为负数")
        if len(password) < 6:
            raise CommandError("--password 至少6位")
        structure = seed_structure(password=password, villages_per_township=villages_per_township)
        self.stdout.write(
            f"中心：{structure.county.name}，{len(structure.townships)} 个乡镇，{len(structure.villages)} 个村（社区）；"
            f"入驻部门 {len(structure.departments)} 个"
        )
        existing = Case.objects.filter(external_ref__startswith=DEMO_REF).count()
        missing = max(0, cases - existing)
        if missing:
            started = time.monotonic()
            # Into an empty ledger (a new demo database), build the indexes once after the load
            # instead of updating them row by row; never on a ledger in use (it locks the tables).
            fresh = connection.vendor == "postgresql" and not Case.objects.exists()
            with tqdm(total=missing, desc="生成案件", unit="件", disable=options["verbosity"] < 1) as bar:
                report = generate_cases(missing, days=days, seed=seed, progress=bar.update, defer_indexes=fresh)
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"生成案件 {report.cases} 件（当事人 {report.persons}，派单 {report.dispatches}，时限 {report.deadlines}，"
                f"来访 {report.visits}，时间线 {report.events}），用时 {elapsed:.1f} 秒"
            )
            if options["verbosity"] >= 2:
                for phase, seconds in report.phases.items():
                    self.stdout.write(f"  {phase:<60} {seconds:6.1f} 秒")
        elif cases:
            self.stdout.write(f"已有演示案件 {existing} 件，不再生成")
        if cases:
            waiting = seed_todays_work(structure)
            if waiting:
                self.stdout.write(f"今日待办：新登记并派单 {waiting} 件（联络员待签收、待反馈，含临期与超时）")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {password}）："))
        # the core's demo users, then the ones the apps added (mediator, gridworker, …)
        featured = list(dict.fromkeys([u[0] for u in USERS] + list(structure.users)))
        users = {
            u.username: u
            for u in User.objects.filter(username__in=featured)
            .select_related("center", "department")
            .prefetch_related("role_set")
        }
        for username in featured:
            user = users[username]
            role_labels = "、".join(r.get_role_display() for r in user.role_set.all())
            where = user.department or user.center
            self.stdout.write(f"  {username:<12} {user.full_name}  {role_labels}（{where}）")
