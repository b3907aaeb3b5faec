"""Finding a CJK font at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from printer.fonts import (
    FALLBACK_FONTS,
    FontNotFoundError,
    candidate_paths,
    find_cjk_font,
    load_font,
)


def test_configured_font_must_exist(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="font_path"):
        find_cjk_font(tmp_path / "missing.ttc")


def test_lookup_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HALL_CJK_FONT", str(tmp_path / "env.ttc"))
    paths = candidate_paths(Path("/x/configured.ttc"))
    assert paths[:2] == [Path("/x/configured.ttc"), tmp_path / "env.ttc"]
    assert paths[2:] == [Path(p) for p in FALLBACK_FONTS]


def test_a_font_is_installed_and_draws_chinese() -> None:
    path = find_cjk_font()
    font = load_font(path, 24)
    # The simplified-Chinese monospaced face: Latin is half as wide as Chinese.
    assert font.getlength("国") == 24
    assert font.getlength("A") == 12


def test_no_font_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HALL_CJK_FONT", raising=False)
    monkeypatch.setattr("printer.fonts.FALLBACK_FONTS", ("/nope/a.ttc",))
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        find_cjk_font()
