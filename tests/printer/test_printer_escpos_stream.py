"""The command splitter used by the emulated printers."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from printer.config import PrinterConfig
from printer.document import TicketData
from printer.escpos_stream import CommandStream, parse
from printer.render import render_document


def test_known_commands() -> None:
    data = b"\x1b@\x1ba\x01\x1d!\x11\x1c&\xd6\xd0\x1c.\n\x10\x04\x04\x1dr\x01\x1dV\x00"
    names = [c.name for c in parse(data)]
    assert names == [
        "ESC @",
        "ESC a",
        "GS !",
        "FS &",
        "text",
        "FS .",
        "LF",
        "DLE 04",
        "GS r",
        "GS V",
    ]
    assert parse(data)[4].data == "中".encode("gb18030")


def test_raster_and_qr_lengths() -> None:
    raster = b"\x1dv0\x00\x02\x00\x02\x00" + b"\xff\x00\x0f\xf0"
    qr = b"\x1d(k\x07\x001P0abcd"
    commands = parse(raster + qr + b"\x1dVB\x00")
    assert [c.name for c in commands] == ["GS v 0", "GS ( k", "GS V"]
    assert commands[0].data == b"\xff\x00\x0f\xf0"
    assert commands[1].data == b"1P0abcd"


def test_truncated_command_is_reported() -> None:
    assert parse(b"\x1dv0\x00\x02\x00\x02\x00\xff")[-1].name == "truncated"


# An image-mode ticket has every kind of command: text setup, rasters, QR, cut.
TICKET = render_document(
    TicketData("大厅", "综合", "A1", 1, 2, ("1号",), datetime(2026, 1, 1), "http://x/t/1"),
    PrinterConfig(id="P", driver="virtual", paper_width=58, mode="image"),
)


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(TICKET)), max_size=12))
def test_any_split_gives_the_same_commands(cuts: list[int]) -> None:
    stream = CommandStream()
    got = []
    last = 0
    for cut in sorted(set(cuts)):
        got += stream.feed(TICKET[last:cut])
        last = cut
    got += stream.feed(TICKET[last:]) + stream.flush()
    assert [c.raw for c in got] == [c.raw for c in parse(TICKET)]
    assert b"".join(c.raw for c in got) == TICKET
