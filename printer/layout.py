"""Layout of tickets and notices as printer-independent blocks.

A layout is a list of blocks (text lines, QR codes, feeds). The same list is
turned into ESC/POS text (Chinese mode) or into raster images, so both modes
print the same words in the same places.

Widths are counted in font-A columns, the way a Chinese-market printer counts
them in Chinese mode: a character that encodes to one byte takes one column
(12 dots), any multi-byte character takes two (24 dots).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import qrcode
import qrcode.constants

from printer.document import REPRINT_MARK, Document, NoticeData, TicketData

Align = Literal["left", "center", "right"]

# Kinsoku (避头): punctuation that must not start a line.
_NO_LINE_START = set("，。、；：？！）》」』】〉,.;:?!)]}%")
QR_QUIET_MODULES = 2


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    scale: int = 1  # width = height multiplier (GS !), 1..8
    align: Align = "left"
    bold: bool = False


@dataclass(frozen=True, slots=True)
class QrCode:
    payload: str
    module_dots: int


@dataclass(frozen=True, slots=True)
class Feed:
    dots: int


Block = TextLine | QrCode | Feed


@dataclass(frozen=True, slots=True)
class Page:
    columns: int
    dots: int
    encoding: str = "gb18030"

    @property
    def max_scale(self) -> int:
        # 6x on 58 mm and 8x on 80 mm keep a 4-character number on one line.
        return 6 if self.dots <= 384 else 8


def clean_text(text: str) -> str:
    """Printable text only: a control byte in a hall name must not become a command."""
    out = []
    for ch in text:
        if ch in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(ch)[0] != "C":
            out.append(ch)
    return "".join(out).strip()


def char_columns(ch: str, encoding: str) -> int:
    return 1 if len(ch.encode(encoding, errors="replace")) == 1 else 2


def text_columns(text: str, encoding: str) -> int:
    return sum(char_columns(ch, encoding) for ch in text)


def wrap(text: str, width: int, encoding: str, indent: int = 0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    Continuation lines start with ``indent`` spaces. Closing punctuation is
    never left at the start of a line: the character before it moves down too.
    """
    text = clean_text(text)
    if not text:
        return [""]
    lines: list[list[str]] = [[]]
    used = 0
    for ch in text:
        w = char_columns(ch, encoding)
        if used + w > width and lines[-1]:
            carry: list[str] = []
            current = lines[-1]
            if ch in _NO_LINE_START and len(current) > 1:
                carry.append(current.pop())
            lines.append([" "] * indent + carry)
            used = text_columns("".join(lines[-1]), encoding)
            if ch == " ":
                continue
        lines[-1].append(ch)
        used += w
    return ["".join(line).rstrip() for line in lines]


def fit_scale(text: str, page: Page, largest: int) -> int:
    """The largest size (<= ``largest``) at which ``text`` fits on one line."""
    cols = max(1, text_columns(clean_text(text), page.encoding))
    scale = min(largest, page.max_scale, page.columns // cols)
    return max(1, scale)


def qr_module_dots(payload: str, page: Page) -> int:
    """Module size so the code is about half the paper wide: big enough for phones."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    modules = code.modules_count + 2 * QR_QUIET_MODULES
    return max(2, min(8, (page.dots * 55 // 100) // modules))


def _lines(
    text: str, page: Page, scale: int = 1, align: Align = "left", bold: bool = False
) -> list[Block]:
    width = page.columns // scale
    return [TextLine(line, scale, align, bold) for line in wrap(text, width, page.encoding)]


def _rule(page: Page) -> TextLine:
    return TextLine("-" * page.columns)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _reprint_banner() -> list[Block]:
    return [TextLine(f"【{REPRINT_MARK}】", scale=2, align="center", bold=True), Feed(8)]


def layout_ticket(ticket: TicketData, page: Page) -> list[Block]:
    blocks: list[Block] = []
    if ticket.reprint:
        blocks += _reprint_banner()
    blocks += _lines(
        ticket.hall_name, page, fit_scale(ticket.hall_name, page, 2), align="center", bold=True
    )
    blocks.append(Feed(8))
    blocks += _lines(ticket.queue_name, page, fit_scale(ticket.queue_name, page, 2), align="center")
    number = clean_text(ticket.number)
    blocks.append(Feed(12))
    blocks.append(
        TextLine(number, scale=fit_scale(number, page, page.max_scale), align="center", bold=True)
    )
    blocks.append(Feed(12))
    if ticket.people_ahead == 0:
        blocks += _lines("前面无人等候，请留意叫号", page)
    else:
        blocks += _lines(f"前面还有 {ticket.people_ahead} 人等候", page)
    if ticket.people_ahead == 0:
        pass  # nobody ahead: "about 0 minutes" would only confuse
    elif ticket.wait_minutes is None:
        blocks += _lines("预计等待：暂无法估计", page)
    else:
        blocks += _lines(f"预计等待：约 {ticket.wait_minutes} 分钟", page)
    windows = "、".join(clean_text(w) for w in ticket.windows if clean_text(w))
    blocks += _lines(f"办理窗口：{windows or '请留意叫号屏'}", page)
    blocks += _lines(f"取号时间：{_stamp(ticket.issued_at)}", page)
    blocks.append(_rule(page))
    blocks.append(QrCode(ticket.status_url, qr_module_dots(ticket.status_url, page)))
    blocks.append(Feed(8))
    blocks += _lines("扫码查看排队进度", page, align="center")
    if ticket.note:
        blocks.append(Feed(8))
        blocks += _lines(ticket.note, page, align="center", bold=True)
    return blocks


def layout_notice(notice: NoticeData, page: Page) -> list[Block]:
    blocks: list[Block] = []
    if notice.reprint:
        blocks += _reprint_banner()
    if notice.hall_name:
        blocks += _lines(notice.hall_name, page, align="center")
    if notice.heading:
        blocks += _lines(notice.heading, page, align="center")
    blocks += _lines(
        notice.title, page, fit_scale(notice.title, page, 2), align="center", bold=True
    )
    blocks.append(_rule(page))
    for item in notice.lines:
        # Continuation lines are indented so numbered items stay readable.
        for line in wrap(item, page.columns, page.encoding, indent=2):
            blocks.append(TextLine(line))
    blocks.append(_rule(page))
    if notice.issued_at is not None:
        blocks += _lines(f"打印时间：{_stamp(notice.issued_at)}", page)
    if notice.footer:
        blocks += _lines(notice.footer, page, align="center")
    return blocks


def layout_document(document: Document, page: Page) -> list[Block]:
    if isinstance(document, TicketData):
        return layout_ticket(document, page)
    return layout_notice(document, page)
