"""The little command language of the simulator, shared by its interactive and
scripted modes: one token per action, separated by spaces or new lines.

    n r e c x h b p t   keypad keys: call next, recall, request rating, cancel,
                        no-show (digit 6 + confirm), hold (0 + confirm),
                        call back (3 + confirm), pause/resume, transfer
    1 .. 5              rating level on the rating pad; 1/3 = level 1, reason 3
    @ADDR               following keys (or ratings) go to the device at ADDR
    hello               every device sends HELLO again (as after a power cut)
    sleep SECONDS       pause
    wait                wait until the hub sends something (up to 10 s)
    show                print what every device shows
    quit                stop
    # ...               comment to the end of the line
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..protocol import DeviceKind, Key, key_frame, rating_frame

# token -> (key, digit typed before it)
KEY_TOKENS: Mapping[str, tuple[Key, int | None]] = MappingProxyType(
    {
        "n": (Key.CALL, None),
        "r": (Key.RECALL, None),
        "e": (Key.REQUEST_RATING, None),
        "c": (Key.CANCEL, None),
        "x": (Key.CONFIRM, 0x06),
        "h": (Key.CONFIRM, 0x00),
        "b": (Key.CONFIRM, 0x03),
        "p": (Key.PAUSE, None),
        "t": (Key.TRANSFER, None),
    }
)
RATING_TOKEN = re.compile(r"^([1-5])(?:/([1-6]))?$")
WORDS = frozenset({"hello", "sleep", "wait", "show", "quit", "help"})


class CommandError(ValueError):
    pass


@dataclass(frozen=True)
class Uplink:
    kind: DeviceKind  # which kind of device sends it
    token: str

    def frame(self, address: int) -> bytes:
        if self.kind is DeviceKind.KEYPAD:
            key, digit = KEY_TOKENS[self.token]
            return key_frame(address, key, digit)
        match = RATING_TOKEN.match(self.token)
        assert match is not None
        reason = int(match[2]) if match[2] else None
        return rating_frame(address, int(match[1]), reason)


@dataclass(frozen=True)
class Select:
    address: int


@dataclass(frozen=True)
class Word:
    word: str
    argument: float | None = None


Command = Uplink | Select | Word


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for line in text.splitlines():
        tokens.extend(line.split("#", 1)[0].split())
    return tokens


def parse(text: str) -> list[Command]:
    tokens = tokenize(text)
    commands: list[Command] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].lower()
        index += 1
        if token in KEY_TOKENS:
            commands.append(Uplink(DeviceKind.KEYPAD, token))
        elif RATING_TOKEN.match(token):
            commands.append(Uplink(DeviceKind.RATING_PAD, token))
        elif token.startswith("@") and token[1:].isdigit():
            commands.append(Select(int(token[1:])))
        elif token == "sleep":
            if index >= len(tokens):
                raise CommandError("sleep needs a number of seconds")
            try:
                seconds = float(tokens[index])
            except ValueError:
                raise CommandError(f"sleep {tokens[index]!r}: not a number") from None
            index += 1
            commands.append(Word("sleep", seconds))
        elif token in WORDS:
            commands.append(Word(token))
        else:
            raise CommandError(f"unknown command {token!r} (try 'help')")
    return commands
