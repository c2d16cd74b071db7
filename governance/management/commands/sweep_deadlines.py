from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from governance.models import Deadline
from governance.services.deadlines import deadlines_sweep


class Command(BaseCommand):
    help = "立即运行一次时限巡检（与定时任务相同的代码）：临期提醒、超时标记、督办，并打印结果。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时刻巡检（ISO-8601，例如 2026-11-24T10:00:00+08:00）")

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError(f"--now 不是有效的 ISO-8601 时间：{now}")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        report = deadlines_sweep(now=moment)
        self.stdout.write(f"巡检时刻 {timezone.localtime(report.now):%Y-%m-%d %H:%M:%S %Z}")
        self.stdout.write(f"临期提醒 warned: {len(report.warned)}")
        self.stdout.write(f"超时 breached: {len(report.breached)}")
        self.stdout.write(f"督办 escalated: {len(report.escalated)}")
        shown = Deadline.objects.filter(pk__in=(report.warned + report.breached)[:20]).select_related(
            "case", "department"
        )
        for deadline in shown:
            what = "督办" if deadline.pk in report.breached else "提醒"
            self.stdout.write(
                f"  {what} {deadline.case or ''} {deadline.department or ''} {deadline.kind} "
                f"到期 {timezone.localtime(deadline.due_at):%Y-%m-%d %H:%M}"
            )
