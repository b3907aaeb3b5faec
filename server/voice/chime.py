"""Clips made in Python rather than spoken: the ding-dong chime and a pause.

The chime is synthesised so that a hall has one out of the box with no
recording licence to worry about; a hall may still override it.
"""

from __future__ import annotations

from array import array

from . import pcm

#: Ding (G5) then dong (E5): the falling major third halls are used to.
DING_HZ = 784.0
DONG_HZ = 659.3
DING_MS = 380
DONG_MS = 620
PAUSE_MS = 400


def _bell(freq: float, ms: float) -> list[float]:
    """A sine with a quiet octave partial, a fast attack and an exponential decay.

    The 8 ms attack and the linear fade over the last 30 ms avoid clicks at
    either end; the decay makes it sound struck rather than beeped.
    """
    base = pcm.tone(freq, ms, amplitude=0.45, decay=3.0)
    octave = pcm.tone(freq * 2, ms, amplitude=0.12, decay=6.0)
    n = len(base)
    attack = pcm.ms_to_frames(8)
    release = pcm.ms_to_frames(30)
    out = []
    for i in range(n):
        gain = min(1.0, i / attack, (n - 1 - i) / release)
        out.append((base[i] + octave[i]) * gain)
    return out


def chime() -> array:
    return pcm.from_floats(_bell(DING_HZ, DING_MS) + _bell(DONG_HZ, DONG_MS))


def pause() -> array:
    return pcm.silence(PAUSE_MS)
