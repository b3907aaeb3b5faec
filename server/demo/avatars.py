"""The demo clerks' photos (亮牌): the given name's first character on a coloured disc,
drawn at load time (no image files shipped). A machine without a CJK font gets the
staff number instead."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

from printer.fonts import FontNotFoundError, find_cjk_font, load_font

SIZE = 240
# Deep enough for white text to read at WCAG AA on the rating tablet.
COLOURS = ((11, 87, 208), (27, 127, 59), (164, 22, 26), (106, 27, 154), (0, 105, 120), (178, 80, 0))


def avatar_png(name: str, staff_no: str) -> bytes:
    """A PNG of SIZE x SIZE: a disc coloured by the staff number, the name's initial."""
    colour = COLOURS[hashlib.sha256(staff_no.encode()).digest()[0] % len(COLOURS)]
    image = Image.new("RGB", (SIZE, SIZE), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=colour)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = load_font(find_cjk_font(), 120)
        text = name[1:2] or name[:1] if len(name) > 1 else name
    except FontNotFoundError:
        font, text = ImageFont.load_default(), staff_no
    draw.text((SIZE / 2, SIZE / 2), text, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
