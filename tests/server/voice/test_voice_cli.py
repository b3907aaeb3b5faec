"""The command line the hub's CLI delegates to, and the package's isolation."""

from __future__ import annotations

import ast
import sys
import wave
from pathlib import Path

import pytest

import server.voice
from server.voice import main
from server.voice.clips import CATALOGUE
from server.voice.sentence import build_call


def test_generate_then_say(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clips, out = tmp_path / "clips", tmp_path / "call.wav"
    names = sorted(set(build_call("B2", 10, english=False, repeat=1, chime=True)))

    assert main(["say", "B2", "10", "--clips", str(clips), "-o", str(out)]) == 1
    assert "no clip" in capsys.readouterr().err
    assert main(["generate", str(clips), "--only", *names]) == 0
    assert f"generated {len(names)} clip(s)" in capsys.readouterr().out

    assert main(["say", "B2", "10", "--clips", str(clips), "-o", str(out), "--short"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("chime qing B er hao dao shi hao chuangkou\n")
    with wave.open(str(out)) as w:
        assert w.getnframes() > w.getframerate()  # more than a second of audio


def test_say_rejects_bad_window(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "A1", "0", "--clips", str(tmp_path), "-o", str(tmp_path / "x.wav")]) == 1
    assert "window" in capsys.readouterr().err


def test_list_shows_catalogue_and_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(tmp_path), "--only", "chime"]) == 0
    capsys.readouterr()
    assert main(["list", "--clips", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CATALOGUE)
    assert lines[0] == "chime\tding-dong\tsynthesised\tgenerated"
    assert "qing\t请\tcmn-latn-pinyin: qing3\tMISSING" in lines


def test_package_imports_only_stdlib() -> None:
    """The hub wires this package in; it must not reach into server.domain,
    store, services or web (nor need any third-party library)."""
    package = Path(server.voice.__file__).parent
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                continue
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", (
                    f"{source.name} imports {module}"
                )
