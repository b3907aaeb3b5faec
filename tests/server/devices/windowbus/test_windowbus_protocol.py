"""Code tables, typed uplink events and downlink builders."""

from __future__ import annotations

import pytest

from server.devices.windowbus.codec import encode_frame, parse_frame
from server.devices.windowbus.protocol import (
    BLANK,
    DeviceKind,
    Function,
    HelloEvent,
    KeyCommand,
    KeyEvent,
    ProtocolError,
    RatingEvent,
    RatingLevel,
    RatingReason,
    beep,
    decode_uplink,
    display,
    hello_frame,
    key_frame,
    rate_start,
    rate_stop,
    rating_frame,
    ticket_digits,
    waiting_digits,
)


def uplink(raw: bytes) -> object:
    return decode_uplink(parse_frame(raw))


@pytest.mark.parametrize(
    ("data", "command"),
    [
        (b"\x0c", KeyCommand.CALL_NEXT),
        (b"\x0d", KeyCommand.RECALL),
        (b"\x0b", KeyCommand.REQUEST_RATING),
        (b"\x0e", None),
        (b"\x0f", None),
        (b"\x06\x0f", KeyCommand.NO_SHOW),
        (b"\x00\x0f", KeyCommand.HOLD),
        (b"\x03\x0f", KeyCommand.CALL_BACK),
        (b"\x05\x0f", None),
        (b"\x12", KeyCommand.PAUSE_TOGGLE),
        (b"\x13", KeyCommand.TRANSFER_BACK),
        (b"\x04\x0c", KeyCommand.CALL_NEXT),
    ],
)
def test_keys(data: bytes, command: KeyCommand | None) -> None:
    event = uplink(encode_frame(9, Function.KEY, data))
    assert isinstance(event, KeyEvent)
    assert event.command == command


@pytest.mark.parametrize("data", [b"", b"\x01\x02\x0c", b"\x20", b"\x06\x21"])
def test_bad_keys(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        uplink(encode_frame(9, Function.KEY, data))


def test_ratings() -> None:
    assert uplink(rating_frame(2, 5)) == RatingEvent(RatingLevel.VERY_SATISFIED, None)
    assert uplink(rating_frame(2, 1, 4)) == RatingEvent(
        RatingLevel.VERY_DISSATISFIED, RatingReason.REPEAT_TRIPS
    )
    # A reason sent with a good level, or an unknown reason, is dropped; the level stays.
    assert uplink(rating_frame(2, 4, 1)) == RatingEvent(RatingLevel.SATISFIED, None)
    assert uplink(rating_frame(2, 2, 9)) == RatingEvent(RatingLevel.DISSATISFIED, None)
    for bad in (b"\x00", b"\x06", b"", b"\x01\x01\x01"):
        with pytest.raises(ProtocolError):
            uplink(encode_frame(2, Function.RATING, bad))


def test_level_and_reason_names() -> None:
    assert RatingLevel(5).zh == "非常满意" and RatingLevel(1).en == "very dissatisfied"
    assert [lvl.negative for lvl in RatingLevel] == [True, True, False, False, False]
    assert RatingReason(3).zh == "办事指南/材料" and RatingReason(6).en == "other"


def test_hello() -> None:
    assert uplink(hello_frame(4, DeviceKind.RATING_PAD, 7)) == HelloEvent(DeviceKind.RATING_PAD, 7)
    with pytest.raises(ProtocolError):
        uplink(encode_frame(4, Function.HELLO, b"\x03\x01"))


def test_downlink_is_not_an_uplink() -> None:
    with pytest.raises(ProtocolError):
        uplink(beep(1))


@pytest.mark.parametrize(
    ("ticket", "digits"),
    [
        ("A012", [0, 1, 2]),
        ("B1234", [2, 3, 4]),
        ("7", [BLANK, BLANK, 7]),
        ("A07", [BLANK, 0, 7]),
        (None, [BLANK] * 3),
        ("VIP", [BLANK] * 3),
        ("０１２", [BLANK] * 3),  # only ASCII digits count
    ],
)
def test_ticket_digits(ticket: str | None, digits: list[int]) -> None:
    assert list(ticket_digits(ticket)) == digits


def test_waiting_digits() -> None:
    assert list(waiting_digits(0)) == [0, 0, 0]
    assert list(waiting_digits(42)) == [0, 4, 2]
    assert list(waiting_digits(1500)) == [9, 9, 9]  # saturates instead of wrapping
    with pytest.raises(ValueError):
        waiting_digits(-1)


def test_downlink_frames_byte_for_byte() -> None:
    # DISPLAY to address 1: waiting 012, ticket A345
    assert display(1, 12, "A345") == bytes.fromhex("ff 68 08 08 68 01 02 00 01 02 03 04 05 12 16")
    assert beep(1) == bytes.fromhex("ff 68 02 02 68 01 03 04 16")
    assert rate_start(2, "A345") == bytes.fromhex("ff 68 05 05 68 02 05 03 04 05 13 16")
    assert rate_stop(2) == bytes.fromhex("ff 68 02 02 68 02 06 08 16")
    assert key_frame(1, 0x0F, 6) == bytes.fromhex("ff 68 04 04 68 01 01 06 0f 17 16")
