"""ESC/POS command bytes and a writer that collects one document's bytes.

python-escpos's ``Dummy`` printer builds the raster image, native QR, cut and
alignment bytes. Text is NOT sent through its text shortcut: that one sends
GB18030 without ever switching the printer into Chinese mode, and turns
Chinese punctuation on its own into ``???``. Each text line is written here
as ``FS &`` + bytes in the printer's encoding + ``FS .``.
"""

from __future__ import annotations

from typing import Literal

from escpos.capabilities import Profile
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
LF = b"\n"

INITIALIZE = ESC + b"@"
CHINESE_MODE_ON = FS + b"&"
CHINESE_MODE_OFF = FS + b"."
# Automatic status back off: unsolicited 4-byte status blocks would be mixed
# with the answers we wait for.
ASB_OFF = GS + b"a\x00"
# GS r 1: the printer answers only after it has processed every byte sent
# before it, cut included; that answer is our proof the job was printed.
PAPER_SENSOR_REQUEST = GS + b"r\x01"

STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_PAPER = 4

# Raster bands: cheap printers have small receive buffers and some misprint
# GS v 0 images taller than this in one command.
RASTER_BAND_DOTS = 128

Align = Literal["left", "center", "right"]


def status_request(n: int) -> bytes:
    """DLE EOT n: a real-time status query, answered even while the printer is busy."""
    return DLE + b"\x04" + bytes([n])


def _profile(paper_dots: int) -> Profile:
    profile = Profile(
        features={
            "bitImageRaster": True,
            "qrCode": True,
            "paperFullCut": True,
            "paperPartCut": True,
        }
    )
    # Per-instance media data; image() needs the paper width to check sizes.
    profile.profile_data = {
        **profile.profile_data,
        "media": {"dpi": 203, "width": {"mm": "Unknown", "pixels": paper_dots}},
    }
    return profile


class CommandWriter:
    """Appends commands for one document and hands back the bytes."""

    def __init__(self, paper_dots: int, encoding: str = "gb18030") -> None:
        self.paper_dots = paper_dots
        self.encoding = encoding
        self._dummy = Dummy(profile=_profile(paper_dots))

    def raw(self, data: bytes) -> None:
        self._dummy._raw(data)

    def initialize(self) -> None:
        self.raw(INITIALIZE)

    def align(self, align: Align) -> None:
        self._dummy.set(align=align)

    def style(self, scale: int = 1, bold: bool = False) -> None:
        # GS ! sizes both half-width and Chinese characters; ESC E emboldens both.
        self._dummy.set(custom_size=True, width=scale, height=scale, bold=bold)

    def chinese_line(self, text: str) -> None:
        if text:
            encoded = text.encode(self.encoding, errors="replace")
            self.raw(CHINESE_MODE_ON + encoded + CHINESE_MODE_OFF)
        self.raw(LF)

    def feed_dots(self, dots: int) -> None:
        while dots > 0:
            step = min(dots, 255)
            self.raw(ESC + b"J" + bytes([step]))
            dots -= step

    def raster(self, image: Image.Image) -> None:
        """GS v 0 bands; ``image`` is black-on-white, at most paper wide."""
        self._dummy.image(
            image, impl="bitImageRaster", fragment_height=RASTER_BAND_DOTS, center=False
        )

    def native_qr(self, payload: str, module_dots: int) -> None:
        self._dummy.qr(payload, ec=QR_ECLEVEL_M, size=module_dots, native=True)

    def cut(self) -> None:
        # ESC d 6 then GS V 0: feed the last line past the cutter, then full cut.
        self._dummy.cut(mode="FULL", feed=True)

    @property
    def output(self) -> bytes:
        return self._dummy.output
