"""The virtual printer's drawing of received ESC/POS bytes."""

from __future__ import annotations

import io

import pytest
import qrcode
import qrcode.constants
from escpos_reader import Raster, qr_matrix_in
from PIL import Image, ImageChops

from printer.commands import CommandWriter
from printer.config import PrinterConfig
from printer.document import TicketData
from printer.preview import render_escpos_to_png
from printer.render import render_document


def png(data: bytes, dots: int) -> Image.Image:
    image = Image.open(io.BytesIO(render_escpos_to_png(data, dots)))
    assert image.format == "PNG" and image.width == dots
    return image.convert("L")


def ink(image: Image.Image) -> int:
    return sum(1 for v in image.tobytes() if v < 100)


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    box = image.point(lambda v: 255 if v < 100 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box


def as_raster(image: Image.Image) -> Raster:
    """The picture as GS v 0 bits (black = set), for the reader's QR check."""
    bits = image.point(lambda v: 0 if v < 100 else 255).convert("1")
    inverted = Image.eval(bits, lambda v: 255 - v).convert("1")
    return Raster(image.width, image.height, inverted.tobytes())


@pytest.mark.parametrize(("paper", "dots"), [(58, 384), (80, 576)])
def test_text_and_image_mode_look_the_same(ticket: TicketData, paper: int, dots: int) -> None:
    # Image mode draws with the printer's font-A grid, so the virtual printer's
    # drawing of a text-mode ticket and of an image-mode one nearly coincide.
    text = png(
        render_document(ticket, PrinterConfig(id="P", driver="virtual", paper_width=paper)), dots
    )
    image = png(
        render_document(
            ticket, PrinterConfig(id="P", driver="virtual", paper_width=paper, mode="image")
        ),
        dots,
    )
    assert text.size == image.size
    differing = ink(ImageChops.invert(ImageChops.difference(text, image)))
    assert ink(text) > 20_000
    assert differing < ink(text) / 100


def test_native_qr_is_drawn_as_the_right_symbol() -> None:
    writer = CommandWriter(384)
    writer.initialize()
    writer.align("center")
    writer.native_qr("http://127.0.0.1:8000/t/abc", 6)
    writer.cut()
    image = png(writer.output, 384)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data("http://127.0.0.1:8000/t/abc")
    code.make(fit=True)
    assert qr_matrix_in(as_raster(image), code.get_matrix())
    # Centred, as ESC a 1 asked.
    left, _top, right, _bottom = ink_box(image)
    assert right - left == 6 * len(code.get_matrix())
    assert abs(left - (384 - (right - left)) // 2) <= 1


def test_sizes_alignment_and_raster() -> None:
    writer = CommandWriter(384)
    writer.initialize()
    writer.align("right")
    writer.style(1)
    writer.chinese_line("中")
    writer.style(3)
    writer.chinese_line("中")
    block = Image.new("L", (16, 16), 0)
    writer.align("left")
    writer.raster(block)
    image = png(writer.output, 384)
    rows = [y for y in range(image.height) if image.getpixel((5, y)) < 100]
    # The raster block is at the left edge, below both lines of text.
    assert rows and rows[0] >= 30 + 78
    # Right-aligned text ends at the right edge; the 3x glyph is 3x as tall.
    first = ink_box(image.crop((0, 0, 384, 30)))
    second = ink_box(image.crop((0, 30, 384, 108)))
    assert first[2] > 370 and second[2] > 370
    assert 2.5 < (second[3] - second[1]) / (first[3] - first[1]) < 3.5
