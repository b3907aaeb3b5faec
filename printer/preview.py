"""Drawing what a printer would print, from the ESC/POS bytes it received.

This is the virtual printer's "print head": admin pages show its PNGs. It
interprets the commands the ticket renderer uses (Chinese mode text, sizes,
bold, alignment, feeds, GS v 0 rasters, GS ( k QR codes, cuts) and skips the
rest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw

from printer.escpos_stream import Command, parse
from printer.fonts import find_cjk_font, load_font
from printer.raster import draw_text

LINE_DOTS = 30  # default line spacing for the 24-dot font
_QR_EC = {
    0x30: qrcode.constants.ERROR_CORRECT_L,
    0x31: qrcode.constants.ERROR_CORRECT_M,
    0x32: qrcode.constants.ERROR_CORRECT_Q,
    0x33: qrcode.constants.ERROR_CORRECT_H,
}
_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


@dataclass
class _Glyph:
    char: str
    width: int  # dots
    height: int  # character height multiplier
    bold: bool


@dataclass
class _Head:
    """The print head's state while replaying a stream."""

    paper_dots: int
    font_path: Path
    encoding: str
    strips: list[Image.Image] = field(default_factory=list)
    line: list[_Glyph] = field(default_factory=list)
    align: str = "left"
    line_align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    chinese: bool = False
    qr_payload: bytes = b""
    qr_module: int = 3
    qr_ec: int = qrcode.constants.ERROR_CORRECT_L

    def reset(self) -> None:
        self.align = self.line_align = "left"
        self.width = self.height = 1
        self.bold = self.chinese = False

    def blank(self, dots: int) -> None:
        if dots > 0:
            self.strips.append(Image.new("L", (self.paper_dots, dots), 255))

    def place(self, image: Image.Image) -> None:
        strip = Image.new("L", (self.paper_dots, image.height), 255)
        x = {"left": 0, "center": (self.paper_dots - image.width) // 2}.get(
            self.align, self.paper_dots - image.width
        )
        strip.paste(image.convert("L"), (max(0, x), 0))
        self.strips.append(strip)

    def add_text(self, data: bytes) -> None:
        text = data.decode(self.encoding if self.chinese else "cp437", errors="replace")
        for char in text:
            cols = 1 if len(char.encode(self.encoding, errors="replace")) == 1 else 2
            glyph = _Glyph(char, 12 * cols * self.width, self.height, self.bold)
            if sum(g.width for g in self.line) + glyph.width > self.paper_dots:
                self.print_line()  # the printer wraps a line that is too long
            if not self.line:
                self.line_align = self.align
            self.line.append(glyph)

    def print_line(self) -> None:
        if not self.line:
            self.blank(LINE_DOTS)
            return
        tallest = max(g.height for g in self.line)
        strip = Image.new("L", (self.paper_dots, 24 * tallest + LINE_DOTS - 24), 255)
        draw = ImageDraw.Draw(strip)
        used = sum(g.width for g in self.line)
        x = {"left": 0, "center": (self.paper_dots - used) // 2}.get(
            self.line_align, self.paper_dots - used
        )
        for glyph in self.line:
            size = 24 * glyph.height
            font = load_font(self.font_path, size)
            # Characters sit on a common baseline at the bottom of the line.
            y = 24 * tallest - size
            _l, top, _r, bottom = font.getbbox("国")
            y_text = y - top + (size - (bottom - top)) / 2
            draw_text(draw, (x, y_text), glyph.char, font, glyph.height if glyph.bold else 0)
            x += glyph.width
        self.strips.append(strip)
        self.line = []

    def raster(self, command: Command) -> None:
        x_bytes = command.args[1] | command.args[2] << 8
        rows = command.args[3] | command.args[4] << 8
        if not x_bytes or not rows:
            return
        bits = Image.frombytes("1", (x_bytes * 8, rows), command.data)
        # In GS v 0 a set bit is a black dot; in a PIL "1" image it is white.
        self.place(bits.point(lambda v: 255 - v))

    def qr(self, command: Command) -> None:
        if len(command.data) < 2 or command.data[0] != 0x31:
            return
        fn = command.data[1]
        if fn == 67 and len(command.data) > 2:
            self.qr_module = command.data[2]
        elif fn == 69 and len(command.data) > 2:
            self.qr_ec = _QR_EC.get(command.data[2], qrcode.constants.ERROR_CORRECT_L)
        elif fn == 80:
            self.qr_payload = command.data[3:]
        elif fn == 81 and self.qr_payload:
            code = qrcode.QRCode(error_correction=self.qr_ec, box_size=self.qr_module, border=0)
            code.add_data(self.qr_payload)
            code.make(fit=True)
            self.place(code.make_image().get_image())

    def cut(self) -> None:
        if self.line:
            self.print_line()
        strip = Image.new("L", (self.paper_dots, 9), 255)
        draw = ImageDraw.Draw(strip)
        for x in range(0, self.paper_dots, 12):
            draw.line([(x, 4), (x + 6, 4)], fill=128)
        self.strips.append(strip)


def _run(head: _Head, command: Command) -> None:
    name, args = command.name, command.args
    if name == "text":
        head.add_text(command.data)
    elif name == "LF":
        head.print_line()
    elif name == "ESC @":
        head.reset()
    elif name == "ESC a":
        head.align = _ALIGN.get(args[0], "left")
    elif name == "ESC E":
        head.bold = bool(args[0] & 1)
    elif name == "ESC !":
        head.bold = bool(args[0] & 0x08)
        head.height = 2 if args[0] & 0x10 else 1
        head.width = 2 if args[0] & 0x20 else 1
    elif name == "GS !":
        head.width = (args[0] >> 4 & 7) + 1
        head.height = (args[0] & 7) + 1
    elif name == "FS &":
        head.chinese = True
    elif name == "FS .":
        head.chinese = False
    elif name == "ESC J":
        if head.line:
            head.print_line()
        head.blank(args[0])
    elif name == "ESC d":
        if head.line:
            head.print_line()
        head.blank(args[0] * LINE_DOTS)
    elif name == "GS v 0":
        head.raster(command)
    elif name == "GS ( k":
        head.qr(command)
    elif name == "GS V":
        head.cut()


def render_escpos_to_png(
    data: bytes, paper_dots: int, *, encoding: str = "gb18030", font_path: Path | None = None
) -> bytes:
    """A PNG, ``paper_dots`` wide, of what ``data`` would print (cuts drawn dashed)."""
    head = _Head(paper_dots=paper_dots, font_path=find_cjk_font(font_path), encoding=encoding)
    for command in parse(data):
        _run(head, command)
    if head.line:
        head.print_line()
    height = max(1, sum(s.height for s in head.strips))
    page = Image.new("L", (paper_dots, height), 255)
    top = 0
    for strip in head.strips:
        page.paste(strip, (0, top))
        top += strip.height
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=True)
    return out.getvalue()
