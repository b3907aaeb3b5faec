"""The catalogue as a spreadsheet: the import template, the export, and the import.

XLSX: a sheet 事项 (one row per service item) and a sheet 部门 (one row per department);
a sheet 说明 explains the columns and is ignored when read. CSV (UTF-8 with a BOM, or
GB18030 as Excel saves it): the items alone. Row 1 holds the Chinese column names, row 2
their English names; data starts on row 3 (row 2 may be left out).

In a cell, lists have one entry a line: 办理流程 one step a line, 别名 and 关键词 one word
a line, and 申请材料 one material a line, ``名称|形式|份数|必需或可选|备注|样表|空白表``,
e.g. ``居民身份证|原件|1|必需`` (备注 and the two attachments, by title or id, may be left
out).

An import is all or nothing, in one unit of work: departments and items named by a code
the hall has are updated (columns left out keep their values), others are created,
nothing is deleted. Any bad row and nothing is saved; a dry run reports the same and
saves nothing. A real import writes an audit entry per department and item it creates
or changes (department.*, item.*) and one catalogue.import entry with the counts.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from server.domain import guide as rules
from server.domain.fields import Problem
from server.errors import HubError
from server.store import attachments as attachment_store
from server.store import catalogue as store
from server.store import tables as t
from server.store.db import Session

from . import audit
from . import catalogue_admin as admin
from .audit import Actor
from .hub import Hub

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
ITEMS_SHEET, DEPARTMENTS_SHEET, HELP_SHEET = "事项", "部门", "说明"
FIRST_ROW = 3  # after the Chinese and the English header rows

TEXT, INT, BOOL, LINES, MATERIALS = "text", "int", "bool", "lines", "materials"
# key, Chinese header, English header, kind. Guide elements are the keys of
# domain/guide.py GUIDE_ELEMENTS; the rest are the item's own fields.
ITEM_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("code", "事项编码", "code", TEXT),
    ("name", "事项名称", "name", TEXT),
    ("name_en", "英文名称", "English name", TEXT),
    ("department", "部门编码", "department code", TEXT),
    ("queue", "队列编码", "queue code", TEXT),
    ("active", "上线", "online (是/否)", BOOL),
    ("sort", "排序", "order", INT),
    ("hot", "热度", "popularity", INT),
    ("case_type", "办件类型", "case type", TEXT),
    ("statutory_limit_days", "法定办结时限（工作日）", "statutory limit (working days)", INT),
    ("promised_limit_days", "承诺办结时限（工作日）", "promised limit (working days)", INT),
    ("legal_basis", "设定依据", "legal basis", TEXT),
    ("conditions", "受理条件", "conditions", TEXT),
    ("quantity_limits", "数量限制", "quantity limits", TEXT),
    ("materials", "申请材料", "materials (名称|形式|份数|必需/可选|备注, one a line)", MATERIALS),
    ("procedure", "办理流程", "procedure (one step a line)", LINES),
    ("fees", "收费标准", "fees", TEXT),
    ("fee_basis", "收费依据", "fee basis", TEXT),
    ("location", "办理地点", "where", TEXT),
    ("hours", "办理时间", "hours", TEXT),
    ("responsible", "责任人/责任科室", "responsible person or office", TEXT),
    ("contact_phone", "咨询电话", "enquiries phone", TEXT),
    ("complaint_phone", "投诉电话", "complaints phone", TEXT),
    ("online", "可网上办理", "can be done online (是/否)", BOOL),
    ("online_url", "网上办理地址", "online address", TEXT),
    ("aliases", "别名", "aliases (one a line)", LINES),
    ("keywords", "关键词", "keywords (one a line)", LINES),
    ("pinyin_initials", "拼音首字母", "pinyin initials (empty: computed)", TEXT),
)
DEPARTMENT_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("code", "部门编码", "code", TEXT),
    ("name", "部门名称", "name", TEXT),
    ("name_en", "英文名称", "English name", TEXT),
    ("sort", "排序", "order", INT),
    ("active", "启用", "enabled (是/否)", BOOL),
    ("phone", "电话", "phone", TEXT),
    ("location", "位置", "location", TEXT),
)
REQUIRED_COLUMNS = {
    ITEMS_SHEET: ("code", "name", "department", "queue"),
    DEPARTMENTS_SHEET: ("code", "name"),
}
YES, NO = "是", "否"
YES_WORDS = {"是", "y", "yes", "true", "1", "上线", "启用"}
NO_WORDS = {"否", "n", "no", "false", "0", "下线", "停用"}
REQUIRED_WORDS = {"必需": True, "必须": True, "必要": True, "可选": False, "非必需": False}
SEPARATOR = "|"

Rows = list[list[Any]]


@dataclass
class Report:
    dry_run: bool
    departments_created: int = 0
    departments_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    unchanged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "departments_created": self.departments_created,
            "departments_updated": self.departments_updated,
            "items_created": self.items_created,
            "items_updated": self.items_updated,
            "unchanged": self.unchanged,
            "problems": self.problems,
        }


# ---- cells ------------------------------------------------------------------------------


def _material_line(m: dict[str, Any]) -> str:
    parts = [m["name"], m["form"], str(m["copies"]), "必需" if m.get("required", True) else "可选"]
    extra = [m.get("note") or "", _id_text(m.get("sample")), _id_text(m.get("blank_form"))]
    while extra and not extra[-1]:
        extra.pop()
    return SEPARATOR.join(parts + extra)


def _id_text(value: Any) -> str:
    return "" if value is None else str(value)


def cell_of(kind: str, value: Any) -> Any:
    """A value as the export writes it."""
    if value is None:
        return ""
    if kind == BOOL:
        return YES if value else NO
    if kind == LINES:
        return "\n".join(value)
    if kind == MATERIALS:
        return "\n".join(_material_line(m) for m in value)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def _material(line: str, at: str, out: list[Problem]) -> dict[str, Any] | None:
    parts = [p.strip() for p in line.split(SEPARATOR)]
    if len(parts) < 3 or len(parts) > 7:
        out.append(Problem(at, "MATERIAL_LINE"))
        return None
    parts += [""] * (7 - len(parts))
    name, form, copies, required, note, sample, blank = parts
    m: dict[str, Any] = {"name": name, "form": form}
    number = _parse_int(copies)
    if number is None:
        out.append(Problem(f"{at}.copies", "NOT_A_NUMBER"))
        return None
    m["copies"] = number
    if required:
        if required not in REQUIRED_WORDS:
            out.append(Problem(f"{at}.required", "MATERIAL_LINE"))
            return None
        m["required"] = REQUIRED_WORDS[required]
    if note:
        m["note"] = note
    for key, text in (("sample", sample), ("blank_form", blank)):
        if text:
            # An attachment by its id in this hall, or by its title (what the export
            # writes: the same file in another hall has another id).
            ident = _parse_int(text)
            m[key] = ident if ident is not None else text
    return m


def _by_title(guide: Mapping[str, Any], titles: Mapping[str, list[int]], at: str) -> list[Problem]:
    """Attachments named by title in the guide's materials become their ids in the
    hall; a title the hall has none of, or several, is a problem of that cell."""
    problems = []
    for n, m in enumerate(guide.get("materials") or []):
        if not isinstance(m, dict):
            continue
        for key in ("sample", "blank_form"):
            ref = m.get(key)
            if not isinstance(ref, str):
                continue
            found = titles.get(ref, [])
            if len(found) == 1:
                m[key] = found[0]
            else:
                code = "ATTACHMENT_TITLE_UNKNOWN" if not found else "ATTACHMENT_TITLE_AMBIGUOUS"
                problems.append(Problem(f"{at}materials[{n}].{key}", code, {"title": ref}))
    return problems


def value_of(key: str, kind: str, raw: Any, out: list[Problem], prefix: str) -> Any:
    """A cell as the value the rules check; a cell that cannot be read adds a problem."""
    at = prefix + key
    text = _text(raw)
    if kind == TEXT:
        return text
    if kind == INT:
        if text == "":
            return None
        number = _parse_int(text)
        if number is None:
            out.append(Problem(at, "NOT_A_NUMBER"))
        return number
    if kind == BOOL:
        if text == "":
            return None
        word = text.lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        out.append(Problem(at, "YES_NO"))
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if kind == LINES:
        return lines
    materials = []
    for n, line in enumerate(lines):
        m = _material(line, f"{at}[{n}]", out)
        if m is not None:
            materials.append(m)
    return materials


# ---- reading files ----------------------------------------------------------------------


def _decode(content: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(content: bytes) -> Rows | None:
    text = _decode(content)
    if text is None or "\x00" in text:
        return None
    try:
        return [list(row) for row in csv.reader(io.StringIO(text))][: MAX_ROWS + 3]
    except csv.Error:
        return None


def _xlsx_sheets(content: bytes) -> dict[str, Rows] | None:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return None
    try:
        sheets: dict[str, Rows] = {}
        for sheet in book.worksheets:
            rows: Rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 2:
                    break
            sheets[sheet.title] = rows
        return sheets
    except (KeyError, ValueError, IndexError):
        return None
    finally:
        book.close()


def read_file(filename: str, content: bytes) -> tuple[dict[str, Rows], Problem | None]:
    """The file's tables by sheet (a CSV is the 事项 sheet), or why it cannot be read."""
    if len(content) > MAX_BYTES:
        return {}, Problem("file", "FILE_TOO_LARGE", {"max": MAX_BYTES // 1024})
    if not content.strip():
        return {}, Problem("file", "FILE_EMPTY")
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        sheets = _xlsx_sheets(content)
        if sheets is None:
            return {}, Problem("file", "FILE_UNREADABLE")
        if ITEMS_SHEET not in sheets and DEPARTMENTS_SHEET not in sheets and sheets:
            first = next(iter(sheets))
            sheets = {ITEMS_SHEET: sheets[first]}
        return {k: v for k, v in sheets.items() if k in REQUIRED_COLUMNS}, None
    rows = _csv_rows(content)
    if rows is None:
        return {}, Problem("file", "FILE_UNREADABLE")
    return {ITEMS_SHEET: rows}, None


@dataclass
class Table:
    """One sheet's rows as values by key, each with its row number."""

    rows: list[tuple[int, dict[str, Any]]]
    problems: list[dict[str, Any]]


def _problem(sheet: str, p: Problem, labels: dict[str, str]) -> dict[str, Any]:
    key = p.field.removeprefix("guide.").split("[")[0].split(".")[0]
    zh, en = p.messages
    return {
        "sheet": sheet,
        "row": p.row,
        "field": p.field,
        "column": labels.get(key, ""),
        "code": p.code,
        "problem": en,
        "message_zh": zh,
        "message_en": en,
    }


def read_table(sheet: str, rows: Rows) -> Table:
    columns = ITEM_COLUMNS if sheet == ITEMS_SHEET else DEPARTMENT_COLUMNS
    labels = {key: zh for key, zh, _, _ in columns}
    if not rows:
        return Table([], [])
    by_header = {zh: (key, kind) for key, zh, _, kind in columns}
    by_header |= {en.split(" (")[0]: (key, kind) for key, _, en, kind in columns}
    header = [_text(c) for c in rows[0]]
    found: dict[int, tuple[str, str]] = {
        n: by_header[h] for n, h in enumerate(header) if h in by_header
    }
    problems = []
    present = {key for key, _ in found.values()}
    for key in REQUIRED_COLUMNS[sheet]:
        if key not in present:
            p = Problem(key, "CATALOGUE_COLUMN_MISSING", {"column": labels[key]}, row=1)
            problems.append(_problem(sheet, p, labels))
    if problems:
        return Table([], problems)
    body = rows[1:]
    first = 2
    if body and _text(body[0][0] if body[0] else "") == columns[0][2]:
        body, first = body[1:], 3  # the English header row
    if len(body) > MAX_ROWS:
        p = Problem("file", "TOO_MANY_ROWS", {"max": MAX_ROWS}, row=None)
        return Table([], [_problem(sheet, p, labels)])
    out = []
    for number, row in enumerate(body, start=first):
        if all(_text(c) == "" for c in row):
            continue
        cell_problems: list[Problem] = []
        values: dict[str, Any] = {}
        guide: dict[str, Any] = {}
        for n, (key, kind) in found.items():
            raw = row[n] if n < len(row) else None
            is_guide = sheet == ITEMS_SHEET and key in rules.GUIDE_ELEMENTS
            value = value_of(key, kind, raw, cell_problems, "guide." if is_guide else "")
            if is_guide:
                guide[key] = value
            elif value is not None:
                values[key] = value
        if sheet == ITEMS_SHEET and guide:
            values["guide"] = guide
        for p in cell_problems:
            problems.append(
                _problem(sheet, Problem(p.field, p.code, p.details, row=number), labels)
            )
        out.append((number, values))
    return Table(out, problems)


# ---- import -----------------------------------------------------------------------------


def _located(sheet: str, row: int, problems: Iterable[Problem]) -> list[dict[str, Any]]:
    columns = ITEM_COLUMNS if sheet == ITEMS_SHEET else DEPARTMENT_COLUMNS
    labels = {key: zh for key, zh, _, _ in columns}
    return [_problem(sheet, Problem(p.field, p.code, p.details, row=row), labels) for p in problems]


def _bad_fields(problems: list[dict[str, Any]], sheet: str, row: int) -> set[str]:
    return {p["field"] for p in problems if p["sheet"] == sheet and p["row"] == row}


def _drop_unreadable(values: dict[str, Any], bad: set[str]) -> dict[str, Any]:
    """A cell that could not be read is reported once: the rules do not see it."""
    out = {k: v for k, v in values.items() if k not in bad}
    if "guide" in out:
        out["guide"] = {
            k: v
            for k, v in out["guide"].items()
            if not any(b == f"guide.{k}" or b.startswith(f"guide.{k}[") for b in bad)
        }
    return out


def _changed(current: dict[str, Any], full: dict[str, Any]) -> bool:
    return any(full[k] != v for k, v in current.items())


def _department_values(d: t.Department) -> dict[str, Any]:
    return {k: getattr(d, k) for k in admin.DEPARTMENT_FIELDS}


def _run(
    s: Session,
    hall_id: int,
    tables: dict[str, Table],
    report: Report,
    *,
    apply: bool,
    actor: Actor,
    at: Any,
) -> None:
    ctx = admin.context(s, hall_id)
    depts = tables.get(DEPARTMENTS_SHEET, Table([], []))
    items = tables.get(ITEMS_SHEET, Table([], []))
    problems = report.problems
    problems.extend(depts.problems)
    problems.extend(items.problems)

    # Departments first: the items may name the ones this file brings.
    seen: dict[str, int] = {}
    dept_plan: list[tuple[t.Department | None, dict[str, Any]]] = []
    for row, values in depts.rows:
        values = _drop_unreadable(values, _bad_fields(problems, DEPARTMENTS_SHEET, row))
        code = values.get("code", "")
        if code in seen:
            problems.extend(_located(DEPARTMENTS_SHEET, row, [Problem("code", "DUPLICATE")]))
            continue
        seen[code] = row
        existing = ctx.departments.get(code)
        full = {**(_department_values(existing) if existing else {}), **values}
        found = rules.check_department(full)
        if found:
            problems.extend(_located(DEPARTMENTS_SHEET, row, found))
            continue
        if existing is None:
            report.departments_created += 1
            ctx.departments[code] = t.Department(hall_id=hall_id, **full)
        elif full != _department_values(existing):
            report.departments_updated += 1
        else:
            report.unchanged += 1
        dept_plan.append((existing, full))

    known = {i.code: i for i in store.items_in_order(s, hall_id)}
    titles: dict[str, list[int]] = {}
    for info in attachment_store.attachments(s, hall_id):
        titles.setdefault(info.name, []).append(info.id)
    seen = {}
    item_plan: list[tuple[t.ServiceItem | None, dict[str, Any]]] = []
    for row, values in items.rows:
        values = _drop_unreadable(values, _bad_fields(problems, ITEMS_SHEET, row))
        unnamed = _by_title(values.get("guide", {}), titles, "guide.")
        if unnamed:
            problems.extend(_located(ITEMS_SHEET, row, unnamed))
            continue
        code = values.get("code", "")
        if code in seen:
            problems.extend(_located(ITEMS_SHEET, row, [Problem("code", "DUPLICATE")]))
            continue
        seen[code] = row
        item = known.get(code)
        if item is not None:
            full, found = admin.checked(admin.merged(admin.item_values(item, ctx), values), ctx)
        else:
            values["guide"] = {
                k: v for k, v in values.get("guide", {}).items() if v not in (None, "")
            }
            full, found = admin.checked(values, ctx)
        if found:
            problems.extend(_located(ITEMS_SHEET, row, found))
            continue
        if item is None:
            report.items_created += 1
        elif _changed(admin.item_values(item, ctx), full):
            report.items_updated += 1
        else:
            report.unchanged += 1
        item_plan.append((item, full))

    # Sheet by sheet, row by row, as a person reads the file.
    order = {DEPARTMENTS_SHEET: 0, ITEMS_SHEET: 1}
    problems.sort(key=lambda p: (order.get(p["sheet"], 2), p["row"] or 0))
    if problems or not apply:
        return
    for existing, full in dept_plan:
        if existing is None:
            d = ctx.departments[full["code"]]
            store.add_row(s, d)
            audit.record(
                s,
                at=at,
                actor=actor,
                hall_id=hall_id,
                action="department.create",
                entity_kind="department",
                entity_key=d.code,
                after=_department_values(d),
            )
        elif full != _department_values(existing):
            before = _department_values(existing)
            saved = store.save_versioned(s, existing, full)
            assert isinstance(saved, t.Department)
            ctx.departments[saved.code] = saved
            audit.record_change(
                s,
                at=at,
                actor=actor,
                hall_id=hall_id,
                action="department.update",
                entity_kind="department",
                entity_key=saved.code,
                before=before,
                after=_department_values(saved),
            )
    for item, full in item_plan:
        if item is None:
            admin.add_item(s, ctx, full, actor=actor, at=at)
        else:
            admin.save_item(s, ctx, item, full, actor=actor, at=at)


def import_file(
    hub: Hub,
    *,
    hall_id: int,
    filename: str,
    content: bytes,
    dry_run: bool,
    actor: Actor,
) -> Report:
    """Every bad row is reported (sheet, row, column, code); with ``dry_run`` or any
    problem nothing is saved, and a real import with problems is refused
    (CATALOGUE_IMPORT_INVALID, details.problems)."""
    report = Report(dry_run=dry_run)
    sheets, unreadable = read_file(filename, content)
    if unreadable is not None:
        report.problems.append(_problem(ITEMS_SHEET, unreadable, {}))
    tables = {name: read_table(name, rows) for name, rows in sheets.items()}
    now = hub.now()
    if dry_run or report.problems:
        with hub.db.read() as s:
            _run(s, hall_id, tables, report, apply=False, actor=actor, at=now)
    else:

        def work(s: Session) -> None:
            fresh = Report(dry_run=False)
            _run(s, hall_id, tables, fresh, apply=True, actor=actor, at=now)
            report.__dict__.update(fresh.__dict__)
            if fresh.problems:
                raise HubError("CATALOGUE_IMPORT_INVALID", problems=fresh.problems)
            audit.record(
                s,
                at=now,
                actor=actor,
                hall_id=hall_id,
                action="catalogue.import",
                entity_kind="catalogue",
                entity_key=filename[:100] or "upload",
                after={
                    "departments_created": fresh.departments_created,
                    "departments_updated": fresh.departments_updated,
                    "items_created": fresh.items_created,
                    "items_updated": fresh.items_updated,
                    "unchanged": fresh.unchanged,
                },
            )

        admin._write(hub, work, "CONFLICT")
    if not dry_run and report.problems:
        raise HubError("CATALOGUE_IMPORT_INVALID", problems=report.problems)
    return report


# ---- export -----------------------------------------------------------------------------


def _item_cells(view: dict[str, Any]) -> list[Any]:
    guide = view["guide"]
    cells = []
    for key, _, _, kind in ITEM_COLUMNS:
        value = guide.get(key) if key in rules.GUIDE_ELEMENTS else view.get(key)
        if key == "online" and value is None:
            value = False
        cells.append(cell_of(kind, value))
    return cells


def _department_cells(d: dict[str, Any]) -> list[Any]:
    return [cell_of(kind, d[key]) for key, _, _, kind in DEPARTMENT_COLUMNS]


def tables_of(items: list[dict[str, Any]], departments: list[dict[str, Any]]) -> dict[str, Rows]:
    def heads(columns: tuple[tuple[str, str, str, str], ...]) -> Rows:
        return [[zh for _, zh, _, _ in columns], [en for _, _, en, _ in columns]]

    return {
        ITEMS_SHEET: heads(ITEM_COLUMNS) + [_item_cells(v) for v in items],
        DEPARTMENTS_SHEET: heads(DEPARTMENT_COLUMNS) + [_department_cells(d) for d in departments],
    }


HELP = (
    ("说明 / How to fill in", ""),
    ("第1行为中文列名，第2行为英文列名，从第3行起每行一个事项（“部门”表每行一个部门）。", "Row 1: Chinese headers; row 2: English; from row 3 one item (or department) a row."),
    ("按编码对应：本大厅已有的编码更新，没有的新建，不会删除任何内容；留空的列保持原值。", "Matched by code: existing codes are updated, new ones created, nothing deleted; a column left out keeps its values."),
    ("申请材料每行一项：名称|形式|份数|必需或可选|备注，如 居民身份证|原件|1|必需。", "Materials, one a line: name|form|copies|必需 or 可选|note."),
    ("材料形式：" + "、".join(rules.MATERIAL_FORMS) + "；办件类型：" + "、".join(rules.CASE_TYPES) + "。", "Material forms and case types as listed."),
    ("办理流程、别名、关键词每行一项；上线、可网上办理、启用填“是”或“否”。", "Procedure, aliases, keywords: one a line; yes/no columns take 是 or 否."),
    ("时限为工作日；承诺办结时限不能超过法定时限乘以本大厅比例（向下取整），即办件为 0。", "Limits are working days; the promised one is at most the hall's share of the statutory one (rounded down); 0 for 即办件."),
    ("上线的事项必须填写全部公开要素；下线的草稿可以不完整。", "An online item needs every public element; an offline draft may be incomplete."),
)  # fmt: skip


def _workbook(tables: dict[str, Rows], *, with_help: bool) -> bytes:
    book = Workbook()
    first = True
    for name, rows in tables.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = name
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="555555")
        for row_cells in sheet.iter_rows(min_row=FIRST_ROW):
            for cell in row_cells:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 18
        sheet.freeze_panes = "B3"
    if with_help:
        sheet = book.create_sheet(HELP_SHEET)
        for line in HELP:
            sheet.append(list(line))
        sheet.column_dimensions["A"].width = 90
        sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: Rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _titled(items: list[dict[str, Any]], titles: Mapping[int, str]) -> list[dict[str, Any]]:
    """The items with their materials' attachments by title (ids mean nothing in
    another hall); an id the hall has no attachment for stays as it is."""
    out = []
    for view in items:
        guide = dict(view["guide"])
        materials = []
        for m in guide.get("materials") or []:
            if isinstance(m, dict):
                m = {
                    k: titles.get(v, v) if k in ("sample", "blank_form") else v
                    for k, v in m.items()
                }
            materials.append(m)
        if "materials" in guide:
            guide["materials"] = materials
        out.append({**view, "guide": guide})
    return out


def export(hub: Hub, *, hall_id: int, kind: str) -> bytes:
    with hub.db.read() as s:
        titles = {a.id: a.name for a in attachment_store.attachments(s, hall_id)}
    items = _titled(admin.item_rows(hub, hall_id=hall_id), titles)
    departments = admin.department_rows(hub, hall_id=hall_id)
    tables = tables_of(items, departments)
    if kind == "csv":
        return _csv(tables[ITEMS_SHEET])
    return _workbook(tables, with_help=True)


EXAMPLE_ITEM: dict[str, Any] = {
    "code": "EX01",
    "name": "示例：个体工商户注册登记",
    "name_en": "Example: sole proprietorship registration",
    "department": "EX",
    "queue": "A",
    "active": False,
    "sort": 0,
    "hot": 0,
    "aliases": ["个体户", "营业执照"],
    "keywords": ["开店"],
    "pinyin_initials": "",
    "guide": {
        "case_type": "承诺件",
        "statutory_limit_days": 15,
        "promised_limit_days": 3,
        "legal_basis": "《促进个体工商户发展条例》",
        "conditions": "有经营能力的自然人",
        "quantity_limits": "无数量限制",
        "materials": [
            {"name": "居民身份证", "form": "原件", "copies": 1, "required": True},
            {"name": "经营场所使用证明", "form": "复印件", "copies": 1, "required": True},
            {
                "name": "委托书",
                "form": "原件",
                "copies": 1,
                "required": False,
                "note": "委托办理时",
            },
        ],
        "procedure": ["取号", "窗口受理", "审核", "发照"],
        "fees": "不收费",
        "location": "政务服务中心一楼 A 区",
        "hours": "工作日 9:00-12:00，13:30-17:00",
        "responsible": "登记注册科 张三",
        "contact_phone": "0571-12345101",
        "complaint_phone": "12345",
        "online": True,
        "online_url": "https://zwfw.example.gov.cn/",
    },
}
# A code no hall has, so that the template imported as it is changes nothing of the hall's.
EXAMPLE_DEPARTMENT = {
    "code": "EX",
    "name": "示例部门（请改为实际部门）",
    "name_en": "Example department",
    "sort": 99,
    "active": False,
    "phone": "0571-12345100",
    "location": "一楼 A 区",
}


def template(hub: Hub, *, hall_id: int) -> bytes:
    """The columns, one example item (下线, in one of the hall's queues, so the kiosks
    never show it) and one example department (停用), and the 说明 sheet."""
    queues = admin.form_choices(hub, hall_id=hall_id)["queues"]
    example = {**EXAMPLE_ITEM, "queue": queues[0]["code"] if queues else "A"}
    return _workbook(tables_of([example], [EXAMPLE_DEPARTMENT]), with_help=True)
