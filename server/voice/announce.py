"""Render an announcement: clips joined with short silences into one WAV.

Everything here is blocking but thread-safe, so the hub can run it with
``asyncio.to_thread`` (see :func:`render_call_wav_async`) and never stall the
event loop on file I/O or sample arithmetic.
"""

from __future__ import annotations

import asyncio
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from . import pcm
from .clips import ClipLibrary, clip_url
from .lru import LruCache
from .sentence import CHIME

#: Gap between two words: short enough to sound like one sentence, long enough
#: that separately recorded clips do not smear into each other.
WORD_GAP_MS = 80
#: Gap after the chime so the first word is not masked by its ring.
CHIME_GAP_MS = 300


@dataclass(frozen=True)
class Gaps:
    word_ms: int = WORD_GAP_MS
    chime_ms: int = CHIME_GAP_MS


DEFAULT_GAPS = Gaps()

# A hall calls the same few windows over and over; the rendered bytes for
# recent (clip files, gaps) combinations are kept. ~64 calls of ~6 s at
# 44 KB/s is about 17 MB at most.
_renders: LruCache[bytes] = LruCache(64)


def render_samples(
    library: ClipLibrary, clip_names: Sequence[str], gaps: Gaps = DEFAULT_GAPS
) -> array:
    """Normalised samples of the whole announcement (no caching)."""
    if not clip_names:
        raise ValueError("nothing to announce")
    parts: list[array] = []
    for i, name in enumerate(clip_names):
        parts.append(library.load(name))
        if i < len(clip_names) - 1:
            parts.append(pcm.silence(gaps.chime_ms if name == CHIME else gaps.word_ms))
    return pcm.concat(parts)


def render_call_wav(
    library: ClipLibrary, clip_names: Sequence[str], gaps: Gaps = DEFAULT_GAPS
) -> bytes:
    """One WAV (16-bit mono PCM, pcm.RATE Hz) of the clips in order.

    Cached by the identity of every clip file, so replacing an override
    file takes effect on the next call. Raises MissingClipError if a clip
    has no file.
    """
    names = tuple(clip_names)
    key = (tuple(library.stamp(n) for n in names), gaps)
    return _renders.get_or_make(key, lambda: pcm.to_wav_bytes(render_samples(library, names, gaps)))


async def render_call_wav_async(
    library: ClipLibrary, clip_names: Sequence[str], gaps: Gaps = DEFAULT_GAPS
) -> bytes:
    return await asyncio.to_thread(render_call_wav, library, tuple(clip_names), gaps)


def expected_duration(
    library: ClipLibrary, clip_names: Sequence[str], gaps: Gaps = DEFAULT_GAPS
) -> float:
    """Seconds the rendered announcement lasts; lets a board time its display."""
    frames = sum(len(library.load(n)) for n in clip_names)
    for name in clip_names[:-1]:
        frames += pcm.ms_to_frames(gaps.chime_ms if name == CHIME else gaps.word_ms)
    return frames / pcm.RATE


def clip_urls(clip_names: Sequence[str], base_url: str = "/voice/clips") -> list[str]:
    """The per-clip URLs of a call, in play order, for boards that play clips
    themselves or for a test page listing what a call requests."""
    return [clip_url(n, base_url) for n in clip_names]


def clear_cache() -> None:
    _renders.clear()


def cache_info() -> tuple[int, int, int]:
    """(hits, misses, size) of the render cache."""
    return _renders.hits, _renders.misses, len(_renders)
