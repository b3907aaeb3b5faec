"""WAV helpers for the voice tests (a uniquely named module: conftest
modules of other test folders may shadow a plain ``import conftest``)."""

from __future__ import annotations

import math
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

WavWriter = Callable[..., Path]


def write_raw_wav(path: Path, frames: bytes, *, rate: int, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def int16_frames(samples: Sequence[int]) -> bytes:
    return b"".join(int(s).to_bytes(2, "little", signed=True) for s in samples)


def square(n: int, amplitude: int = 8000, period: int = 50) -> list[int]:
    """A loud square wave: every sample is above the trim threshold, so
    trimming leaves it whole and durations can be checked to the frame."""
    return [amplitude if (i // (period // 2)) % 2 == 0 else -amplitude for i in range(n)]


def sine(freq: float, n: int, rate: int, amplitude: float) -> list[float]:
    return [amplitude * math.sin(2 * math.pi * freq * i / rate) for i in range(n)]
