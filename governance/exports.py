"""The case ledger (台账) as an Excel workbook, with the columns a center keeps on paper.
Personal data is masked (ID numbers, phones): the export is for reporting, not for contacting.

Rows are read as plain values in chunks (no model instances), their parties and departments with
one query per chunk each, and written in openpyxl's write-only mode: time and memory grow
linearly with the rows, a few tens of microseconds each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from io import BytesIO
from itertools import islice

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from governance.masking import mask_id_number, mask_phone
from governance.models import (
    Case,
    CaseFlag,
    CaseParty,
    CaseStatus,
    Category,
    Channel,
    Dispatch,
    DispatchStatus,
    Outcome,
    PartyRole,
    RiskLevel,
    Satisfaction,
    ServiceLine,
)

# (header, width) — the order of a center's paper ledger; the headers are translated when written
COLUMNS = [
    (gettext_noop("序号"), 6),
    (gettext_noop("案件编号"), 17),
    (gettext_noop("登记日期"), 11),
    (gettext_noop("受理中心"), 18),
    (gettext_noop("来源渠道"), 10),
    (gettext_noop("业务条线"), 14),
    (gettext_noop("纠纷类别"), 11),
    (gettext_noop("当事人"), 22),
    (gettext_noop("身份证号码"), 20),
    (gettext_noop("联系电话"), 14),
    (gettext_noop("人数"), 6),
    (gettext_noop("纠纷简要情况"), 40),
    (gettext_noop("风险等级"), 12),
    (gettext_noop("风险标记"), 14),
    (gettext_noop("首问负责人"), 10),
    (gettext_noop("承办部门"), 22),
    (gettext_noop("办理状态"), 9),
    (gettext_noop("是否超时"), 8),
    (gettext_noop("办结日期"), 11),
    (gettext_noop("办结结果"), 9),
    (gettext_noop("办结说明"), 30),
    (gettext_noop("回访满意度"), 10),
]
CHUNK = 2000
CASE_VALUES = (
    "pk",
    "number",
    "registered_on",
    "center__name",
    "channel",
    "service_line",
    "category__label",
    "category__label_en",
    "headcount",
    "summary",
    "risk_level",
    *Case.FLAG_FIELDS.values(),
    "first_handler__full_name",
    "first_handler__username",
    "status",
    "is_overdue",
    "closed_at",
    "outcome",
    "close_note",
    "follow_up__satisfaction",
)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def ledger_rows(cases: QuerySet[Case], *, limit: int) -> Iterator[list]:
    """The ledger's rows for `cases` (scoped, filtered and ordered by the caller), at most `limit`."""
    labels = {
        "channel": _labels(Channel),
        "service_line": _labels(ServiceLine),
        "risk_level": _labels(RiskLevel),
        "status": _labels(CaseStatus),
        "outcome": _labels(Outcome),
        "satisfaction": _labels(Satisfaction),
        "role": _labels(PartyRole),
        "flag": {column: str(CaseFlag(flag).label) for flag, column in Case.FLAG_FIELDS.items()},
    }
    lead, assisting, yes = _("主办"), _("协办"), _("是")
    # the punctuation belongs to the language: 张三（申请人）、李四 / Zhang San (applicant), Li Si
    with_role, separator = _("%(name)s（%(detail)s）"), _("、")
    values = cases.prefetch_related(None).values(*CASE_VALUES).iterator(chunk_size=CHUNK)
    number = 0
    while number < limit:
        chunk = list(islice(values, min(CHUNK, limit - number)))
        if not chunk:
            return
        ids = [row["pk"] for row in chunk]
        parties = defaultdict(list)
        for case_id, role, name, id_number, phone in (
            CaseParty.objects.filter(case_id__in=ids)
            .order_by("case_id", "order", "id")
            .annotate(phone_text=Cast("person__phone", CharField()))  # the stored text: no parsing
            .values_list("case_id", "role", "person__name", "person__id_number", "phone_text")
        ):
            parties[case_id].append((labels["role"].get(role, role), name, id_number, phone))
        departments = defaultdict(list)
        for case_id, name, is_lead in (
            Dispatch.objects.filter(case_id__in=ids)
            .exclude(status=DispatchStatus.REJECTED)
            .order_by("case_id", "-is_lead", "id")
            .values_list("case_id", "department__name", "is_lead")
        ):
            departments[case_id].append(with_role % {"name": name, "detail": lead if is_lead else assisting})
        for row in chunk:
            number += 1
            people = parties.get(row["pk"], [])
            closed_at = row["closed_at"]
            yield [
                number,
                row["number"],
                row["registered_on"],
                row["center__name"],
                labels["channel"].get(row["channel"], row["channel"]),
                labels["service_line"].get(row["service_line"], row["service_line"]),
                Category.label_for(row["category__label"], row["category__label_en"]),
                separator.join(with_role % {"name": name, "detail": role} for role, name, _id, _phone in people),
                separator.join(mask_id_number(id_number) for _r, _n, id_number, _p in people if id_number),
                separator.join(mask_phone(phone) for _r, _n, _i, phone in people if phone),
                row["headcount"],
                row["summary"],
                labels["risk_level"].get(row["risk_level"], row["risk_level"]),
                separator.join(label for column, label in labels["flag"].items() if row[column]),
                row["first_handler__full_name"] or row["first_handler__username"],
                separator.join(departments.get(row["pk"], [])),
                labels["status"].get(row["status"], row["status"]),
                yes if row["is_overdue"] else "",
                timezone.localdate(closed_at) if closed_at else None,
                labels["outcome"].get(row["outcome"], ""),
                row["close_note"],
                labels["satisfaction"].get(row["follow_up__satisfaction"] or "", ""),
            ]


def ledger_workbook(cases: QuerySet[Case], *, title: str, subtitle: str = "", limit: int, total: int) -> bytes:
    """An .xlsx of the ledger: a title row, a header row, one row per case (at most `limit`; when
    `total` is more, a last row says so)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("案件台账"))
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
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
    for row in ledger_rows(cases, limit=limit):
        sheet.append(row)
    if total > limit:
        sheet.append(
            [
                None,
                _("共 %(total)s 件，本表只含前 %(limit)s 件；请按日期或中心缩小范围后分批导出。")
                % {"total": total, "limit": limit},
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
