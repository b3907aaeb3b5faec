"""Rendering a call: concatenation, gaps, chime, cache, async use."""

from __future__ import annotations

import asyncio
import io
import itertools
import wave
from array import array
from pathlib import Path

import pytest
from voice_wavs import WavWriter, square

from server.voice import pcm
from server.voice.announce import (
    CHIME_GAP_MS,
    WORD_GAP_MS,
    Gaps,
    cache_info,
    clear_cache,
    clip_urls,
    expected_duration,
    render_call_wav,
    render_call_wav_async,
    render_samples,
)
from server.voice.chime import DING_HZ, DING_MS, DONG_HZ, chime
from server.voice.clips import ClipLibrary, MissingClipError
from server.voice.sentence import build_call


def decode(data: bytes) -> tuple[tuple[int, int, int], array]:
    """(channels, sample width, rate) and the samples of a WAV."""
    with wave.open(io.BytesIO(data)) as w:
        params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
        samples = array("h", w.readframes(w.getnframes()))
    return params, samples


@pytest.fixture
def square_lib(tmp_path: Path, write_mono16: WavWriter) -> ClipLibrary:
    """Clips of exact, known lengths: chime 1000, qing 2000, hao 3000 frames."""
    gen = tmp_path / "gen"
    for name, n in (("chime", 1000), ("qing", 2000), ("hao", 3000)):
        write_mono16(name, square(n), gen)
    clear_cache()
    return ClipLibrary(gen, tmp_path / "overrides")


def test_concatenation_with_gaps(square_lib: ClipLibrary) -> None:
    params, samples = decode(render_call_wav(square_lib, ["chime", "qing", "hao", "qing"]))

    assert params == (1, 2, pcm.RATE)
    chime_gap, word_gap = pcm.ms_to_frames(CHIME_GAP_MS), pcm.ms_to_frames(WORD_GAP_MS)
    layout = [1000, chime_gap, 2000, word_gap, 3000, word_gap, 2000]
    assert len(samples) == sum(layout)
    # Sound where clips are, exact silence where gaps are.
    offsets = list(itertools.accumulate([0, *layout]))
    for i, (start, end) in enumerate(itertools.pairwise(offsets)):
        chunk = samples[start:end]
        assert (set(chunk) == {0}) == (i % 2 == 1), f"part {i}"
    assert expected_duration(square_lib, ["chime", "qing", "hao", "qing"]) == pytest.approx(
        sum(layout) / pcm.RATE
    )


def test_custom_gaps(square_lib: ClipLibrary) -> None:
    gaps = Gaps(word_ms=0, chime_ms=100)
    samples = render_samples(square_lib, ["chime", "qing", "hao"], gaps)
    assert len(samples) == 1000 + pcm.ms_to_frames(100) + 2000 + 3000


def test_cache_hits_and_notices_replaced_clip(
    square_lib: ClipLibrary, tmp_path: Path, write_mono16: WavWriter
) -> None:
    first = render_call_wav(square_lib, ["qing", "hao"])
    assert render_call_wav(square_lib, ["qing", "hao"]) is first
    hits, misses, size = cache_info()
    assert (hits, misses, size) == (1, 1, 1)

    write_mono16("hao", square(500), tmp_path / "overrides")
    changed = render_call_wav(square_lib, ["qing", "hao"])
    assert len(decode(changed)[1]) == 2000 + pcm.ms_to_frames(WORD_GAP_MS) + 500


def test_missing_clip_and_empty_call(square_lib: ClipLibrary) -> None:
    with pytest.raises(MissingClipError):
        render_call_wav(square_lib, ["qing", "banli"])
    with pytest.raises(ValueError):
        render_call_wav(square_lib, [])


def test_async_render_matches_sync(square_lib: ClipLibrary) -> None:
    names = ["chime", "hao", "qing"]

    async def both() -> list[bytes]:
        # Several at once, as concurrent calls from different windows would.
        return await asyncio.gather(*(render_call_wav_async(square_lib, names) for _ in range(4)))

    results = asyncio.run(both())
    assert all(r == render_call_wav(square_lib, names) for r in results)


def test_chime_is_two_tones_without_clicks() -> None:
    samples = chime()
    assert len(samples) == pcm.ms_to_frames(1000)
    assert 8000 < max(abs(s) for s in samples) < 32767
    # Starts and ends at (near) zero: no click at either end.
    assert abs(samples[0]) < 300
    assert abs(samples[-1]) < 300
    ding = samples[pcm.ms_to_frames(20) : pcm.ms_to_frames(DING_MS - 40)]
    dong = samples[pcm.ms_to_frames(DING_MS + 20) : pcm.ms_to_frames(DING_MS + 300)]
    assert dominant_hz(ding) == pytest.approx(DING_HZ, rel=0.03)
    assert dominant_hz(dong) == pytest.approx(DONG_HZ, rel=0.03)


def dominant_hz(samples: array) -> float:
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / pcm.RATE)


def test_real_call_from_generated_clips(generated_dir: Path) -> None:
    """End to end with espeak-ng clips: 请 A1 号 到 5 号窗口办理."""
    names = build_call("A1", 5, english=False, repeat=1)
    assert names == ["chime", "qing", "A", "yi", "hao", "dao", "wu", "hao", "chuangkou", "banli"]
    lib = ClipLibrary(generated_dir)
    clear_cache()

    params, samples = decode(render_call_wav(lib, names))

    assert params == (1, 2, pcm.RATE)
    clip_frames = 0
    for name in names:
        with wave.open(str(generated_dir / f"{name}.wav")) as w:
            clip_frames += w.getnframes()
    gaps = pcm.ms_to_frames(CHIME_GAP_MS) + (len(names) - 2) * pcm.ms_to_frames(WORD_GAP_MS)
    assert len(samples) / pcm.RATE == pytest.approx((clip_frames + gaps) / pcm.RATE, abs=0.05)
    assert len(samples) / pcm.RATE == pytest.approx(expected_duration(lib, names))
    # Some real speech after the chime and its gap.
    after_chime = samples[pcm.ms_to_frames(1000 + CHIME_GAP_MS) :]
    assert max(abs(s) for s in after_chime) > 3000


def test_clip_urls_in_play_order() -> None:
    names = build_call("A1", 5, english=False, repeat=1)
    assert clip_urls(names)[:3] == [
        "/voice/clips/chime.wav",
        "/voice/clips/qing.wav",
        "/voice/clips/A.wav",
    ]
    assert clip_urls(["hao", "hao"], "http://hub:8000/audio/") == [
        "http://hub:8000/audio/hao.wav",
        "http://hub:8000/audio/hao.wav",
    ]
