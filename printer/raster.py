"""Image mode: text lines drawn with a CJK font into black-and-white rasters.

Used for printers without a Chinese font. Sizes follow the printer's own
font A grid (24 dots per line at 1x, 24*n at n-times size) so a ticket looks
the same in both modes.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from printer.fonts import load_font
from printer.layout import QR_QUIET_MODULES, Feed, TextLine

BASE_DOTS = 24
LINE_GAP_DOTS = 6  # font A's 24 dots plus the usual 6-dot gap = 30-dot lines
_THRESHOLD = 128


def _line_height(line: TextLine) -> int:
    return BASE_DOTS * line.scale + LINE_GAP_DOTS


def _draw_line(
    draw: ImageDraw.ImageDraw, line: TextLine, top: int, width: int, font_path: Path
) -> None:
    size = BASE_DOTS * line.scale
    font = load_font(font_path, size)
    text_width = font.getlength(line.text)
    if line.align == "center":
        x = (width - text_width) / 2
    elif line.align == "right":
        x = width - text_width
    else:
        x = 0
    # Place the ideograph box (not the font's ascent) inside the line's cell,
    # so Chinese text sits where the printer's own font would put it.
    _left, glyph_top, _right, glyph_bottom = font.getbbox("国")
    y = top - glyph_top + (size - (glyph_bottom - glyph_top)) / 2
    draw_text(draw, (max(0.0, x), y), line.text, font, line.scale if line.bold else 0)


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    bold_dots: int = 0,
) -> None:
    """Black text; bold the way a print head does it, by printing each dot
    again ``bold_dots`` to the right (a stroke outline fills small glyphs in)."""
    for shift in range(bold_dots + 1):
        draw.text((xy[0] + shift, xy[1]), text, font=font, fill=0)


def render_lines(blocks: list[TextLine | Feed], width: int, font_path: Path) -> Image.Image:
    """One grayscale image (0 = ink) holding the lines and feeds in order."""
    height = sum(_line_height(b) if isinstance(b, TextLine) else b.dots for b in blocks)
    image = Image.new("L", (width, max(1, height)), 255)
    draw = ImageDraw.Draw(image)
    top = 0
    for block in blocks:
        if isinstance(block, Feed):
            top += block.dots
            continue
        if block.text:
            _draw_line(draw, block, top, width, font_path)
        top += _line_height(block)
    # Hard threshold: dithered anti-aliasing prints as grey speckles.
    return image.point(lambda v: 0 if v < _THRESHOLD else 255)


def qr_image(payload: str, module_dots: int, width: int) -> Image.Image:
    """A QR code (error correction M) centred on a paper-wide white strip."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=module_dots,
        border=QR_QUIET_MODULES,
    )
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    side = len(matrix) * module_dots
    symbol = Image.new("L", (len(matrix), len(matrix)), 255)
    symbol.putdata([0 if cell else 255 for row in matrix for cell in row])
    symbol = symbol.resize((side, side), Image.Resampling.NEAREST)
    strip = Image.new("L", (width, side), 255)
    strip.paste(symbol, ((width - side) // 2, 0))
    return strip
