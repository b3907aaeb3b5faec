"""A small, strict ESC/POS reader for the tests.

It knows only the commands a ticket job may contain and fails on anything
else, so a stray byte in the printed stream fails a test. It is written
separately from the printer package's own stream parser on purpose: the
tests must not read the output with the code that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


@dataclass
class Line:
    text: str
    width: int
    height: int
    bold: bool
    align: str
    # Every non-ASCII character of the line was sent inside FS & ... FS .
    chinese_mode: bool


@dataclass
class Raster:
    width: int  # dots
    height: int
    data: bytes  # GS v 0 rows, 1 bit per dot, set = black

    def dot(self, x: int, y: int) -> bool:
        row = self.width // 8
        return bool(self.data[y * row + x // 8] & (0x80 >> (x % 8)))


@dataclass
class Printout:
    lines: list[Line] = field(default_factory=list)
    rasters: list[Raster] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    qr_module: int = 0
    qr_ec: int = -1
    cuts: int = 0
    initialized: bool = False
    after_cut: list[str] = field(default_factory=list)  # commands seen after the cut
    order: list[str] = field(default_factory=list)  # "text", "raster", "qr", "cut"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def find(self, needle: str) -> Line:
        for line in self.lines:
            if needle in line.text:
                return line
        raise AssertionError(f"{needle!r} not printed; lines: {[x.text for x in self.lines]}")


class ReadError(AssertionError):
    pass


def read_escpos(data: bytes, encoding: str = "gb18030") -> Printout:
    out = Printout()
    width = height = 1
    bold = chinese = False
    align = "left"
    pending = bytearray()
    pending_ascii_only = True
    line_chinese_ok = True
    qr_stored = b""
    i = 0

    def need(n: int) -> bytes:
        if i + n > len(data):
            raise ReadError(f"command at {i} cut short")
        return data[i : i + n]

    def end_line() -> None:
        nonlocal pending, pending_ascii_only, line_chinese_ok
        text = bytes(pending).decode(encoding)
        out.lines.append(Line(text, width, height, bold, align, line_chinese_ok))
        out.order.append("text")
        pending = bytearray()
        pending_ascii_only = True
        line_chinese_ok = True

    while i < len(data):
        b = data[i]
        if out.cuts and b not in (0x1D, 0x10):
            out.after_cut.append(f"{b:02x}")
        if b == 0x0A:
            end_line()
            i += 1
        elif b >= 0x20:
            start = i
            while i < len(data) and data[i] >= 0x20:
                i += 1
            chunk = data[start:i]
            if any(c >= 0x80 for c in chunk):
                pending_ascii_only = False
                if not chinese:
                    line_chinese_ok = False
            pending += chunk
        elif b == 0x1B:
            cmd = need(2)[1]
            if cmd == ord("@"):
                out.initialized = True
                width = height = 1
                bold = chinese = False
                align = "left"
                i += 2
            elif cmd == ord("a"):
                align = ALIGNS[need(3)[2]]
                i += 3
            elif cmd == ord("E"):
                bold = bool(need(3)[2] & 1)
                i += 3
            elif cmd == ord("!"):
                n = need(3)[2]
                bold = bool(n & 0x08)
                height = 2 if n & 0x10 else 1
                width = 2 if n & 0x20 else 1
                i += 3
            elif cmd in (ord("J"), ord("d")):
                i += 3
            else:
                raise ReadError(f"unexpected ESC {cmd:#x} at {i}")
        elif b == 0x1C:
            cmd = need(2)[1]
            if cmd == ord("&"):
                chinese = True
            elif cmd == ord("."):
                chinese = False
            else:
                raise ReadError(f"unexpected FS {cmd:#x} at {i}")
            i += 2
        elif b == 0x1D:
            cmd = need(2)[1]
            if cmd == ord("!"):
                n = need(3)[2]
                width, height = (n >> 4) + 1, (n & 0x0F) + 1
                i += 3
            elif cmd == ord("v"):
                head = need(8)
                if head[2] != 0x30:
                    raise ReadError("GS v needs '0'")
                x_bytes = head[4] | head[5] << 8
                rows = head[6] | head[7] << 8
                body = need(8 + x_bytes * rows)[8:]
                out.rasters.append(Raster(x_bytes * 8, rows, body))
                out.order.append("raster")
                i += 8 + x_bytes * rows
            elif cmd == ord("("):
                head = need(5)
                if head[2] != ord("k"):
                    raise ReadError(f"unexpected GS ( {chr(head[2])}")
                size = head[3] | head[4] << 8
                body = need(5 + size)[5:]
                cn, fn = body[0], body[1]
                if cn != 0x31:
                    raise ReadError("2D code other than QR")
                if fn == 67:
                    out.qr_module = body[2]
                elif fn == 69:
                    out.qr_ec = body[2] - 0x30
                elif fn == 80:
                    qr_stored = body[3:]
                elif fn == 81:
                    out.qr_payloads.append(qr_stored.decode("utf-8"))
                    out.order.append("qr")
                i += 5 + size
            elif cmd == ord("V"):
                m = need(3)[2]
                i += 4 if m in (65, 66) else 3
                out.cuts += 1
                out.order.append("cut")
            elif cmd in (ord("r"), ord("a")):
                i += 3
            else:
                raise ReadError(f"unexpected GS {cmd:#x} at {i}")
        elif b == 0x10:
            if need(3)[1] != 0x04:
                raise ReadError("unexpected DLE command")
            i += 3
        else:
            raise ReadError(f"unexpected control byte {b:#x} at {i}")
    if pending:
        raise ReadError(f"text not ended by LF: {bytes(pending)!r}")
    return out


def columns(line: Line, encoding: str = "gb18030") -> int:
    """Font-A columns the line takes on paper (multi-byte characters are double)."""
    single = sum(1 if len(ch.encode(encoding)) == 1 else 2 for ch in line.text)
    return single * line.width


def qr_matrix_in(raster: Raster, expected: list[list[bool]]) -> bool:
    """Whether ``raster`` shows the QR symbol ``expected`` (module grid without quiet zone)."""
    black = [(x, y) for y in range(raster.height) for x in range(raster.width) if raster.dot(x, y)]
    if not black:
        return False
    left = min(x for x, _ in black)
    right = max(x for x, _ in black)
    top = min(y for _, y in black)
    size = len(expected)
    module = (right - left + 1) / size
    for row in range(size):
        for col in range(size):
            x = int(left + (col + 0.5) * module)
            y = int(top + (row + 0.5) * module)
            if raster.dot(x, y) != expected[row][col]:
                return False
    return True


def stacked(rasters: list[Raster]) -> Raster:
    """Bands of one image (sent as several GS v 0 commands) put back together."""
    if len({r.width for r in rasters}) != 1:
        raise ReadError("bands of different widths")
    return Raster(
        rasters[0].width, sum(r.height for r in rasters), b"".join(r.data for r in rasters)
    )
