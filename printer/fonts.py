"""Finding a CJK font for image mode and for the virtual printer's preview.

Fonts are looked up at run time: the configured path first, then the
``HALL_CJK_FONT`` environment variable, then the usual Debian locations.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from PIL import ImageFont

FONT_ENV = "HALL_CJK_FONT"

FALLBACK_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

# In a collection, prefer the simplified-Chinese monospaced face: its Latin
# glyphs are half as wide as its ideographs, the same grid as the printer's
# own 12 x 24 font A, so image mode wraps lines exactly like text mode.
_PREFERRED_FACES = ("Mono CJK SC", "CJK SC", "Micro Hei", "Zen Hei")


class FontNotFoundError(RuntimeError):
    """No usable CJK font: image mode and previews cannot draw Chinese."""


def candidate_paths(configured: Path | None = None) -> list[Path]:
    paths: list[Path] = []
    if configured is not None:
        paths.append(configured)
    env = os.environ.get(FONT_ENV)
    if env:
        paths.append(Path(env))
    paths.extend(Path(p) for p in FALLBACK_FONTS)
    return paths


def find_cjk_font(configured: Path | None = None) -> Path:
    """The first existing font of the lookup order; a configured path must exist."""
    if configured is not None and not configured.is_file():
        raise FontNotFoundError(f"configured font_path does not exist: {configured}")
    for path in candidate_paths(configured):
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in candidate_paths(configured))
    raise FontNotFoundError(
        f"no CJK font found (tried {tried}); install fonts-noto-cjk or set font_path"
    )


@functools.lru_cache(maxsize=16)
def _face_index(path: Path) -> int:
    names: list[str] = []
    for index in range(32):
        try:
            font = ImageFont.truetype(str(path), 24, index=index)
        except OSError:
            break
        family, _style = font.getname()
        names.append(family or "")
    for wanted in _PREFERRED_FACES:
        for index, name in enumerate(names):
            if wanted in name:
                return index
    return 0


@functools.lru_cache(maxsize=64)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font face at ``size`` pixels; cached because collections are large."""
    return ImageFont.truetype(str(path), size, index=_face_index(path))
