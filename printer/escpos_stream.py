"""Splitting an ESC/POS byte stream into commands.

Used by the emulated printers (fake and virtual) to answer queries and to
find where a job ends, and by the preview renderer. The stream may arrive in
arbitrary pieces: an incomplete command waits for the next piece.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10

# Parameter byte counts of fixed-length commands, by (prefix, command byte).
_FIXED: dict[tuple[int, int], int] = {
    **{(ESC, ord(c)): 0 for c in "@2<iSLm"},
    **{(ESC, ord(c)): 1 for c in " !-3EGJMRVadeturU{=?%Tc"},
    (ESC, ord("$")): 2,
    (ESC, ord("\\")): 2,
    (ESC, ord("p")): 3,
    **{(GS, ord(c)): 1 for c in "!BHIabfhrw/"},
    **{(GS, ord(c)): 2 for c in "LW$P\\"},
    (GS, ord("^")): 3,
    (GS, ord(":")): 0,
    **{(FS, ord(c)): 0 for c in "&.pP"},
    **{(FS, ord(c)): 1 for c in "!-CW"},
    (FS, ord("S")): 2,
    (DLE, 0x04): 1,
    (DLE, 0x05): 1,
    (DLE, 0x14): 3,
}
_NAMES = {ESC: "ESC", FS: "FS", GS: "GS", DLE: "DLE"}
_SINGLE = {0x0A: "LF", 0x0D: "CR", 0x09: "HT", 0x0C: "FF", 0x00: "NUL", 0x18: "CAN"}


@dataclass(frozen=True, slots=True)
class Command:
    """``name`` is e.g. "ESC a", "GS v 0", "text"; ``args`` the parameter bytes."""

    name: str
    args: bytes = b""
    data: bytes = b""
    raw: bytes = b""


def _name(prefix: int, code: int) -> str:
    label = chr(code) if 0x20 < code < 0x7F else f"{code:02x}"
    return f"{_NAMES[prefix]} {label}"


def _parse_one(buf: bytes, i: int) -> tuple[Command, int] | None:
    """The command starting at ``i`` and where it ends, or None if incomplete."""
    b = buf[i]
    if b in _SINGLE:
        return Command(_SINGLE[b], raw=buf[i : i + 1]), i + 1
    if b >= 0x20:
        end = i
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        return Command("text", data=buf[i:end], raw=buf[i:end]), end
    if b not in _NAMES:
        return Command("unknown", raw=buf[i : i + 1]), i + 1
    if i + 1 >= len(buf):
        return None
    code = buf[i + 1]
    name = _name(b, code)
    if (b, code) in _FIXED:
        end = i + 2 + _FIXED[(b, code)]
        if end > len(buf):
            return None
        return Command(name, args=buf[i + 2 : end], raw=buf[i:end]), end
    if b == GS and code == ord("V"):
        if i + 2 >= len(buf):
            return None
        m = buf[i + 2]
        end = i + 3 + (1 if m in (65, 66, 97, 98, 103, 104) else 0)
        return (
            (Command(name, args=buf[i + 2 : end], raw=buf[i:end]), end) if end <= len(buf) else None
        )
    if b == GS and code in (ord("("), ord("8")):
        # GS ( c pL pH data...: the length covers the function bytes and data.
        head = 5 if code == ord("(") else 7
        if i + head > len(buf):
            return None
        if code == ord("("):
            length = buf[i + 3] | buf[i + 4] << 8
            name = f"GS ( {chr(buf[i + 2])}"
        else:
            length = int.from_bytes(buf[i + 3 : i + 7], "little")
            name = f"GS 8 {chr(buf[i + 2])}"
        end = i + head + length
        if end > len(buf):
            return None
        return Command(
            name, args=buf[i + 2 : i + head], data=buf[i + head : end], raw=buf[i:end]
        ), end
    if b == GS and code == ord("v"):
        # GS v 0 m xL xH yL yH data: x bytes per row, y rows.
        if i + 8 > len(buf):
            return None
        x = buf[i + 4] | buf[i + 5] << 8
        y = buf[i + 6] | buf[i + 7] << 8
        end = i + 8 + x * y
        if end > len(buf):
            return None
        return Command(
            "GS v 0", args=buf[i + 3 : i + 8], data=buf[i + 8 : end], raw=buf[i:end]
        ), end
    if b == ESC and code == ord("*"):
        if i + 5 > len(buf):
            return None
        m, n = buf[i + 2], buf[i + 3] | buf[i + 4] << 8
        end = i + 5 + n * (3 if m >= 32 else 1)
        if end > len(buf):
            return None
        return Command(name, args=buf[i + 2 : i + 5], data=buf[i + 5 : end], raw=buf[i:end]), end
    if b == GS and code == ord("k"):
        if i + 3 > len(buf):
            return None
        m = buf[i + 2]
        if m <= 6:
            stop = buf.find(b"\x00", i + 3)
            if stop < 0:
                return None
            return Command(
                name, args=bytes([m]), data=buf[i + 3 : stop], raw=buf[i : stop + 1]
            ), stop + 1
        if i + 4 > len(buf):
            return None
        end = i + 4 + buf[i + 3]
        if end > len(buf):
            return None
        return Command(name, args=buf[i + 2 : i + 4], data=buf[i + 4 : end], raw=buf[i:end]), end
    # Unknown two-byte command: skip it rather than misreading what follows.
    return Command("unknown", args=bytes([code]), raw=buf[i : i + 2]), i + 2


class CommandStream:
    """Feed bytes as they arrive; get back every command completed so far."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[Command]:
        buf = self._buffer + data
        commands: list[Command] = []
        i = 0
        while i < len(buf):
            parsed = _parse_one(buf, i)
            if parsed is None:
                break
            command, end = parsed
            # A text run may continue in the next piece; keep it whole unless
            # a control byte has already ended it.
            if command.name == "text" and end == len(buf):
                break
            commands.append(command)
            i = end
        self._buffer = buf[i:]
        return commands

    def flush(self) -> list[Command]:
        """The stream has ended: return what is left, a cut-off command included."""
        commands = self.feed(b"")
        rest, self._buffer = self._buffer, b""
        if rest:
            name = "text" if rest[0] >= 0x20 else "truncated"
            commands.append(Command(name, data=rest, raw=rest))
        return commands

    @property
    def pending(self) -> int:
        return len(self._buffer)


def parse(data: bytes) -> list[Command]:
    """All commands of a complete stream."""
    stream = CommandStream()
    return stream.feed(data) + stream.flush()
