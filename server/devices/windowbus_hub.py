"""The hub's side of the window bus: keypad keys become window commands, rating keys
become ratings, and every change at a window is pushed to that window's devices.

The library half (``server.devices.windowbus``) speaks the wire protocol; this module
only translates. Commands run in worker threads, never on the event loop, and a device
failure (a dead port, a handler error) is logged and alerted, never raised into the
queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

from server.domain.errors import DomainError
from server.errors import HubError
from server.realtime.bus import HubEvent, Subscription
from server.services import device_alerts, halls, ratings, windows
from server.services.device_states import clerk_at_window, device_state, device_states
from server.services.hub import Hub

from .windowbus import (
    BusConfig,
    DeviceKind,
    DeviceRef,
    DeviceState,
    KeyCommand,
    RatingLevel,
    RatingReason,
    WindowBusGroup,
)
from .windowbus.stats import BusStats

log = logging.getLogger(__name__)
T = TypeVar("T")

# A clerk's double press: the second "call next" within this many seconds after the
# first one was carried out is not a second call (retransmissions of one press are
# already filtered by the bus; these are two presses).
DOUBLE_PRESS_SECONDS = 1.5
JOB_GRACE_SECONDS = 10.0
PORT_ALERT = "offline"
KEYPAD_PAUSE_REASON = "呼叫器暂停 / paused at the keypad"

# Each key is the command the clerk screen sends for the window (see api_staff).
KEY_COMMANDS: Mapping[KeyCommand, windows.Command] = MappingProxyType(
    {
        KeyCommand.CALL_NEXT: windows.call_next,
        KeyCommand.RECALL: windows.recall,
        KeyCommand.NO_SHOW: windows.no_show,
        KeyCommand.HOLD: windows.hold,
        KeyCommand.CALL_BACK: windows.call_back(None),
        KeyCommand.PAUSE_TOGGLE: windows.toggle_pause(KEYPAD_PAUSE_REASON),
        KeyCommand.TRANSFER_BACK: windows.transfer_back,
    }
)
# Events that change what every device of the hall shows.
WHOLE_HALL_EVENTS = frozenset({"hall_changed", "day_closed", "resync"})
# Events that change only what a window's rating pad shows.
RATING_EVENTS = frozenset({"rating_opened", "rated", "rating_closed", "rating_rejected"})
# Worker threads: key presses have their own, so that a burst of display refreshes
# (one call-next changes the waiting count on every keypad of its queue) never makes a
# press wait for a free thread.
COMMAND_THREADS = 4
STATE_THREADS = 2


class KeyOutcome(Enum):
    DONE = "done"
    NOBODY = "nobody signed in"
    REFUSED = "refused"  # a queue rule said no (nothing to recall, window paused, ...)
    FAILED = "failed"  # the hub could not carry it out (database down, a bug)


@dataclass
class WindowBusHubStats:
    keys: int = 0
    done: int = 0
    nobody: int = 0
    refused: int = 0
    failed: int = 0
    double_presses: int = 0
    ratings: int = 0
    ratings_rejected: int = 0
    pushes: int = 0


class WindowBusHub:
    """A :class:`~server.devices.windowbus.WindowBusHandler` and state provider for one
    hall, owning that hall's buses. ``await start()``, ``await stop()``."""

    def __init__(
        self,
        hub: Hub,
        hall_code: str,
        configs: Iterable[BusConfig],
        *,
        double_press: float = DOUBLE_PRESS_SECONDS,
        **bus_options: Any,
    ) -> None:
        self.hub = hub
        self.hall_code = hall_code
        self.hall_id: int | None = None
        self.double_press = double_press
        bus_options.setdefault("wall_clock", lambda: hub.now().timestamp())
        self.group = WindowBusGroup(list(configs), self, self.state, **bus_options)
        self.counters = WindowBusHubStats()
        self._last_call: dict[int, float] = {}
        self._windows = sorted(
            {d.window for bus in self.group.buses.values() for d in bus.devices.values()}
        )
        self._missing: set[int] = set()
        self._serving: dict[str, set[int]] = {}  # queue code -> windows with devices
        self._sub: Subscription | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._jobs: set[asyncio.Future[Any]] = set()
        self._commands = ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="window-keys")
        self._reads = ThreadPoolExecutor(STATE_THREADS, thread_name_prefix="window-devices")

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        self.hall_id = await self._in_thread(self._load_hall, pool=self._reads)
        self._sub = self.hub.bus.subscribe(self.hall_id)
        self._tasks.append(asyncio.create_task(self._follow(self._sub), name="window devices"))
        await self.group.start()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._sub is not None:
            self.hub.bus.unsubscribe(self._sub)
            self._sub = None
        await self.group.stop()
        if self._jobs:
            # A cancelled task does not stop its worker thread: let commands already
            # running finish (and commit) before the hub closes the database.
            await asyncio.wait(set(self._jobs), timeout=JOB_GRACE_SECONDS)
        self._commands.shutdown(wait=False)
        self._reads.shutdown(wait=False)

    async def _in_thread(
        self, fn: Callable[..., T], /, *args: Any, pool: ThreadPoolExecutor | None = None
    ) -> T:
        """Blocking hub work (database, commands) in a worker thread, tracked for stop()."""
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(pool or self._commands, functools.partial(fn, *args))
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return await asyncio.shield(job)

    async def __aenter__(self) -> WindowBusHub:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _load_hall(self) -> int:
        layout = halls.window_layout(self.hub, self.hall_code)
        self._missing = {w for w in self._windows if w not in layout.window_ids}
        for w in sorted(self._missing):
            log.error(
                "window bus: hall %s has no window %d; its devices stay dark", self.hall_code, w
            )
        self._serving = {}
        for number, codes in layout.serving.items():
            if number in self._windows:
                for code in codes:
                    self._serving.setdefault(code, set()).add(number)
        return layout.hall_id

    def stats(self) -> list[BusStats]:
        return self.group.stats()

    # --- keys -----------------------------------------------------------------------

    async def on_key(self, device: DeviceRef, command: KeyCommand) -> None:
        self.counters.keys += 1
        loop = asyncio.get_running_loop()
        if command is KeyCommand.CALL_NEXT:
            last = self._last_call.get(device.window)
            if last is not None and loop.time() - last < self.double_press:
                self.counters.double_presses += 1
                log.info(
                    "window %d: second call-next within %.1f s ignored",
                    device.window,
                    self.double_press,
                )
                return
        outcome = await self._in_thread(self._run_key, device.window, command)
        if outcome is KeyOutcome.DONE:
            self.counters.done += 1
            if command is KeyCommand.CALL_NEXT:
                self._last_call[device.window] = loop.time()
            return
        self._count(outcome)
        self._beep(device)
        if outcome is KeyOutcome.NOBODY:
            log.info("window %d: %s pressed with nobody signed in", device.window, command)

    def _count(self, outcome: KeyOutcome) -> None:
        c = self.counters
        match outcome:
            case KeyOutcome.NOBODY:
                c.nobody += 1
            case KeyOutcome.REFUSED:
                c.refused += 1
            case KeyOutcome.FAILED:
                c.failed += 1

    def _run_key(self, window: int, command: KeyCommand) -> KeyOutcome:
        assert self.hall_id is not None
        try:
            clerk = clerk_at_window(self.hub, self.hall_id, window)
            if clerk is None:
                return KeyOutcome.NOBODY
            if command is KeyCommand.REQUEST_RATING:
                windows.request_rating(
                    self.hub, hall_id=self.hall_id, window_number=window, clerk_id=clerk
                )
            else:
                windows.execute(
                    self.hub,
                    hall_id=self.hall_id,
                    window_number=window,
                    clerk_id=clerk,
                    command=KEY_COMMANDS[command],
                )
            return KeyOutcome.DONE
        except (DomainError, HubError) as err:
            log.info("window %d: %s refused: %s", window, command, err)
            return KeyOutcome.REFUSED
        except Exception:
            log.exception("window %d: %s failed", window, command)
            return KeyOutcome.FAILED

    def _beep(self, device: DeviceRef) -> None:
        bus = self.group.buses.get(device.bus_id)
        if bus is not None:
            bus.beep(device.address)

    # --- ratings, hellos, ports -----------------------------------------------------

    async def on_rating(
        self, device: DeviceRef, level: RatingLevel, reason: RatingReason | None
    ) -> None:
        assert self.hall_id is not None
        self.counters.ratings += 1
        rate = functools.partial(
            ratings.rate_at_window,
            self.hub,
            hall_id=self.hall_id,
            window_number=device.window,
            level=int(level),
            reason=int(reason) if reason is not None else None,
            channel=ratings.Channel.PAD,
            device=f"{device.bus_id}#{device.address}",
        )
        outcome = await self._in_thread(rate)
        if not outcome.accepted:
            self.counters.ratings_rejected += 1
            log.info(
                "window %d: rating %d not counted (%s)", device.window, level, outcome.reject_code
            )

    async def on_hello(self, device: DeviceRef, firmware: int) -> None:
        log.info(
            "window %d: %s powered up (firmware %d)",
            device.window,
            device.kind.config_name,
            firmware,
        )

    def on_port_state(self, bus_id: str, online: bool) -> None:
        bus = self.group.buses.get(bus_id)
        port = bus.config.port if bus else "?"
        if online:
            log.info("window bus %s: %s online", bus_id, port)
        else:
            log.warning(
                "window bus %s: %s lost; its keypads and rating pads are offline", bus_id, port
            )
        if self.hall_id is not None:
            task = asyncio.get_running_loop().create_task(self._alert(bus_id, port, online))
            self._tasks.append(task)
            task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        with contextlib.suppress(ValueError):
            self._tasks.remove(task)

    async def _alert(self, bus_id: str, port: str, online: bool) -> None:
        try:
            await self._in_thread(self._publish_alert, bus_id, port, online, pool=self._reads)
        except Exception:
            log.exception("window bus %s: cannot record the port state", bus_id)

    def _publish_alert(self, bus_id: str, port: str, online: bool) -> None:
        """A lost port is a device alert (listed for supervisors until acknowledged),
        cleared when the port is back."""
        assert self.hall_id is not None
        device = f"bus:{bus_id}"
        if online:
            device_alerts.clear_alert(
                self.hub, hall_id=self.hall_id, device=device, kind=PORT_ALERT
            )
            return
        bus = self.group.buses.get(bus_id)
        devices = bus.devices.values() if bus is not None else []
        numbers = "、".join(str(w) for w in sorted({d.window for d in devices}))
        device_alerts.raise_alert(
            self.hub,
            hall_id=self.hall_id,
            device=device,
            kind=PORT_ALERT,
            text=device_alerts.AlertText(
                "error",
                f"呼叫器/评价器总线 {bus_id} 断开（{numbers}号窗口的设备离线）",
                f"Window bus {bus_id} lost: the keypads and rating pads of windows "
                f"{numbers} are offline",
            ),
            detail=port,
        )

    # --- state out ------------------------------------------------------------------

    async def state(self, device: DeviceRef) -> DeviceState | None:
        if self.hall_id is None or device.window in self._missing:
            return None
        return await self._in_thread(
            device_state, self.hub, self.hall_id, device.window, device.kind, pool=self._reads
        )

    def devices_of(self, event: HubEvent) -> set[tuple[int, DeviceKind]]:
        """The devices (window, kind) showing something the event changed: a keypad
        shows its window's current ticket and the waiting count of the queues it
        serves; a rating pad only its window's rating request."""
        if event.kind in WHOLE_HALL_EVENTS:
            return {(w, kind) for w in self._windows for kind in DeviceKind}
        window = event.data.get("window")
        if not isinstance(window, int) or window not in self._windows:
            window = None
        if event.kind in RATING_EVENTS:
            return {(window, DeviceKind.RATING_PAD)} if window is not None else set()
        found = {(window, DeviceKind.KEYPAD)} if window is not None else set()
        queues = set((event.patch or {}).get("queues", {}))
        if isinstance(event.data.get("queue"), str):
            queues.add(event.data["queue"])
        for code in queues:
            found |= {(w, DeviceKind.KEYPAD) for w in self._serving.get(code, set())}
        return found

    async def _follow(self, sub: Subscription) -> None:
        while True:
            event = await sub.get()
            due = self.devices_of(event)
            refresh_map = event.kind in WHOLE_HALL_EVENTS
            # A burst (call-next: finished, called, rating_opened) and whatever came in
            # while the last pushes were going out make one push per device.
            while not sub.queue.empty():
                more = sub.queue.get_nowait()
                due |= self.devices_of(more)
                refresh_map |= more.kind in WHOLE_HALL_EVENTS
            if sub.lagged:
                sub.lagged = False
                due = {(w, kind) for w in self._windows for kind in DeviceKind}
            if refresh_map:
                with contextlib.suppress(Exception):
                    await self._in_thread(self._load_hall, pool=self._reads)
            await self.push(due)

    async def push(self, devices: Iterable[tuple[int, DeviceKind]]) -> None:
        """Send these devices (window, kind) their state now, read in one go."""
        found = [self.group.find(window, kind) for window, kind in sorted(set(devices))]
        targets = [f for f in found if f is not None and f[1].window not in self._missing]
        if not targets or self.hall_id is None:
            return
        self.counters.pushes += len(targets)
        roles = [(device.window, device.kind) for _, device in targets]
        try:
            states = await self._in_thread(
                device_states, self.hub, self.hall_id, roles, pool=self._reads
            )
        except Exception:
            # The periodic refresh will try again; the queue itself is not affected.
            log.exception("cannot read the state of %d window devices", len(targets))
            return
        for bus, device in targets:
            state = states.get((device.window, device.kind))
            if state is not None:
                bus.send_state(device.address, state)

    async def push_window(self, window: int) -> None:
        await self.push((window, kind) for kind in DeviceKind)
