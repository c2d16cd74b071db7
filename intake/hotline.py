"""12345 hotline tickets (工单) from the city platform's Excel export onto the one ledger.

Each ticket becomes a case with channel `hotline` and `external_ref` = the ticket number, so
importing the same file again adds nothing (tickets already on the ledger are counted, not
duplicated). Every row goes through the validators the API uses (ID-card checksum and birth
place, phone, lengths, choices); a bad row is reported with its row number and a Chinese message
and skipped. Valid rows are written in batches, each batch in one transaction: its persons,
cases, parties, timeline events, the rollup increments and the case numbers — so a failure leaves
nothing of that batch half-written, and the dashboard stays exactly in step with the ledger.

Why batches rather than `case_register` per ticket: one registration is ~20 statements and a
commit; a batch of 1,000 tickets is ~10 statements and one commit, and the rollups get one
upsert per batch (`stats.cases_registered`) instead of one per ticket. The rules are the same:
persons are recognised by ID number, else by phone and name (as `person_resolve` does), and the
case numbers come from the same counter (`case_numbers_reserve`), taken last in the transaction.

The sheet's first row names the columns (order free, unknown columns ignored):

    工单编号*  受理时间*  诉求人*  诉求内容*  身份证号  联系电话  工单类型  紧急程度
    纠纷类别  业务条线  风险等级  承办中心

(* required). 工单类型: 咨询 / 求助 / 投诉 / 举报 / 建议; 紧急程度: 一般 / 紧急 / 特急 (紧急 and
特急 set the urgent flag); 纠纷类别, 业务条线 and 风险等级 by Chinese label or English key (defaults
其他, 矛盾纠纷调解, 蓝色); 承办中心 by code or name, within the importing user's centers
(default: the user's own center).
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from governance import roles
from governance.api.fields import IdNumberField, PhoneField
from governance.bulk import BulkWriter, allocate_ids
from governance.exceptions import InvalidInput
from governance.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Category,
    Center,
    Channel,
    PartyRole,
    Person,
    RiskLevel,
    ServiceLine,
    User,
)
from governance.selectors.scoping import centers_for
from governance.services import stats
from governance.services.cases import case_numbers_reserve
from governance.validators import id_number_facts

# column → the header names it is known by in the exports of different platforms
COLUMNS = {
    "ticket": ("工单编号", "工单号", "编号"),
    "received_at": ("受理时间", "来电时间", "登记时间", "创建时间"),
    "name": ("诉求人", "来电人", "姓名", "诉求人姓名"),
    "content": ("诉求内容", "内容", "事项摘要", "来电内容"),
    "id_number": ("身份证号", "身份证号码", "证件号码"),
    "phone": ("联系电话", "电话", "来电号码"),
    "ticket_type": ("工单类型", "类型"),
    "urgency": ("紧急程度",),
    "category": ("纠纷类别", "类别"),
    "service_line": ("业务条线",),
    "risk_level": ("风险等级",),
    "center": ("承办中心", "受理中心", "承办单位"),
}
REQUIRED = ("ticket", "received_at", "name", "content")
TICKET_TYPES = ("咨询", "求助", "投诉", "举报", "建议")
URGENCIES = {"一般": False, "紧急": True, "特急": True}
RISK_ALIASES = {"红": RiskLevel.RED, "黄": RiskLevel.YELLOW, "蓝": RiskLevel.BLUE}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the header as written in the file, or "" for the whole row
    message: str

    def __str__(self) -> str:
        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.column:
            return _("第 %(row)d 行：%(column)s：%(message)s") % values
        return _("第 %(row)d 行：%(message)s") % values


@dataclass
class ImportReport:
    rows: int = 0  # data rows read
    created: int = 0  # new cases on the ledger
    already_imported: int = 0  # tickets already on the ledger (a re-import)
    errors: list[RowError] = field(default_factory=list)
    batches: int = 0

    @property
    def skipped(self) -> int:
        return len({error.row for error in self.errors})


@dataclass
class Ticket:
    row: int
    ref: str
    received_at: datetime
    name: str
    summary: str
    id_number: str
    phone: str
    urgent: bool
    category: Category
    service_line: str
    risk_level: str
    center: Center


class _Reader:
    """Turns sheet rows into tickets with the API's own field validation."""

    def __init__(self, actor: User, header: tuple, default_center: Center):
        self.errors: list[RowError] = []
        self.positions: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        names = [str(cell).strip() if cell is not None else "" for cell in header]
        for key, aliases in COLUMNS.items():
            for index, name in enumerate(names):
                if name in aliases:
                    self.positions[key] = index
                    self.labels[key] = name
                    break
        missing = [COLUMNS[key][0] for key in REQUIRED if key not in self.positions]
        if missing:
            raise InvalidInput(_("表头缺少必填列：%(columns)s") % {"columns": _("、").join(missing)}, field="file")
        self.id_field = IdNumberField()
        self.phone_field = PhoneField()
        self.cache: dict[str, dict[str, tuple]] = {"id_number": {}, "phone": {}}
        self.too_long = str(serializers.CharField.default_error_messages["max_length"])
        categories = list(Category.objects.filter(is_active=True))
        self.categories = {c.key: c for c in categories} | {c.label: c for c in categories}
        self.default_category = self.categories.get("other")
        self.service_lines = {value: value for value in ServiceLine.values} | {
            str(label): value for value, label in ServiceLine.choices
        }
        self.risk_levels = (
            {value: value for value in RiskLevel.values}
            | {str(label): value for value, label in RiskLevel.choices}
            | {str(label)[:2]: value for value, label in RiskLevel.choices}
            | RISK_ALIASES
        )
        centers = list(centers_for(actor))
        self.centers = {c.code: c for c in centers} | {c.name: c for c in centers}
        self.default_center = default_center
        self.now = timezone.now()
        self.seen_refs: dict[str, int] = {}

    @staticmethod
    def _text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into a cell: 13812345678.0
        return str(value).strip()

    def _when(self, row: int, value, problems: list[RowError]) -> datetime | None:
        label = self.labels["received_at"]
        # Times in the sheet are local (Asia/Shanghai) wall-clock times without a zone.
        tz = timezone.get_current_timezone()
        moment = None
        if isinstance(value, datetime):
            moment = value if timezone.is_aware(value) else value.replace(tzinfo=tz)
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day, tzinfo=tz)
        elif isinstance(value, str):
            for pattern in DATETIME_FORMATS:
                try:
                    moment = datetime.strptime(value, pattern).replace(tzinfo=tz)
                    break
                except ValueError:
                    continue
        if moment is None:
            problems.append(RowError(row, label, _("时间格式无效，应为 2026-03-01 09:30")))
            return None
        if moment > self.now:
            problems.append(RowError(row, label, _("受理时间晚于现在")))
            return None
        return moment

    def _choice(self, row: int, key: str, cells: dict, table: dict, default, problems: list[RowError]):
        text = cells.get(key, "")
        if not text:
            return default
        found = table.get(text)
        if found is None:
            problems.append(RowError(row, self.labels[key], _("无法识别的取值：%(value)s") % {"value": text}))
        return found

    def _validated(self, row: int, key: str, field_, text: str, problems: list[RowError]):
        """The API field's validation, remembered per value (callers ring more than once)."""
        cache = self.cache[key]
        if text not in cache:
            try:
                cache[text] = (field_.run_validation(text), None)
            except serializers.ValidationError as exc:
                detail = exc.detail if isinstance(exc.detail, list) else [exc.detail]
                cache[text] = (None, _("；").join(str(d) for d in detail))
        value, error = cache[text]
        if error is not None:
            problems.append(RowError(row, self.labels[key], error))
        return value

    def _length(self, row: int, key: str, text: str, limit: int, problems: list[RowError]) -> str:
        if len(text) > limit:
            problems.append(RowError(row, self.labels[key], self.too_long.format(max_length=limit)))
        return text

    def ticket(self, row: int, values: tuple) -> Ticket | None:
        width = len(values)
        cells = {key: self._text(values[i]) if i < width else "" for key, i in self.positions.items()}
        if not any(cells.values()) and all(v is None or not str(v).strip() for v in values):
            return None  # a blank line
        problems: list[RowError] = [
            RowError(row, self.labels[key], _("必填")) for key in REQUIRED if not cells.get(key)
        ]
        if problems:
            self.errors.extend(problems)
            return None
        ref = self._length(row, "ticket", cells["ticket"], 64, problems)
        if ref in self.seen_refs:
            problems.append(
                RowError(
                    row,
                    self.labels["ticket"],
                    _("工单编号与第 %(row)d 行重复：%(ref)s") % {"row": self.seen_refs[ref], "ref": ref},
                )
            )
        else:
            self.seen_refs[ref] = row
        raw_time = values[self.positions["received_at"]]
        received_at = self._when(row, raw_time.strip() if isinstance(raw_time, str) else raw_time, problems)
        name = self._length(row, "name", cells["name"], 50, problems)
        content = self._length(row, "content", cells["content"], 2000, problems)
        id_number = cells.get("id_number", "")
        if id_number:
            id_number = self._validated(row, "id_number", self.id_field, id_number, problems)
        phone = cells.get("phone", "")
        if phone:
            phone = self._validated(row, "phone", self.phone_field, phone, problems)
        ticket_type = cells.get("ticket_type", "")
        if ticket_type and ticket_type not in TICKET_TYPES:
            problems.append(RowError(row, self.labels["ticket_type"], _("工单类型应为 咨询、求助、投诉、举报 或 建议")))
        urgency = cells.get("urgency", "")
        if urgency and urgency not in URGENCIES:
            problems.append(RowError(row, self.labels["urgency"], _("紧急程度应为 一般、紧急 或 特急")))
        category = self._choice(row, "category", cells, self.categories, self.default_category, problems)
        service_line = self._choice(row, "service_line", cells, self.service_lines, ServiceLine.MEDIATION, problems)
        risk_level = self._choice(row, "risk_level", cells, self.risk_levels, RiskLevel.BLUE, problems)
        center = self.default_center
        if cells.get("center"):
            center = self.centers.get(cells["center"])
            if center is None:
                problems.append(RowError(row, self.labels["center"], _("中心不存在或不在您的管辖范围内")))
        if category is None and not problems:
            problems.append(RowError(row, "", _("未配置“其他”类别，请填写纠纷类别")))
        if problems:
            self.errors.extend(problems)
            return None
        summary = f"【{ticket_type}】{content}" if ticket_type else content
        return Ticket(
            row=row,
            ref=ref,
            received_at=received_at,
            name=name,
            summary=summary[:2000],
            id_number=id_number or "",
            phone=phone or "",
            urgent=URGENCIES.get(urgency, False),
            category=category,
            service_line=service_line,
            risk_level=risk_level,
            center=center,
        )


