"""Meaning of the window-bus frames: code tables, typed uplink events, downlink builders.

Everything here is a table looked up by code, so adding a key or a reason is one
line, and the tables double as the documentation of the device contract.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from .codec import Frame, encode_frame


class ProtocolError(ValueError):
    """A well-framed uplink whose content is not in the contract."""


class Function(IntEnum):
    KEY = 0x01
    DISPLAY = 0x02
    BEEP = 0x03
    RATE_START = 0x05
    RATE_STOP = 0x06
    HELLO = 0x10
    RATING = 0x11


UPLINK_FUNCTIONS = frozenset({Function.KEY, Function.HELLO, Function.RATING})
DOWNLINK_FUNCTIONS = frozenset(
    {Function.DISPLAY, Function.BEEP, Function.RATE_START, Function.RATE_STOP}
)


class DeviceKind(IntEnum):
    KEYPAD = 0x01  # 呼叫器, used by the clerk
    RATING_PAD = 0x02  # 评价器, faces the citizen

    @property
    def config_name(self) -> str:
        return DEVICE_KIND_NAMES[self]


DEVICE_KIND_NAMES: Mapping[DeviceKind, str] = MappingProxyType(
    {DeviceKind.KEYPAD: "keypad", DeviceKind.RATING_PAD: "rating_pad"}
)
DEVICE_KINDS_BY_NAME: Mapping[str, DeviceKind] = MappingProxyType(
    {name: kind for kind, name in DEVICE_KIND_NAMES.items()}
)


class Key(IntEnum):
    REQUEST_RATING = 0x0B  # 评价
    CALL = 0x0C  # 呼叫
    RECALL = 0x0D  # 重呼
    CANCEL = 0x0E  # 取消
    CONFIRM = 0x0F  # 确认, combined with the digit typed before it
    PAUSE = 0x12  # 暂停
    TRANSFER = 0x13  # 转移


class KeyCommand(StrEnum):
    """What the clerk asked for; the same commands the clerk's screen sends."""

    CALL_NEXT = "call_next"
    RECALL = "recall"
    REQUEST_RATING = "request_rating"
    NO_SHOW = "no_show"
    HOLD = "hold"
    CALL_BACK = "call_back"
    PAUSE_TOGGLE = "pause_toggle"
    TRANSFER_BACK = "transfer_back"


# A key on its own. None marks keys the hub acknowledges but ignores.
KEY_COMMANDS: Mapping[int, KeyCommand | None] = MappingProxyType(
    {
        Key.CALL: KeyCommand.CALL_NEXT,
        Key.RECALL: KeyCommand.RECALL,
        Key.REQUEST_RATING: KeyCommand.REQUEST_RATING,
        Key.CANCEL: None,
        Key.CONFIRM: None,  # confirm without a digit has nothing to confirm
        Key.PAUSE: KeyCommand.PAUSE_TOGGLE,
        Key.TRANSFER: KeyCommand.TRANSFER_BACK,
    }
)

# Digit typed before CONFIRM.
CONFIRM_COMMANDS: Mapping[int, KeyCommand] = MappingProxyType(
    {
        0x06: KeyCommand.NO_SHOW,  # 弃号
        0x00: KeyCommand.HOLD,  # 挂起
        0x03: KeyCommand.CALL_BACK,  # 回呼
    }
)


class RatingLevel(IntEnum):
    """The five national 好差评 levels."""

    VERY_DISSATISFIED = 1
    DISSATISFIED = 2
    BASICALLY_SATISFIED = 3
    SATISFIED = 4
    VERY_SATISFIED = 5

    @property
    def zh(self) -> str:
        return RATING_LEVEL_NAMES[self][0]

    @property
    def en(self) -> str:
        return RATING_LEVEL_NAMES[self][1]

    @property
    def negative(self) -> bool:
        """A 差评, which the hall must follow up."""
        return self in NEGATIVE_LEVELS


RATING_LEVEL_NAMES: Mapping[RatingLevel, tuple[str, str]] = MappingProxyType(
    {
        RatingLevel.VERY_SATISFIED: ("非常满意", "very satisfied"),
        RatingLevel.SATISFIED: ("满意", "satisfied"),
        RatingLevel.BASICALLY_SATISFIED: ("基本满意", "basically satisfied"),
        RatingLevel.DISSATISFIED: ("不满意", "dissatisfied"),
        RatingLevel.VERY_DISSATISFIED: ("非常不满意", "very dissatisfied"),
    }
)
NEGATIVE_LEVELS = frozenset({RatingLevel.VERY_DISSATISFIED, RatingLevel.DISSATISFIED})


class RatingReason(IntEnum):
    ATTITUDE = 1
    EFFICIENCY = 2
    GUIDE_OR_MATERIALS = 3
    REPEAT_TRIPS = 4
    NOT_FINISHED_IN_TIME = 5
    OTHER = 6

    @property
    def zh(self) -> str:
        return RATING_REASON_NAMES[self][0]

    @property
    def en(self) -> str:
        return RATING_REASON_NAMES[self][1]


RATING_REASON_NAMES: Mapping[RatingReason, tuple[str, str]] = MappingProxyType(
    {
        RatingReason.ATTITUDE: ("服务态度", "attitude"),
        RatingReason.EFFICIENCY: ("办事效率", "efficiency"),
        RatingReason.GUIDE_OR_MATERIALS: ("办事指南/材料", "guide or materials"),
        RatingReason.REPEAT_TRIPS: ("多次跑动", "repeat trips"),
        RatingReason.NOT_FINISHED_IN_TIME: ("超时未办结", "not finished in time"),
        RatingReason.OTHER: ("其他", "other"),
    }
)


