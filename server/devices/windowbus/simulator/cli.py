"""``hall simulate``: play keypads and rating pads on a serial port or a new pty."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..codec import MAX_ADDRESS, MIN_ADDRESS
from ..protocol import DeviceKind
from . import commands
from .commands import Command, CommandError, Select, Uplink, Word
from .device import DeviceSimulator, DeviceView, Faults, Press

WAIT_LIMIT = 10.0


def _address(text: str) -> int:
    value = int(text)
    if not MIN_ADDRESS <= value <= MAX_ADDRESS:
        raise argparse.ArgumentTypeError(f"address must be {MIN_ADDRESS}..{MAX_ADDRESS}")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError("must be at least 0 and below 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hall simulate",
        description="Simulate caller keypads and rating pads on a window bus.",
        epilog=commands.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--port", help="serial device or socket://host:port to talk on")
    where.add_argument(
        "--pty", action="store_true", help="create a pseudo-terminal, print its path (default)"
    )
    parser.add_argument(
        "--link",
        metavar="PATH",
        help="with --pty: also make PATH a symlink to it, so a hub's devices.toml can name "
        "a stable port (removed on exit)",
    )
    parser.add_argument("--baudrate", type=int, default=9600)
    parser.add_argument("--keypad", type=_address, action="append", default=[], metavar="ADDR")
    parser.add_argument("--rating-pad", type=_address, action="append", default=[], metavar="ADDR")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--script", metavar="FILE", help="run the commands in FILE, then exit")
    mode.add_argument("-c", "--commands", metavar="TEXT", help="run these commands, then exit")
    parser.add_argument("--linger", type=float, default=0.5, help="seconds to listen after")
    parser.add_argument("--no-hello", action="store_true", help="do not announce at start")
    parser.add_argument("--firmware", type=int, default=1)
    faults = parser.add_argument_group("fault injection")
    faults.add_argument("--drop-acks", type=_share, default=0.0, metavar="SHARE")
    faults.add_argument("--noise", type=_share, default=0.0, metavar="SHARE")
    faults.add_argument("--split", action="store_true", help="write frames in pieces")
    faults.add_argument("--no-pace", action="store_true", help="do not emulate wire time")
    faults.add_argument("--seed", type=int)
    return parser


class Console:
    def __init__(self, simulator: DeviceSimulator, *, wait_for_presses: bool) -> None:
        self.simulator = simulator
        self.wait_for_presses = wait_for_presses
        self.presses: list[Press] = []
        self._selected: dict[DeviceKind, int] = {}
        for view in reversed(simulator.views):
            self._selected[view.kind] = view.address

    async def run(self, command: Command) -> bool:
        """Carry out one command; False means stop."""
        match command:
            case Select(address):
                views = {v.address: v for v in self.simulator.views}
                if address not in views:
                    raise CommandError(f"no simulated device at address {address}")
                self._selected[views[address].kind] = address
            case Uplink(kind):
                if kind not in self._selected:
                    raise CommandError(f"no {kind.config_name} is simulated")
                address = self._selected[kind]
                press = self.simulator.submit(address, command.frame(address))
                self.presses.append(press)
                press.done.add_done_callback(functools.partial(_report, token=command.token))
                if self.wait_for_presses:
                    await press.done
            case Word("hello"):
                self.presses.extend(self.simulator.hello(v.address) for v in self.simulator.views)
            case Word("sleep", seconds):
                await asyncio.sleep(seconds or 0.0)
            case Word("wait"):
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(WAIT_LIMIT):
                        await self.simulator.wait_downlink()
            case Word("show"):
                for view in self.simulator.views:
                    print(view.describe(), flush=True)
            case Word("help"):
                print(commands.__doc__, flush=True)
            case Word("quit"):
                return False
        return True


def _report(done: asyncio.Future[Press], token: str) -> None:
    if done.cancelled():
        return
    press = done.result()
    outcome = "acked" if press.acked else "NOT acked"
    print(f"#{press.address} {token}: {outcome} after {press.sends} send(s)", flush=True)


def _changed(view: DeviceView, what: str) -> None:
    print(("beep " if what == "beep" else "") + view.describe(), flush=True)


async def _interactive(console: Console) -> None:
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:  # a daemon thread: a blocked stdin read never holds up exit
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read, daemon=True).start()
    print("type keys (n r e x h b p t, 1-5), 'help' or 'quit'", flush=True)
    while (line := await lines.get()) is not None:
        try:
            for command in commands.parse(line):
                if not await console.run(command):
                    return
        except CommandError as exc:
            print(exc, flush=True)


async def _simulate(
    args: argparse.Namespace,
    devices: Sequence[tuple[int, DeviceKind]],
    parsed: list[Command] | None,
) -> int:
    simulator = DeviceSimulator(
        devices,
        port=args.port,
        baudrate=args.baudrate,
        faults=Faults(args.drop_acks, args.noise, args.split, args.seed),
        pace=not args.no_pace,
        firmware=args.firmware,
        on_change=_changed,
    )
    async with simulator, contextlib.AsyncExitStack() as stack:
        stack.enter_context(_linked(args.link, simulator.path))
        print(f"window-bus devices on {simulator.path}", flush=True)
        if args.link:
            print(f"linked at {args.link}", flush=True)
        console = Console(simulator, wait_for_presses=parsed is not None)
        if not args.no_hello:
            console.presses.extend(simulator.hello(address) for address, _ in devices)
        if parsed is None:
            await _interactive(console)
        else:
            for command in parsed:
                if not await console.run(command):
                    break
        # Let frames still being retried finish, as a device would before power-off.
        await asyncio.gather(*(p.done for p in console.presses))
        if parsed is not None:
            await asyncio.sleep(args.linger)
    missed = sum(not p.acked for p in console.presses)
    print(f"{len(console.presses)} frame(s) sent, {missed} never acknowledged", flush=True)
    # A script reports lost frames in its exit status; a person has seen them already.
    return 1 if missed and parsed is not None else 0


@contextlib.contextmanager
def _linked(link: str | None, target: str) -> Iterator[None]:
    if link is None:
        yield
        return
    path = Path(link)
    if path.is_symlink():
        path.unlink()  # left over from a simulator that was killed
    path.symlink_to(target)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.link and args.port:
        parser.error("--link goes with --pty: a real port has its own path")
    devices = [(a, DeviceKind.KEYPAD) for a in args.keypad]
    devices += [(a, DeviceKind.RATING_PAD) for a in args.rating_pad]
    if not devices:
        devices = [(1, DeviceKind.KEYPAD), (2, DeviceKind.RATING_PAD)]
    addresses = [address for address, _ in devices]
    if len(set(addresses)) != len(addresses):
        parser.error("each device needs its own address")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        script = args.commands
        if args.script is not None:
            with open(args.script, encoding="utf-8") as f:
                script = f.read()
        parsed = commands.parse(script) if script is not None else None
        return asyncio.run(_simulate(args, devices, parsed))
    except OSError as exc:
        print(f"hall simulate: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"hall simulate: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
