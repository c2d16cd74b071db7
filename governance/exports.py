"""The case ledger (台账) as an Excel workbook, with the columns a center keeps on paper.
Personal data is masked (ID numbers, phones); the export is for reporting, not for contacting."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from governance.masking import mask_id_number, mask_phone
from governance.models import Case, CaseFlag, FollowUp

# (header, width)
COLUMNS = [
    ("序号", 6),
    ("案件编号", 17),
    ("登记日期", 11),
    ("受理中心", 18),
    ("来源渠道", 10),
    ("业务条线", 14),
    ("纠纷类别", 11),
    ("当事人", 18),
    ("身份证号码", 20),
    ("联系电话", 14),
    ("人数", 6),
    ("纠纷简要情况", 40),
    ("风险等级", 12),
    ("风险标记", 14),
    ("首问负责人", 10),
    ("承办部门", 22),
    ("办理状态", 9),
    ("是否超时", 8),
    ("办结日期", 11),
    ("办结结果", 9),
    ("办结说明", 30),
    ("回访满意度", 10),
]


def _row(number: int, case: Case) -> list:
    parties = list(case.parties.all())
    persons = [p.person for p in parties]
    dispatches = getattr(case, "live_dispatches", None)
    if dispatches is None:
        dispatches = [d for d in case.dispatches.all() if d.status != "rejected"]
    try:
        follow_up = case.follow_up
    except FollowUp.DoesNotExist:
        follow_up = None
    return [
        number,
        case.number,
        case.registered_on,
        case.center.name,
        case.get_channel_display(),
        case.get_service_line_display(),
        case.category.label,
        "、".join(f"{p.name}（{party.get_role_display()}）" for party, p in zip(parties, persons, strict=True)),
        "、".join(mask_id_number(p.id_number) for p in persons if p.id_number),
        "、".join(mask_phone(p.phone) for p in persons if p.phone),
        case.headcount,
        case.summary,
        case.get_risk_level_display(),
        "、".join(str(CaseFlag(flag).label) for flag in case.flags),
        str(case.first_handler),
        "、".join(f"{d.department.name}（{_('主办') if d.is_lead else _('协办')}）" for d in dispatches),
        case.get_status_display(),
        _("是") if getattr(case, "is_overdue", False) else "",
        timezone.localdate(case.closed_at) if case.closed_at else None,
        case.get_outcome_display() if case.outcome else "",
        case.close_note,
        follow_up.get_satisfaction_display() if follow_up else "",
    ]


def ledger_workbook(cases: Iterable[Case], *, title: str, subtitle: str = "") -> bytes:
    """An .xlsx of the ledger: a title row, a header row, one row per case (write-only mode:
    memory stays flat however many rows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("案件台账"))
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "C3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell, None, None, None, subtitle])
    header_fill = PatternFill("solid", fgColor="DCE6F2")
    header = []
    for name, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=_(name))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for number, case in enumerate(cases, start=1):
        row = _row(number, case)
        for position in (2, 18):  # dates
            if row[position] is not None:
                cell = WriteOnlyCell(sheet, value=row[position])
                cell.number_format = "yyyy-mm-dd"
                row[position] = cell
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
