"""The simulator as a command (``hall simulate`` / ``python -m ...simulator``)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from server.devices.windowbus import DeviceKind, KeyCommand, KeypadState, RatingLevel, WindowBus
from server.devices.windowbus.simulator import main
from server.devices.windowbus.simulator.commands import CommandError, Select, Uplink, Word, parse

COMMAND = [sys.executable, "-m", "server.devices.windowbus.simulator"]
DEVICES = [(1, DeviceKind.KEYPAD), (2, DeviceKind.RATING_PAD)]


def test_command_language() -> None:
    assert parse("n @3 x  # no-show\n2/4 sleep 0.5 wait") == [
        Uplink(DeviceKind.KEYPAD, "n"),
        Select(3),
        Uplink(DeviceKind.KEYPAD, "x"),
        Uplink(DeviceKind.RATING_PAD, "2/4"),
        Word("sleep", 0.5),
        Word("wait"),
    ]
    assert Uplink(DeviceKind.KEYPAD, "b").frame(1) == bytes.fromhex(
        "ff 68 04 04 68 01 01 03 0f 14 16"
    )
    for bad in ("z", "6", "sleep", "sleep soon", "@x"):
        with pytest.raises(CommandError):
            parse(bad)


def test_bad_arguments_exit_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--keypad", "300"])
    assert exit_.value.code == 2
    assert main(["-c", "n frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


async def _start(*args: str) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        *COMMAND,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    first = (await process.stdout.readline()).decode()
    assert first.startswith("window-bus devices on /dev/"), first
    return process, first.split(" on ", 1)[1].strip()


def test_scripted_mode(wb: Any, recorder: Any, states: Any) -> None:
    async def main_() -> None:
        process, path = await _start(
            "--keypad", "1", "--rating-pad", "2", "-c", "wait n r 2/3 5 show", "--linger", "0.2"
        )
        states.keypads[1] = KeypadState(5, "A042")
        async with WindowBus(wb.config(path, DEVICES), recorder, states):
            out, _ = await process.communicate()
        assert process.returncode == 0, out
        text = out.decode()
        assert "[#1 keypad] waiting 005 | serving 042" in text
        assert "#1 n: acked after 1 send(s)" in text
        assert recorder.keys == [(1, KeyCommand.CALL_NEXT), (1, KeyCommand.RECALL)]
        assert [r[1] for r in recorder.ratings] == [RatingLevel.DISSATISFIED, RatingLevel(5)]

    wb.run(main_())


def test_interactive_mode(wb: Any, recorder: Any, states: Any) -> None:
    async def main_() -> None:
        process, path = await _start("--no-pace")
        assert process.stdin is not None and process.stdout is not None
        async with WindowBus(wb.config(path, DEVICES), recorder, states):
            await wb.eventually(lambda: bool(states.asked), 5)
            process.stdin.write(b"p\nt\n")
            await process.stdin.drain()
            await wb.eventually(lambda: len(recorder.keys) == 2, 5)
            process.stdin.write(b"quit\n")
            await process.stdin.drain()
            await process.wait()
            assert process.returncode == 0
            rest = (await process.stdout.read()).decode()
        assert "#1 t: acked" in rest
        assert recorder.keys == [(1, KeyCommand.PAUSE_TOGGLE), (1, KeyCommand.TRANSFER_BACK)]

    wb.run(main_())