def _sheet_rows(source: str | Path | IO[bytes]) -> tuple[Iterator[tuple], int | None]:
    """The first sheet's rows as tuples of cell values (empty cells None). Read with calamine (a
    Rust reader, ~15× faster than openpyxl on a 100,000-row export)."""
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, str | Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # not an .xlsx, damaged, encrypted…
        raise InvalidInput(_("无法读取 Excel 文件（.xlsx）：%(error)s") % {"error": exc}, field="file") from None
    total = sheet.height - 1 if sheet.height else None

    def rows() -> Iterator[tuple]:
        for row in sheet.iter_rows():
            yield tuple(None if cell == "" else cell for cell in row)

    return rows(), total


def hotline_import(
    *,
    actor: User,
    source: str | Path | IO[bytes],
    center: Center | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int | None], None] | None = None,
) -> ImportReport:
    """Import a 12345 ticket export (.xlsx). `center` is where tickets without a 承办中心 go
    (default: the actor's center). Returns what was created, what was already there and the
    rows refused, each with its row number."""
    roles.require(actor, roles.REGISTER)
    default_center = center or actor.center
    if default_center is None:
        raise InvalidInput(_("请指定受理中心"), field="center")
    if not centers_for(actor).filter(pk=default_center.pk).exists():
        raise InvalidInput(_("中心不存在或不在您的管辖范围内"), field="center")
    rows, total = _sheet_rows(source)
    if on_total is not None:
        on_total(total)
    header = next(rows, None)
    if header is None:
        raise InvalidInput(_("文件是空的"), field="file")
    reader = _Reader(actor, header, default_center)
    report = ImportReport()
    writer = _BatchWriter(actor, report, progress)
    batch: list[Ticket] = []
    read = 0
    try:
        for row_number, values in enumerate(rows, start=2):
            report.rows += 1
            read += 1
            ticket = reader.ticket(row_number, values)
            if ticket is not None:
                batch.append(ticket)
            if len(batch) >= batch_size:
                writer.submit(batch, read)
                batch, read = [], 0
        writer.submit(batch, read)
    finally:
        writer.close()
    report.errors = reader.errors
    return report


