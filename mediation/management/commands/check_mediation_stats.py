from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.models import Center
from mediation.selectors.ledger import stats_match_ledger


class Command(BaseCommand):
    help = "核对调解、诉调对接与公共法律服务的统计（日统计）与卷宗、委派、法律服务台账直接计数是否一致（县及各乡镇，全部时间）。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        problems = []
        for center in Center.objects.filter(depth__lte=2).order_by("path"):
            window = {"center": center, "date_from": date(2000, 1, 1), "date_to": today}
            problems += [f"{center}: {p}" for p in stats_match_ledger(**window)]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("调解统计与台账一致"))
