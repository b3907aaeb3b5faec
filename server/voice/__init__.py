"""Offline voice announcements for calls, built from short WAV clips.

Standalone: depends on the stdlib and the espeak-ng program only, so the hub
can wire it in without this package knowing about tickets in the database.
"""

from .announce import (
    Gaps,
    clip_urls,
    expected_duration,
    render_call_wav,
    render_call_wav_async,
)
from .cli import main
from .clips import (
    CATALOGUE,
    ClipInfo,
    ClipLibrary,
    ClipSpec,
    EspeakError,
    MissingClipError,
    generate_clips,
)
from .pcm import RATE, ClipFormatError
from .sentence import (
    ALL_CLIP_NAMES,
    CALL,
    CALL_SHORT,
    RECALL,
    Phrasing,
    build_call,
    build_recall,
)

__all__ = [
    "ALL_CLIP_NAMES",
    "CALL",
    "CALL_SHORT",
    "CATALOGUE",
    "RATE",
    "RECALL",
    "ClipFormatError",
    "ClipInfo",
    "ClipLibrary",
    "ClipSpec",
    "EspeakError",
    "Gaps",
    "MissingClipError",
    "Phrasing",
    "build_call",
    "build_recall",
    "clip_urls",
    "expected_duration",
    "generate_clips",
    "main",
    "render_call_wav",
    "render_call_wav_async",
]
