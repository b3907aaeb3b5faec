"""Fixtures shared by the voice tests: WAV writers and a small generated clip set."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

# The suite imports test modules by path (--import-mode=importlib): make the shared
# WAV helpers importable by name for this folder's modules.
sys.path.insert(0, str(Path(__file__).parent))

from voice_wavs import WavWriter, int16_frames, write_raw_wav

from server.voice.clips import generate_clips

#: A handful of real clips, enough for one short call, so espeak-ng runs
#: for well under a second in total.
SUBSET = ("chime", "pause", "qing", "A", "yi", "hao", "dao", "wu", "chuangkou", "banli")


@pytest.fixture
def write_mono16(tmp_path: Path) -> WavWriter:
    """Write int16 samples as a 22050 Hz mono 16-bit WAV (the native format)."""

    def write(name: str, samples: Sequence[int], folder: Path | None = None) -> Path:
        folder = folder or tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        return write_raw_wav(
            folder / f"{name}.wav", int16_frames(samples), rate=22050, width=2, channels=1
        )

    return write


@pytest.fixture(scope="session")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    made = generate_clips(folder, SUBSET)
    assert sorted(made) == sorted(SUBSET)
    return folder