@dataclass(frozen=True, slots=True)
class KeyEvent:
    key: int
    digit: int | None
    command: KeyCommand | None  # None: acknowledged, then ignored


@dataclass(frozen=True, slots=True)
class RatingEvent:
    level: RatingLevel
    reason: RatingReason | None


@dataclass(frozen=True, slots=True)
class HelloEvent:
    kind: DeviceKind
    firmware: int


UplinkEvent = KeyEvent | RatingEvent | HelloEvent


def decode_key(data: bytes) -> KeyEvent:
    if len(data) == 1:
        digit, key = None, data[0]
    elif len(data) == 2:
        digit, key = data[0], data[1]
    else:
        raise ProtocolError(f"KEY carries {len(data)} bytes, expected 1 or 2")
    if key not in KEY_COMMANDS:
        raise ProtocolError(f"unknown key code {key:02X}")
    if key == Key.CONFIRM and digit is not None:
        return KeyEvent(key, digit, CONFIRM_COMMANDS.get(digit))
    # A digit typed before any other key has no meaning in the contract; the key wins.
    return KeyEvent(key, digit, KEY_COMMANDS[key])


def decode_rating(data: bytes) -> RatingEvent:
    if len(data) not in (1, 2):
        raise ProtocolError(f"RATING carries {len(data)} bytes, expected 1 or 2")
    try:
        level = RatingLevel(data[0])
    except ValueError:
        raise ProtocolError(f"rating level {data[0]:02X} is outside 1..5") from None
    # The level is what the citizen chose; a reason that should not be there (with a
    # good level) or is not in the table is dropped rather than losing the rating.
    reason = None
    if len(data) == 2 and level.negative and data[1] in RATING_REASON_NAMES:
        reason = RatingReason(data[1])
    return RatingEvent(level, reason)


def decode_hello(data: bytes) -> HelloEvent:
    if len(data) != 2:
        raise ProtocolError(f"HELLO carries {len(data)} bytes, expected 2")
    try:
        kind = DeviceKind(data[0])
    except ValueError:
        raise ProtocolError(f"unknown device kind {data[0]:02X}") from None
    return HelloEvent(kind, data[1])


UPLINK_DECODERS: Mapping[int, Callable[[bytes], UplinkEvent]] = MappingProxyType(
    {Function.KEY: decode_key, Function.RATING: decode_rating, Function.HELLO: decode_hello}
)

# Which device kind may send which uplink; anything else is a wiring or config mistake.
UPLINK_SENDERS: Mapping[int, frozenset[DeviceKind]] = MappingProxyType(
    {
        Function.KEY: frozenset({DeviceKind.KEYPAD}),
        Function.RATING: frozenset({DeviceKind.RATING_PAD}),
        Function.HELLO: frozenset(DeviceKind),
    }
)


def decode_uplink(frame: Frame) -> UplinkEvent:
    decoder = UPLINK_DECODERS.get(frame.function)
    if decoder is None:
        raise ProtocolError(f"function {frame.function:02X} is not an uplink")
    return decoder(frame.data)


# --- downlink -------------------------------------------------------------------

BLANK = 0x0A  # digit position left dark
MAX_WAITING = 999


def ticket_digits(ticket_number: str | None) -> bytes:
    """Last three ASCII digits of a ticket number such as ``A012``, blank-padded on the
    left when it has fewer; all blank for no ticket."""
    digits = [ord(c) - 0x30 for c in ticket_number or "" if "0" <= c <= "9"][-3:]
    return bytes([BLANK] * (3 - len(digits)) + digits)


def waiting_digits(waiting: int) -> bytes:
    """Three digits 000-999; a longer queue shows 999 rather than wrapping."""
    if waiting < 0:
        raise ValueError(f"waiting count {waiting} is negative")
    return bytes(int(c) for c in f"{min(waiting, MAX_WAITING):03d}")


def display(address: int, waiting: int, ticket_number: str | None) -> bytes:
    return encode_frame(
        address, Function.DISPLAY, waiting_digits(waiting) + ticket_digits(ticket_number)
    )


def beep(address: int) -> bytes:
    return encode_frame(address, Function.BEEP)


def rate_start(address: int, ticket_number: str | None) -> bytes:
    return encode_frame(address, Function.RATE_START, ticket_digits(ticket_number))


def rate_stop(address: int) -> bytes:
    return encode_frame(address, Function.RATE_STOP)


def render_digits(digits: bytes) -> str:
    """Human view of display digits, blanks as spaces (for logs and the simulator)."""
    return "".join(" " if d == BLANK else str(d) if d <= 9 else "?" for d in digits)


# Uplink builders, used by the simulator and the tests.


def key_frame(address: int, key: int, digit: int | None = None) -> bytes:
    data = bytes([key]) if digit is None else bytes([digit, key])
    return encode_frame(address, Function.KEY, data)


def rating_frame(address: int, level: int, reason: int | None = None) -> bytes:
    data = bytes([level]) if reason is None else bytes([level, reason])
    return encode_frame(address, Function.RATING, data)


def hello_frame(address: int, kind: DeviceKind, firmware: int = 1) -> bytes:
    return encode_frame(address, Function.HELLO, bytes([kind, firmware]))
