"""Clip catalogue, generation with the real espeak-ng, and override resolution."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import pytest
from voice_wavs import WavWriter, sine, square, write_raw_wav

from server.voice import pcm
from server.voice.clips import (
    CATALOGUE,
    VOICES,
    ClipLibrary,
    EspeakError,
    MissingClipError,
    espeak_command,
    generate_clips,
)
from server.voice.sentence import ALL_CLIP_NAMES


def test_catalogue_covers_every_sentence_word() -> None:
    assert list(CATALOGUE) == list(ALL_CLIP_NAMES)
    for spec in CATALOGUE.values():
        assert (spec.synth is None) == (spec.text is not None), spec.name


def test_espeak_voices_and_command(tmp_path: Path) -> None:
    out = tmp_path / "qing.wav"
    cmd = espeak_command(CATALOGUE["qing"], out)
    # cmn would read "qing3" with an English "three"; the pinyin voice is required.
    assert cmd[:3] == ["espeak-ng", "-v", "cmn-latn-pinyin"]
    assert cmd[cmd.index("-w") + 1] == str(out)
    assert cmd[-1] == "qing3"
    assert espeak_command(CATALOGUE["A"], out)[2] == VOICES["en"] == "en"
    assert espeak_command(CATALOGUE["en_window"], out)[-1] == "window"
    with pytest.raises(ValueError):
        espeak_command(CATALOGUE["chime"], out)


def test_generated_clips_are_normalised_speech(generated_dir: Path) -> None:
    for name in ("qing", "A", "chuangkou"):
        path = generated_dir / f"{name}.wav"
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, pcm.RATE)
            frames = w.getnframes()
        seconds = frames / pcm.RATE
        assert 0.15 < seconds < 1.5, (name, seconds)
        samples = pcm.read_wav(path)
        assert max(abs(s) for s in samples) > 3000, f"{name} is silent"
        # espeak-ng pads ~0.4 s of silence at the end; generation trims it.
        assert pcm.trim_silence(samples) == samples
    assert len(pcm.read_wav(generated_dir / "pause.wav")) == pcm.ms_to_frames(400)


def test_generation_skips_existing_and_can_overwrite(tmp_path: Path) -> None:
    assert generate_clips(tmp_path, ["hao", "chime"]) == ["hao", "chime"]
    hao = tmp_path / "hao.wav"
    os.utime(hao, ns=(1, 1))
    assert generate_clips(tmp_path, ["hao", "chime"]) == []
    assert hao.stat().st_mtime_ns == 1
    assert generate_clips(tmp_path, ["hao"], overwrite=True) == ["hao"]
    assert hao.stat().st_mtime_ns != 1
    # Only clip files are left behind, no espeak temporaries.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chime.wav", "hao.wav"]


def test_generation_rejects_unknown_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="guitai"):
        generate_clips(tmp_path, ["qing", "guitai"])
    assert list(tmp_path.iterdir()) == []


def test_missing_or_failing_espeak(tmp_path: Path) -> None:
    with pytest.raises(EspeakError, match="not found"):
        generate_clips(tmp_path, ["qing"], executable=str(tmp_path / "no-espeak"))
    with pytest.raises(EspeakError, match="failed"):
        generate_clips(tmp_path, ["qing"], executable="false")
    # Synthesised clips need no espeak at all.
    assert generate_clips(tmp_path, ["chime"], executable="false") == ["chime"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chime.wav"]


def test_override_wins(generated_dir: Path, tmp_path: Path, write_mono16: WavWriter) -> None:
    overrides = tmp_path / "overrides"
    own = square(4410)
    write_mono16("qing", own, overrides)
    lib = ClipLibrary(generated_dir, overrides)

    assert lib.path("qing") == overrides / "qing.wav"
    assert lib.source("qing") == "override"
    assert list(lib.load("qing")) == own
    assert lib.path("hao") == generated_dir / "hao.wav"
    assert lib.source("hao") == "generated"


def test_override_name_ignores_case(
    generated_dir: Path, tmp_path: Path, write_mono16: WavWriter
) -> None:
    overrides = tmp_path / "overrides"
    path = write_mono16("a", square(100), overrides)
    path.rename(overrides / "a.WAV")
    lib = ClipLibrary(generated_dir, overrides)
    assert lib.path("A") == overrides / "a.WAV"
    assert lib.source("A") == "override"


def test_missing_override_folder_is_fine(generated_dir: Path, tmp_path: Path) -> None:
    lib = ClipLibrary(generated_dir, tmp_path / "not-made-yet")
    assert lib.source("qing") == "generated"


def test_missing_and_bad_names(generated_dir: Path) -> None:
    lib = ClipLibrary(generated_dir)
    with pytest.raises(MissingClipError, match="en_window"):
        lib.path("en_window")
    assert lib.source("en_window") is None
    assert "en_window" in lib.missing()
    assert "qing" not in lib.missing()
    for bad in ("../qing", "qing.wav", "", "a/b", "请"):
        with pytest.raises(ValueError):
            lib.resolve(bad)


def test_override_in_another_format_is_normalised(generated_dir: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    rate = 44100
    tone = sine(500, rate // 2, rate, 90)  # half a second, 8-bit scale
    frames = bytes(v for s in tone for v in (round(128 + s), round(128 + s)))
    write_raw_wav(overrides / "hao.wav", frames, rate=rate, width=1, channels=2)

    samples = ClipLibrary(generated_dir, overrides).load("hao")

    # Trimmed only by the sub-threshold samples at the sine's ends.
    assert len(samples) == pytest.approx(pcm.RATE // 2, abs=40)
    assert max(samples) > 20000


def test_replaced_override_is_picked_up(
    generated_dir: Path, tmp_path: Path, write_mono16: WavWriter
) -> None:
    overrides = tmp_path / "overrides"
    lib = ClipLibrary(generated_dir, overrides)
    generated = list(lib.load("dao"))
    write_mono16("dao", square(1000), overrides)
    assert len(lib.load("dao")) == 1000
    write_mono16("dao", square(2000), overrides)
    assert len(lib.load("dao")) == 2000
    (overrides / "dao.wav").unlink()
    assert list(lib.load("dao")) == generated


def test_describe_lists_sources_and_urls(generated_dir: Path, tmp_path: Path) -> None:
    lib = ClipLibrary(generated_dir, tmp_path)
    (tmp_path / "hao.wav").write_bytes(pcm.to_wav_bytes(pcm.silence(10)))
    info = [i.as_dict() for i in lib.describe(["qing", "hao", "en_five"], base_url="/v/")]
    assert info == [
        {"name": "qing", "url": "/v/qing.wav", "source": "generated"},
        {"name": "hao", "url": "/v/hao.wav", "source": "override"},
        {"name": "en_five", "url": "/v/en_five.wav", "source": None},
    ]