class _BatchWriter:
    """Writes the batches in order, each in its own transaction. Outside any transaction on
    PostgreSQL it writes from a background thread with its own connection, so that reading and
    validating the next rows (Python) overlaps with the database writing this batch; inside a
    caller's transaction (a test, a larger unit of work) it writes inline, in that transaction."""

    def __init__(self, actor: User, report: ImportReport, progress: Callable[[int], None] | None):
        self.actor, self.report, self.progress = actor, report, progress
        self.error: BaseException | None = None
        self.thread = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.batches: queue.Queue = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="hotline-import", daemon=True)
            self.thread.start()

    def _write(self, tickets: list[Ticket], read: int) -> None:
        if tickets:
            _import_batch(self.actor, tickets, self.report)
        if self.progress is not None and read:
            self.progress(read)

    def _run(self) -> None:
        try:
            while (item := self.batches.get()) is not None:
                if self.error is None:
                    try:
                        self._write(*item)
                    except BaseException as exc:  # re-raised in the importing thread
                        self.error = exc
        finally:
            connections.close_all()  # this thread's connection

    def submit(self, tickets: list[Ticket], read: int) -> None:
        if self.thread is None:
            self._write(tickets, read)
            return
        if self.error is not None:
            raise self.error
        self.batches.put((tickets, read))

    def close(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.batches.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _import_batch(actor: User, tickets: list[Ticket], report: ImportReport) -> None:
    report.batches += 1
    for attempt in range(2):
        try:
            with transaction.atomic():
                created, existing = _write_batch(actor, tickets)
        except IntegrityError:
            # Another import of the same tickets committed first: look again at what exists.
            if attempt:
                raise
            continue
        report.created += created
        report.already_imported += existing
        return


@dataclass
class _Registered:
    """What the rollups need of a case just written (see stats.cases_registered)."""

    center_id: int
    registered_on: date
    headcount: int
    service_line: str
    channel: str
    risk_level: str
    category: Category


CASE_COLUMNS = [
    "id",
    "center",
    "channel",
    "service_line",
    "category",
    "risk_level",
    "flag_urgent",
    "flag_homicide_risk",
    "flag_mass_incident",
    "flag_threat_upward",
    "flag_bypass_levels",
    "headcount",
    "summary",
    "external_ref",
    "first_handler",
    "status",
    "outcome",
    "close_note",
    "registered_at",
    "registered_on",
    "updated_at",
]
PERSON_COLUMNS = ["id", "name", "id_number", "phone", "birth_date", "sex", "address", "created_at", "updated_at"]


def _write_batch(actor: User, tickets: list[Ticket]) -> tuple[int, int]:
    existing = {
        ref
        for ref, channel in _rows_where(Case, "external_ref", [t.ref for t in tickets], ["external_ref", "channel"])
        if channel == Channel.HOTLINE
    }
    tickets = [t for t in tickets if t.ref not in existing]
    if not tickets:
        return 0, len(existing)
    now = timezone.now()
    person_ids = _persons_resolve(tickets, now)
    case_ids = allocate_ids(Case, len(tickets))
    cases = BulkWriter(Case, CASE_COLUMNS, batch_size=len(tickets) + 1)
    parties = BulkWriter(CaseParty, ["case", "person", "role", "order"], batch_size=len(tickets) + 1)
    events = BulkWriter(CaseEvent, ["case", "kind", "actor", "at", "message", "data"], batch_size=len(tickets) + 1)
    registered = []
    for t, case_id, person_id in zip(tickets, case_ids, person_ids, strict=True):
        day = timezone.localdate(t.received_at)
        cases.add(
            case_id,
            t.center.pk,
            Channel.HOTLINE,
            t.service_line,
            t.category.pk,
            t.risk_level,
            t.urgent,
            False,
            False,
            False,
            False,
            1,
            t.summary,
            t.ref,
            actor.pk,
            CaseStatus.REGISTERED,
            "",
            "",
            t.received_at,
            day,
            now,
        )
        parties.add(case_id, person_id, PartyRole.APPLICANT, 0)
        events.add(
            case_id,
            "registered",
            actor.pk,
            t.received_at,
            _registered_message(t.service_line, actor),
            {"import": "hotline", "ticket": t.ref},
        )
        registered.append(_Registered(t.center.pk, day, 1, t.service_line, Channel.HOTLINE, t.risk_level, t.category))
    for writer in (cases, parties, events):
        writer.flush()
    # Contended rows last, so their locks are held for the shortest time (as in case_register).
    stats.cases_registered(registered, stats.scope_map({t.center.pk for t in tickets}))
    _number(tickets, case_ids)
    return len(tickets), len(existing)


_MESSAGES: dict[tuple, str] = {}


def _registered_message(service_line: str, actor: User) -> str:
    """The same timeline text `case_register` writes."""
    key = (service_line, actor.pk)
    if key not in _MESSAGES:
        _MESSAGES[key] = _("登记受理（%(channel)s，%(line)s），首问负责人：%(handler)s") % {
            "channel": Channel.HOTLINE.label,
            "line": ServiceLine(service_line).label,
            "handler": actor,
        }
    return _MESSAGES[key]


def _number(tickets: list[Ticket], case_ids: list[int]) -> None:
    """Readable numbers from the county-and-year counters, in order of receipt."""
    groups: dict[tuple[str, int], list[tuple[datetime, int, Center]]] = defaultdict(list)
    for t, case_id in zip(tickets, case_ids, strict=True):
        groups[(t.center.root.code, timezone.localtime(t.received_at).year)].append((t.received_at, case_id, t.center))
    ids, numbers = [], []
    for key in sorted(groups):
        members = sorted(groups[key])
        ids += [case_id for _at, case_id, _center in members]
        numbers += case_numbers_reserve(center=members[0][2], registered_at=members[0][0], count=len(members))
    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS c SET number = v.number "
                "FROM unnest(%s::bigint[], %s::varchar[]) AS v(id, number) WHERE c.id = v.id",
                [ids, numbers],
            )
        else:
            cursor.executemany(f"UPDATE {table} SET number = %s WHERE id = %s", list(zip(numbers, ids, strict=True)))


