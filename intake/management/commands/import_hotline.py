import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from governance.exceptions import ApplicationError
from governance.models import Center, User
from intake.hotline import hotline_import


class Command(BaseCommand):
    help = "导入 12345 热线工单（Excel .xlsx）：每张工单登记为台账案件（渠道 12345热线，外部编号为工单编号），重复导入不会重复登记。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="工单导出文件（.xlsx，第一行为表头）")
        parser.add_argument("--user", required=True, help="以哪位窗口受理员的名义登记（用户名），即首问负责人")
        parser.add_argument("--center", help="未填写承办中心的工单登记到哪个中心（代码，默认为该用户所属中心）")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批写入的工单数（每批一个事务）")
        parser.add_argument("--show-errors", type=int, default=50, help="最多列出多少条错误（默认 50）")

    def handle(self, *args, file, user, center, batch_size, show_errors, **options):
        try:
            actor = User.objects.select_related("center").get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("用户不存在或已停用：%(user)s") % {"user": user}) from None
        default_center = None
        if center:
            default_center = Center.objects.filter(code=center).first()
            if default_center is None:
                raise CommandError(_("中心不存在：%(code)s") % {"code": center})
        if batch_size < 1:
            raise CommandError(_("--batch-size 至少为1"))
        started = time.monotonic()
        bar = tqdm(desc=_("导入工单"), unit=_("行"), disable=options["verbosity"] < 1, mininterval=0.5)
        try:
            with bar:
                report = hotline_import(
                    actor=actor,
                    source=file,
                    center=default_center,
                    batch_size=batch_size,
                    progress=bar.update,
                    on_total=lambda total: setattr(bar, "total", total),
                )
        except FileNotFoundError:
            raise CommandError(_("文件不存在：%(file)s") % {"file": file}) from None
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            _(
                "读取 %(rows)d 行：新登记 %(created)d 件，已登记过 %(existing)d 件，未导入 %(skipped)d 行；"
                "用时 %(seconds).1f 秒（%(rate).0f 行/秒）"
            )
            % {
                "rows": report.rows,
                "created": report.created,
                "existing": report.already_imported,
                "skipped": report.skipped,
                "seconds": elapsed,
                "rate": report.rows / elapsed if elapsed else 0,
            }
        )
        for error in report.errors[:show_errors]:
            self.stderr.write(str(error))
        if len(report.errors) > show_errors:
            self.stderr.write(_("……另有 %(n)d 条错误未列出") % {"n": len(report.errors) - show_errors})
        if report.errors:
            raise CommandError(
                _("有 %(n)d 行未导入，请改正后重新导入（已导入的工单不会重复登记）") % {"n": report.skipped}
            )
