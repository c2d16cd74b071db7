from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.models import Center
from governance.selectors.dashboard import dashboard_summary, ledger_counts, summary_matches_ledger
from governance.services.stats import stats_rebuild


class Command(BaseCommand):
    help = "从案件台账重算全部日统计（批量导入之后或修复时使用），并核对统计与台账直接计数是否一致。"

    def add_arguments(self, parser):
        parser.add_argument("--check-only", action="store_true", help="只核对，不重算")

    def handle(self, *args, check_only=False, **options):
        if not check_only:
            stats_rebuild()
            self.stdout.write("统计已重算")
        today = timezone.localdate()
        problems = []
        for center in Center.objects.filter(depth__lte=2):
            window = {"center": center, "date_from": date(2000, 1, 1), "date_to": today}
            problems += [
                f"{center}: {p}" for p in summary_matches_ledger(dashboard_summary(**window), ledger_counts(**window))
            ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("统计与台账一致"))