def _persons_resolve(tickets: list[Ticket], now: datetime) -> list[int]:
    """`person_resolve` for a batch: by ID number, else by phone and name, else new; a known
    person's blank phone is filled from the ticket. One person id per ticket, in order."""
    by_id: dict[str, int] = {}
    blank_phone: set[int] = set()
    for pk, id_number, phone in _rows_where(
        Person, "id_number", {t.id_number for t in tickets if t.id_number}, ["id", "id_number", "phone"]
    ):
        by_id[id_number] = pk
        if not phone:
            blank_phone.add(pk)
    by_phone_name: dict[tuple[str, str], int] = {}
    phones = {t.phone for t in tickets if t.phone and not t.id_number}
    for pk, phone, name in sorted(_rows_where(Person, "phone", phones, ["id", "phone", "name"])):
        by_phone_name.setdefault((phone, name), pk)  # the earliest, as person_resolve picks
    new_ids = iter(allocate_ids(Person, sum(1 for _ in _new_persons(tickets, by_id, by_phone_name))))
    writer = BulkWriter(Person, PERSON_COLUMNS, batch_size=len(tickets) + 1)
    fill: dict[int, str] = {}
    result: list[int] = []
    for t in tickets:
        if t.id_number:
            pk = by_id.get(t.id_number)
            if pk is None:
                pk = by_id[t.id_number] = next(new_ids)
                birth_date, sex = id_number_facts(t.id_number)
                writer.add(pk, t.name, t.id_number, t.phone, birth_date, sex, "", now, now)
            elif t.phone and pk in blank_phone:
                fill.setdefault(pk, t.phone)
        elif t.phone:
            pk = by_phone_name.get((t.phone, t.name))
            if pk is None:
                pk = by_phone_name[(t.phone, t.name)] = next(new_ids)
                writer.add(pk, t.name, None, t.phone, None, "", "", now, now)
        else:
            pk = next(new_ids)
            writer.add(pk, t.name, None, "", None, "", "", now, now)
        result.append(pk)
    writer.flush()
    for pk, phone in fill.items():
        Person.objects.filter(pk=pk, phone="").update(phone=phone, updated_at=now)
    return result


def _rows_where(model, column: str, values, fields: list[str]) -> list[tuple]:
    """Raw rows of `model` whose `column` is one of `values`: one array parameter on PostgreSQL
    instead of a thousand placeholders, and the stored values as they are (no phone parsing)."""
    values = list(values)
    if not values:
        return []
    qn, meta = connection.ops.quote_name, model._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in fields)
    where = qn(meta.get_field(column).column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {columns} FROM {qn(meta.db_table)} WHERE {where} = ANY(%s)", [values])
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(f"SELECT {columns} FROM {qn(meta.db_table)} WHERE {where} IN ({marks})", values)
        return cursor.fetchall()


def _new_persons(tickets: list[Ticket], by_id: dict, by_phone_name: dict) -> Iterator[None]:
    """One item per person the batch will create (to take their ids in one go)."""
    ids, pairs = set(), set()
    for t in tickets:
        if t.id_number:
            if t.id_number not in by_id and t.id_number not in ids:
                ids.add(t.id_number)
                yield None
        elif t.phone:
            if (t.phone, t.name) not in by_phone_name and (t.phone, t.name) not in pairs:
                pairs.add((t.phone, t.name))
                yield None
        else:
            yield None
