"""Reading an uploaded table of the national calendar: CSV (UTF-8, or GB18030 as Excel
saves it on a Chinese Windows) or XLSX (its first sheet). What the cells mean is the
domain's (domain/holidays.py read_table)."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from server.domain.fields import Problem
from server.domain.holidays import COLUMN_LABELS, MAX_ROWS

MAX_BYTES = 256 * 1024
Rows = list[list[object]]


def column_label(key: str) -> str:
    return COLUMN_LABELS.get(key, "")


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
    rows: Rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            cells: list[object] = list(row)
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        return None
    return rows


def _xlsx_rows(content: bytes) -> Rows | None:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return None
    try:
        sheet = book.worksheets[0]
        rows: Rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except (KeyError, ValueError, IndexError):
        return None
    finally:
        book.close()


def read_rows(filename: str, content: bytes) -> tuple[Rows, Problem | None]:
    """The table's rows, or the problem that keeps it from being read."""
    if len(content) > MAX_BYTES:
        return [], Problem("file", "FILE_TOO_LARGE", {"max": MAX_BYTES // 1024})
    if not content.strip():
        return [], Problem("file", "FILE_EMPTY")
    is_xlsx = content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    if rows is None:
        return [], Problem("file", "FILE_UNREADABLE")
    return rows, None
