"""12345 hotline tickets imported from the city platform's Excel export (manage.py import_hotline)."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from governance.exceptions import Forbidden, InvalidInput
from governance.models import Case, CaseEvent, Person
from governance.selectors.dashboard import dashboard_summary, ledger_counts, summary_matches_ledger
from intake import hotline
from tests.factories import PersonFactory, valid_id_number

HEADER = [
    "工单编号",
    "受理时间",
    "工单类型",
    "紧急程度",
    "诉求人",
    "身份证号",
    "联系电话",
    "诉求内容",
    "纠纷类别",
    "风险等级",
    "承办中心",
]
WHEN = datetime(2026, 3, 2, 9, 30)  # naive: local time, as the platform exports it
ID = valid_id_number()


def ticket(ref="GD001", **values) -> list:
    row = {
        "工单编号": ref,
        "受理时间": WHEN,
        "工单类型": "投诉",
        "紧急程度": "一般",
        "诉求人": "赵六",
        "身份证号": ID,
        "联系电话": "13812345678",
        "诉求内容": "工地拖欠工资三个月",
        "纠纷类别": "劳动争议",
        "风险等级": "蓝色",
        "承办中心": "SF01",
    }
    row.update(values)
    return [row[name] for name in HEADER]


def workbook(tmp_path, *rows, header=HEADER, name="tickets.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def in_step(world) -> None:
    window = {"date_from": WHEN.date() - timedelta(days=30), "date_to": timezone.localdate()}
    for center in (world.county, world.township, world.village):
        assert (
            summary_matches_ledger(dashboard_summary(center=center, **window), ledger_counts(center=center, **window))
            == []
        )


def test_each_ticket_becomes_a_hotline_case(world, tmp_path):
    path = workbook(
        tmp_path,
        ticket("GD001"),
        ticket("GD002", 紧急程度="特急", 身份证号="", 诉求人="钱七", 联系电话="13900001111", 承办中心="SF0101"),
        ticket("GD003", 工单类型="", 纠纷类别="neighbour", 风险等级="red", 承办中心=None),
    )
    report = hotline.hotline_import(actor=world.window, source=path)
    assert (report.rows, report.created, report.already_imported, report.errors) == (3, 3, 0, [])

    first, second, third = Case.objects.order_by("external_ref")
    assert (first.channel, first.external_ref, first.center, first.first_handler) == (
        "hotline",
        "GD001",
        world.township,
        world.window,
    )
    assert first.summary == "【投诉】工地拖欠工资三个月"
    assert timezone.localtime(first.registered_at).replace(tzinfo=None) == WHEN
    assert (first.category.key, first.risk_level, first.flag_urgent, first.status) == (
        "labour",
        "blue",
        False,
        "registered",
    )
    assert (second.center, second.flag_urgent) == (world.village, True)
    assert (third.center, third.category.key, third.risk_level, third.summary) == (
        world.county,
        "neighbour",
        "red",
        "工地拖欠工资三个月",
    )
    assert sorted(Case.objects.values_list("number", flat=True)) == [
        "SF-2026-000001",
        "SF-2026-000002",
        "SF-2026-000003",
    ]
    party = first.parties.get()
    assert (party.person.name, party.person.id_number, str(party.person.phone), party.role) == (
        "赵六",
        ID,
        "+8613812345678",
        "applicant",
    )
    event = CaseEvent.objects.get(case=first)
    assert event.kind == "registered"
    assert event.message == "登记受理（12345热线，矛盾纠纷调解），首问负责人：window"
    in_step(world)


def test_importing_the_same_file_again_adds_nothing(world, tmp_path):
    path = workbook(tmp_path, ticket("GD001"), ticket("GD002", 身份证号=""))
    hotline.hotline_import(actor=world.window, source=path)
    cases, persons = Case.objects.count(), Person.objects.count()
    report = hotline.hotline_import(actor=world.window, source=path)
    assert (report.created, report.already_imported) == (0, 2)
    assert (Case.objects.count(), Person.objects.count()) == (cases, persons)
    in_step(world)


def test_bad_rows_are_reported_by_row_number_and_skipped(world, tmp_path):
    bad_checksum = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    path = workbook(
        tmp_path,
        ticket("GD001"),
        ticket("GD002", 身份证号=bad_checksum),
        ticket("GD003", 联系电话="12345"),
        ticket("GD004", 诉求人=None),
        ticket("GD001", 诉求人="重复"),
        ticket("GD006", 纠纷类别="外星人纠纷", 承办中心="LX"),
        ticket("GD007", 受理时间="昨天"),
        ticket("GD008", 受理时间=datetime.now() + timedelta(days=2)),
    )
    report = hotline.hotline_import(actor=world.window, source=path)
    assert report.created == 1
    assert [str(error) for error in report.errors] == [
        "第 3 行：身份证号：身份证号码校验位错误，请核对",
        "第 4 行：联系电话：电话号码无效，请输入11位手机号或带区号的固定电话",
        "第 5 行：诉求人：必填",
        "第 6 行：工单编号：工单编号与第 2 行重复：GD001",
        "第 7 行：纠纷类别：无法识别的取值：外星人纠纷",
        "第 7 行：承办中心：中心不存在或不在您的管辖范围内",
        "第 8 行：受理时间：时间格式无效，应为 2026-03-01 09:30",
        "第 9 行：受理时间：受理时间晚于现在",
    ]
    assert report.skipped == 7
    assert list(Case.objects.values_list("external_ref", flat=True)) == ["GD001"]
    assert Person.objects.count() == 1


def test_known_persons_are_recognised_and_their_blanks_filled(world, tmp_path):
    known = PersonFactory(name="赵六", id_number=ID, phone="")
    by_phone = PersonFactory(name="钱七", id_number=None, phone="+8613900001111")
    path = workbook(
        tmp_path,
        ticket("GD001"),
        ticket("GD002", 诉求人="钱七", 身份证号="", 联系电话="13900001111"),
        ticket("GD003", 诉求人="孙八", 身份证号="", 联系电话="13900001111"),  # same phone, another name
        ticket("GD004", 诉求人="孙八", 身份证号="", 联系电话="13900001111"),
    )
    hotline.hotline_import(actor=world.window, source=path)
    persons = dict(Case.objects.values_list("external_ref", "parties__person"))
    assert persons["GD001"] == known.pk
    assert persons["GD002"] == by_phone.pk
    assert persons["GD003"] == persons["GD004"] not in (known.pk, by_phone.pk)
    known.refresh_from_db()
    assert str(known.phone) == "+8613812345678"
    assert Person.objects.count() == 3


def test_a_failing_batch_leaves_nothing_half_written(world, tmp_path, monkeypatch):
    path = workbook(tmp_path, *(ticket(f"GD00{i}", 身份证号="") for i in range(1, 5)))
    numbered = hotline._number
    calls = []

    def fail_second_batch(tickets, case_ids):
        calls.append(len(tickets))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        numbered(tickets, case_ids)

    monkeypatch.setattr(hotline, "_number", fail_second_batch)
    with pytest.raises(RuntimeError):
        hotline.hotline_import(actor=world.window, source=path, batch_size=2)
    assert sorted(Case.objects.values_list("external_ref", flat=True)) == ["GD001", "GD002"]
    assert not Case.objects.filter(number__isnull=True).exists()
    assert Person.objects.count() == 1  # the same caller (phone and name) each time
    in_step(world)

    monkeypatch.setattr(hotline, "_number", numbered)
    report = hotline.hotline_import(actor=world.window, source=path, batch_size=2)
    assert (report.created, report.already_imported) == (2, 2)
    in_step(world)


def test_who_may_import_and_where(world, tmp_path):
    path = workbook(tmp_path, ticket())
    with pytest.raises(Forbidden):
        hotline.hotline_import(actor=world.liaison, source=path)
    with pytest.raises(InvalidInput):
        hotline.hotline_import(actor=world.window_town, source=path, center=world.county)
    report = hotline.hotline_import(actor=world.window_town, source=path)
    assert report.created == 1  # SF01 is the township's own center
    assert [
        str(e)
        for e in hotline.hotline_import(
            actor=world.outsider, source=workbook(tmp_path, ticket("GD9"), name="b.xlsx")
        ).errors
    ] == ["第 2 行：承办中心：中心不存在或不在您的管辖范围内"]


def test_a_sheet_without_the_required_columns_is_refused(world, tmp_path):
    path = workbook(tmp_path, ["GD001", "赵六"], header=["工单编号", "诉求人"])
    with pytest.raises(InvalidInput) as refused:
        hotline.hotline_import(actor=world.window, source=path)
    assert str(refused.value) == "表头缺少必填列：受理时间、诉求内容"
    not_excel = tmp_path / "tickets.xlsx.txt"
    not_excel.write_text("工单编号,受理时间\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        hotline.hotline_import(actor=world.window, source=not_excel)
    assert not Case.objects.exists()


def test_the_command_reports_what_it_did(world, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("import_hotline", str(workbook(tmp_path, ticket())), "--user", "window", stdout=out, stderr=err)
    assert "新登记 1 件，已登记过 0 件，未导入 0 行" in out.getvalue()
    bad = workbook(tmp_path, ticket("GD002", 联系电话="1"), name="bad.xlsx")
    with pytest.raises(CommandError) as failed:
        call_command("import_hotline", str(bad), "--user", "window", stdout=out, stderr=err)
    assert "有 1 行未导入" in str(failed.value)
    assert "第 2 行：联系电话" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_hotline", str(tmp_path / "missing.xlsx"), "--user", "window", stdout=out, stderr=err)
    with pytest.raises(CommandError):
        call_command("import_hotline", str(bad), "--user", "nobody", stdout=out, stderr=err)


@pytest.mark.postgres
def test_outside_a_transaction_batches_are_written_from_a_background_thread(world, tmp_path, transactional_db):
    path = workbook(tmp_path, *(ticket(f"GD{i:03d}", 身份证号="", 联系电话=f"1381234{i:04d}") for i in range(25)))
    seen = []
    report = hotline.hotline_import(actor=world.window, source=path, batch_size=10, progress=seen.append)
    assert (report.created, report.batches) == (25, 3)
    assert sum(seen) == 25
    assert Case.objects.filter(channel="hotline").count() == 25
    in_step(world)
