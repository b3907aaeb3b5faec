"""WAV reading, format normalisation and writing, with the stdlib only.

Every clip is brought to one format (16-bit signed mono PCM at ``RATE``) so
that clips from espeak-ng and a hall's own recordings can simply be appended.
``audioop`` would do this but is deprecated (and removed in 3.13), so the
conversions are written out here on ``array`` objects; clips are short (< 2 s)
and results are cached by the library, so plain Python is fast enough.
"""

from __future__ import annotations

import io
import math
import os
import sys
import tempfile
import wave
from array import array
from collections.abc import Iterable
from pathlib import Path

RATE = 22050
SAMPLE_WIDTH = 2
CHANNELS = 1
_MAX = 32767
_MIN = -32768

Samples = array  # array("h"): mono int16 at RATE


class ClipFormatError(ValueError):
    """A WAV file this module cannot decode (e.g. float or compressed)."""


def read_wav(source: str | os.PathLike[str] | bytes) -> array:
    """Decode a PCM WAV file (8/16/24/32-bit, any rate, any channel count)
    into normalised samples."""
    try:
        with wave.open(io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source)) as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        # wave in 3.11 rejects WAVE_FORMAT_EXTENSIBLE and IEEE float files.
        raise ClipFormatError(
            f"{_label(source)}: not a PCM WAV file ({exc}); save it as 16-bit PCM WAV"
        ) from exc
    if rate <= 0 or channels <= 0:
        raise ClipFormatError(f"{_label(source)}: bad header ({channels} ch, {rate} Hz)")
    samples = _decode(raw, width)
    return resample(to_mono(samples, channels), rate, RATE)


def _label(source: str | os.PathLike[str] | bytes) -> str:
    return "<bytes>" if isinstance(source, bytes) else os.fspath(source)


def _decode(raw: bytes, width: int) -> array:
    """Interleaved frames -> int16 samples (still interleaved)."""
    if width == 1:
        # 8-bit WAV is unsigned with 128 as silence.
        return array("h", ((b - 128) << 8 for b in raw))
    if width == 2:
        out = array("h")
        out.frombytes(raw[: len(raw) - len(raw) % 2])
        if sys.byteorder == "big":  # WAV is little-endian
            out.byteswap()
        return out
    if width == 3:
        # No array type for 24-bit: keep the top two bytes of each sample.
        n = len(raw) // 3
        top = bytearray(2 * n)
        top[0::2] = raw[1 : 3 * n : 3]
        top[1::2] = raw[2 : 3 * n : 3]
        out = array("h")
        out.frombytes(top)
        if sys.byteorder == "big":
            out.byteswap()
        return out
    if width == 4:
        wide = array("i")
        if wide.itemsize != 4:  # pragma: no cover - exotic platform
            raise ClipFormatError("32-bit WAV needs a 4-byte C int")
        wide.frombytes(raw[: len(raw) - len(raw) % 4])
        if sys.byteorder == "big":
            wide.byteswap()
        return array("h", (s >> 16 for s in wide))
    raise ClipFormatError(f"unsupported sample width {width * 8} bits")


def to_mono(samples: array, channels: int) -> array:
    """Average interleaved channels into one."""
    if channels == 1:
        return samples
    frames = len(samples) // channels
    return array(
        "h",
        (sum(samples[f * channels : (f + 1) * channels]) // channels for f in range(frames)),
    )


def resample(samples: array, src_rate: int, dst_rate: int = RATE) -> array:
    """Linear-interpolation resampling.

    When going down in rate, a moving average over the rate ratio is applied
    first: a crude low-pass, but it keeps 44.1/48 kHz recordings from folding
    their highs back into the speech band as audible hiss.
    """
    if src_rate == dst_rate or not samples:
        return samples
    src: list[float] | array = samples
    if src_rate > dst_rate:
        width = max(1, round(src_rate / dst_rate))
        if width > 1:
            src = _moving_average(samples, width)
    n_out = max(1, int(len(src) * dst_rate / src_rate))
    step = src_rate / dst_rate
    last = len(src) - 1
    out = array("h", bytes(2 * n_out))
    for j in range(n_out):
        pos = j * step
        i = int(pos)
        if i >= last:
            out[j] = _clip(src[last])
            continue
        frac = pos - i
        out[j] = _clip(src[i] + (src[i + 1] - src[i]) * frac)
    return out


def _moving_average(samples: array, width: int) -> list[float]:
    out: list[float] = []
    acc = 0
    for i, s in enumerate(samples):
        acc += s
        if i >= width:
            acc -= samples[i - width]
        out.append(acc / min(i + 1, width))
    return out


def _clip(v: float) -> int:
    return max(_MIN, min(_MAX, round(v)))


def trim_silence(
    samples: array, *, threshold: int = 330, lead_ms: int = 15, tail_ms: int = 40
) -> array:
    """Drop leading/trailing near-silence, keeping a small margin.

    espeak-ng pads each word with ~0.4 s of silence and hall recordings have
    whatever the recorder left; without trimming the gaps between words would
    be uneven and far longer than intended. ``threshold`` 330 is about -40 dBFS,
    above a typical recording's noise floor. An all-quiet clip is returned
    unchanged (it may be a deliberate pause).
    """
    first = next((i for i, s in enumerate(samples) if abs(s) > threshold), None)
    if first is None:
        return samples
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold)
    start = max(0, first - ms_to_frames(lead_ms))
    end = min(len(samples), last + 1 + ms_to_frames(tail_ms))
    return samples[start:end]


def ms_to_frames(ms: float) -> int:
    return round(RATE * ms / 1000)


def silence(ms: float) -> array:
    return array("h", bytes(2 * ms_to_frames(ms)))


def duration(samples: array) -> float:
    return len(samples) / RATE


def concat(parts: Iterable[array]) -> array:
    out = array("h")
    for p in parts:
        out.extend(p)
    return out


def to_wav_bytes(samples: array) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(RATE)
        data = samples
        if sys.byteorder == "big":
            data = array("h", samples)
            data.byteswap()
        w.writeframes(data.tobytes())
    return buf.getvalue()


def write_wav(path: Path, samples: array) -> None:
    """Write atomically so a reader (the hub serving clips) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(to_wav_bytes(samples))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tone(freq: float, ms: float, *, amplitude: float = 0.5, decay: float = 0.0) -> list[float]:
    """A sine as floats in -1..1, optionally with exponential decay (per second)."""
    n = ms_to_frames(ms)
    w = 2 * math.pi * freq / RATE
    return [amplitude * math.sin(w * i) * math.exp(-decay * i / RATE) for i in range(n)]


def from_floats(values: Iterable[float]) -> array:
    return array("h", (_clip(v * _MAX) for v in values))
