"""Telling retransmissions from new presses."""

from __future__ import annotations

from server.devices.windowbus.codec import parse_frame
from server.devices.windowbus.dedup import RetransmissionFilter
from server.devices.windowbus.protocol import Key, key_frame

CALL = parse_frame(key_frame(1, Key.CALL))
RECALL = parse_frame(key_frame(1, Key.RECALL))
CALL_OTHER_DEVICE = parse_frame(key_frame(3, Key.CALL))


def test_copies_within_the_window_are_retransmissions() -> None:
    f = RetransmissionFilter()
    assert not f.is_retransmission(CALL, 0.0)
    # Device retries at 0.3, 0.6, 0.9 s; all are copies of the one press.
    assert all(f.is_retransmission(CALL, t) for t in (0.3, 0.6, 0.9, 1.5))


def test_same_key_after_the_window_is_a_new_press() -> None:
    f = RetransmissionFilter()
    assert not f.is_retransmission(CALL, 0.0)
    assert f.is_retransmission(CALL, 1.4)
    # Measured from the press acted on, not from its latest copy.
    assert not f.is_retransmission(CALL, 1.6)


def test_different_presses_back_to_back_are_each_events() -> None:
    f = RetransmissionFilter()
    assert not f.is_retransmission(CALL, 0.0)
    assert not f.is_retransmission(RECALL, 0.01)
    assert not f.is_retransmission(CALL_OTHER_DEVICE, 0.02)
    # A late copy of the first press, arriving after the second, is still a copy.
    assert f.is_retransmission(CALL, 0.3)
