"""Format normalisation written without audioop: decode, downmix, resample, trim."""

from __future__ import annotations

import itertools
import struct
import wave
from array import array
from pathlib import Path

import pytest
from voice_wavs import int16_frames, sine, square, write_raw_wav

from server.voice import pcm


def zero_crossings_per_second(samples: array, rate: int = pcm.RATE) -> float:
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / rate)


def test_native_format_passes_through(tmp_path: Path) -> None:
    src = square(2205)
    path = write_raw_wav(tmp_path / "a.wav", int16_frames(src), rate=22050, width=2, channels=1)
    assert list(pcm.read_wav(path)) == src


def test_8bit_stereo_44k_is_converted(tmp_path: Path) -> None:
    rate, n = 44100, 44100  # one second
    tone = sine(440, n, rate, 100)
    # 8-bit WAV is unsigned around 128; same tone on both channels.
    frames = bytes(v for s in tone for v in (round(128 + s), round(128 + s)))
    path = write_raw_wav(tmp_path / "hall.wav", frames, rate=rate, width=1, channels=2)

    out = pcm.read_wav(path)

    assert len(out) == pytest.approx(pcm.RATE, abs=2)
    assert zero_crossings_per_second(out) == pytest.approx(440, rel=0.02)
    # 100/128 of full scale in 8 bits is about 25600 in 16 bits, a little
    # less after the anti-alias averaging.
    assert 22000 < max(out) < 26000
    assert -26000 < min(out) < -22000


def test_stereo_channels_are_averaged(tmp_path: Path) -> None:
    # Left +72, right -72 (around 128): mono must be silence, not the left channel.
    frames = bytes([200, 56] * 1000)
    path = write_raw_wav(tmp_path / "lr.wav", frames, rate=22050, width=1, channels=2)
    out = pcm.read_wav(path)
    assert len(out) == 1000
    assert set(out) == {0}


def test_24_and_32_bit(tmp_path: Path) -> None:
    values = [0, 1 << 22, -(1 << 22), (1 << 23) - 1, -(1 << 23)]
    frames24 = b"".join(v.to_bytes(3, "little", signed=True) for v in values)
    p24 = write_raw_wav(tmp_path / "24.wav", frames24, rate=22050, width=3, channels=1)
    assert list(pcm.read_wav(p24)) == [0, 1 << 14, -(1 << 14), 32767, -32768]

    frames32 = b"".join((v << 8).to_bytes(4, "little", signed=True) for v in values)
    p32 = write_raw_wav(tmp_path / "32.wav", frames32, rate=22050, width=4, channels=1)
    assert list(pcm.read_wav(p32)) == [0, 1 << 14, -(1 << 14), 32767, -32768]


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 44100, 48000])
def test_resample_keeps_duration_and_pitch(tmp_path: Path, rate: int) -> None:
    tone = [round(s) for s in sine(300, rate // 2, rate, 12000)]  # half a second
    path = write_raw_wav(tmp_path / "r.wav", int16_frames(tone), rate=rate, width=2, channels=1)
    out = pcm.read_wav(path)
    assert len(out) == pytest.approx(pcm.RATE / 2, abs=2)
    assert zero_crossings_per_second(out) == pytest.approx(300, rel=0.02)


def test_downsampling_damps_tones_above_the_new_nyquist(tmp_path: Path) -> None:
    # 16 kHz cannot exist at 22050 Hz; plain decimation would fold it to a
    # loud 6 kHz whistle. The averaging filter must at least halve it.
    rate, amplitude = 44100, 20000
    tone = [round(s) for s in sine(16000, rate // 4, rate, amplitude)]
    path = write_raw_wav(tmp_path / "hi.wav", int16_frames(tone), rate=rate, width=2, channels=1)
    out = pcm.read_wav(path)
    assert max(abs(s) for s in out) < amplitude / 2


def test_trim_silence_keeps_margins() -> None:
    lead, body, tail = pcm.silence(500), array("h", square(1000)), pcm.silence(700)
    trimmed = pcm.trim_silence(pcm.concat([lead, body, tail]))
    expected = len(body) + pcm.ms_to_frames(15) + pcm.ms_to_frames(40)
    assert len(trimmed) == expected
    assert trimmed[pcm.ms_to_frames(15)] != 0


def test_trim_leaves_quiet_clip_alone() -> None:
    quiet = array("h", [0, 5, -5, 0] * 100)
    assert pcm.trim_silence(quiet) == quiet


def test_wav_bytes_round_trip(tmp_path: Path) -> None:
    samples = array("h", square(3000))
    data = pcm.to_wav_bytes(samples)
    with wave.open(str(_save(tmp_path / "rt.wav", data))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, pcm.RATE)
        assert w.getnframes() == 3000
    assert pcm.read_wav(data) == samples


def test_write_wav_is_atomic_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "x.wav"
    pcm.write_wav(target, array("h", square(100)))
    assert [p.name for p in target.parent.iterdir()] == ["x.wav"]


def test_not_a_wav_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(pcm.ClipFormatError, match="16-bit PCM"):
        pcm.read_wav(bad)


def test_float_wav_is_a_clear_error(tmp_path: Path) -> None:
    # IEEE float (format 3), as some recorders write; the stdlib cannot read it.
    data = struct.pack("<4f", 0.0, 0.5, -0.5, 0.0)
    fmt = struct.pack("<HHIIHH", 3, 1, 22050, 22050 * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    path = _save(tmp_path / "float.wav", b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(pcm.ClipFormatError):
        pcm.read_wav(path)


def _save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
