"""Recognising retransmissions.

A device that missed our ack sends the identical frame again after 300 ms, up to 3
more times, so copies arrive up to about 1 s after the first. The contract: an
identical frame from the same address within 1.5 s of one the hub acted on is a
retransmission; it is acknowledged again but not acted on again.
"""

from __future__ import annotations

from .codec import Frame

RETRANSMISSION_WINDOW = 1.5


class RetransmissionFilter:
    def __init__(self, window: float = RETRANSMISSION_WINDOW) -> None:
        self.window = window
        # Raw frame (which includes the address) -> when we acted on it. Several are
        # remembered so that a late copy of an older press is still recognised after a
        # different press from the same device.
        self._acted: dict[bytes, float] = {}

    def is_retransmission(self, frame: Frame, now: float) -> bool:
        """True for a copy of a frame acted on within the window; otherwise records the
        frame as acted on now and returns False."""
        self._forget_before(now - self.window)
        if frame.raw in self._acted:
            return True
        self._acted[frame.raw] = now
        return False

    def _forget_before(self, cutoff: float) -> None:
        # Insertion order is time order, so stale entries are at the front.
        for raw, when in list(self._acted.items()):
            if when >= cutoff:
                break
            del self._acted[raw]

    def clear(self) -> None:
        self._acted.clear()
