"""The websocket fan-out of one hub process (see PROTOCOL.md).

One subscription to the bus feeds every connected screen. Per hall, events are put in
sequence order (a gap waits briefly for the missing event, then the hall's clients get
a fresh snapshot). Every client has its own bounded queue and its own sender task, so a
slow or dead screen never delays the others: a client whose queue overflows gets a
snapshot instead of the events it could not take, and a send that does not finish in
time closes that client alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .bus import EventBus, HubEvent, Subscription
from .remote import RESYNC_ALL

log = logging.getLogger(__name__)


class Socket(Protocol):
    async def send_text(self, data: str) -> None: ...

    async def receive_text(self) -> str: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


@dataclass(frozen=True)
class Snapshot:
    seq: int
    text: str


MAX_BATCH = 100  # events in one frame at most
SnapshotLoader = Callable[[int], dict[str, Any]]
SeqLoader = Callable[[list[int]], dict[int, int]]
DayLoader = Callable[[list[int]], dict[int, str]]


def _dump(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(eq=False)
class Client:
    socket: Socket
    hall_id: int
    queue_size: int
    label: str = ""
    seq: int = -1  # the last sequence number this client has been sent
    queue: asyncio.Queue[tuple[int, str, bool]] = field(init=False)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: int = 0

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)

    def offer(self, seq: int, text: str, snapshot: bool = False) -> bool:
        """Queue a message; False if the client cannot keep up (it needs a snapshot)."""
        try:
            self.queue.put_nowait((seq, text, snapshot))
            return True
        except asyncio.QueueFull:
            return False

    def replace_with(self, snap: Snapshot) -> None:
        """Send this snapshot next; of what is queued keep only the events after it."""
        queued = []
        while not self.queue.empty():
            queued.append(self.queue.get_nowait())
        self.queue.put_nowait((snap.seq, snap.text, True))
        for seq, text, is_snapshot in queued:
            if is_snapshot or seq <= snap.seq:
                self.dropped += 1
                continue
            if not self.offer(seq, text):
                self.dropped += 1  # the client will see the gap and ask for a snapshot


@dataclass
class HallChannel:
    hall_id: int
    clients: set[Client] = field(default_factory=set)
    last: int | None = None  # the last sequence number delivered in order
    pending: dict[int, HubEvent] = field(default_factory=dict)
    gap_task: asyncio.Task[None] | None = None
    cache: Snapshot | None = None
    loading: asyncio.Task[Snapshot] | None = None
    suspect: int | None = None  # database seq seen ahead of us at the previous check
    outbox: list[HubEvent] = field(default_factory=list)  # in order, not yet sent
    day: str | None = None  # the hall's business day at the last check
    resyncs: int = 0


class Fanout:
    def __init__(
        self,
        bus: EventBus,
        load_snapshot: SnapshotLoader,
        load_seqs: SeqLoader,
        *,
        queue_size: int = 256,
        send_timeout: float = 5.0,
        gap_wait: float = 1.0,
        ping_seconds: float = 10.0,
        check_seconds: float = 5.0,
        load_days: DayLoader | None = None,
    ) -> None:
        self.bus = bus
        self.load_snapshot = load_snapshot
        self.load_seqs = load_seqs
        self.queue_size = queue_size
        self.send_timeout = send_timeout
        self.gap_wait = gap_wait
        self.ping_seconds = ping_seconds
        self.check_seconds = check_seconds
        self.load_days = load_days
        self.channels: dict[int, HallChannel] = {}
        self._sub: Subscription | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.delivered = 0

    # ---- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        self._sub = self.bus.subscribe(None, maxsize=100_000)
        self._tasks = [
            asyncio.create_task(self._consume(), name="fanout-consume"),
            asyncio.create_task(self._ping_forever(), name="fanout-ping"),
            asyncio.create_task(self._check_forever(), name="fanout-seq-check"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._sub is not None:
            self.bus.unsubscribe(self._sub)
            self._sub = None
        for ch in self.channels.values():
            for c in list(ch.clients):
                c.closed.set()

    def client_count(self) -> int:
        return sum(len(ch.clients) for ch in self.channels.values())

    # ---- serving one websocket ------------------------------------------------------

    async def serve(self, socket: Socket, hall_id: int, label: str = "") -> None:
        """Run one connected client until it goes away. The socket is already accepted."""
        ch = self.channels.setdefault(hall_id, HallChannel(hall_id))
        client = Client(socket, hall_id, self.queue_size, label)
        ch.clients.add(client)  # before the snapshot: nothing committed after it is missed
        tasks: list[asyncio.Task[Any]] = []
        try:
            snap = await self._snapshot(ch)
            client.replace_with(snap)
            tasks = [
                asyncio.create_task(self._send_loop(client)),
                asyncio.create_task(self._receive_loop(client, ch)),
                asyncio.create_task(client.closed.wait()),
            ]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.debug("client %s ended: %r", label, task.exception())
        finally:
            ch.clients.discard(client)
            for task in tasks:
                task.cancel()
            for task in tasks:
                # Retrieve every outcome (a disconnect, a cancel) so none is left unread.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            with contextlib.suppress(Exception):
                await socket.close()

    async def _send_loop(self, client: Client) -> None:
        while True:
            seq, text, is_snapshot = await client.queue.get()
            if not is_snapshot and seq and seq <= client.seq:
                continue  # already in the snapshot this client was sent
            try:
                # asyncio.timeout, not wait_for: no extra task per message per screen.
                async with asyncio.timeout(self.send_timeout):
                    await client.socket.send_text(text)
            except TimeoutError:
                log.info("closing websocket client %s: it stopped reading", client.label)
                return
            if seq:
                client.seq = seq if is_snapshot else max(client.seq, seq)

    async def _receive_loop(self, client: Client, ch: HallChannel) -> None:
        while True:
            raw = await client.socket.receive_text()
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            if isinstance(msg, dict) and msg.get("type") == "resync":
                client.replace_with(await self._snapshot(ch))

    # ---- snapshots ------------------------------------------------------------------

    async def _snapshot(self, ch: HallChannel, *, fresh: bool = False) -> Snapshot:
        cache = ch.cache
        if not fresh and cache and ch.last is not None and cache.seq >= ch.last and not ch.pending:
            return cache
        if ch.loading is None or ch.loading.done():
            ch.loading = asyncio.create_task(self._load(ch))
        snap = await asyncio.shield(ch.loading)
        if ch.last is None:
            ch.last = snap.seq
        return snap

    async def _load(self, ch: HallChannel) -> Snapshot:
        message = await asyncio.to_thread(self.load_snapshot, ch.hall_id)
        snap = Snapshot(int(message["seq"]), _dump(message))
        ch.cache = snap
        return snap

    async def resync(self, ch: HallChannel) -> None:
        """Send every client of the hall a fresh snapshot; continue in order after it."""
        ch.resyncs += 1
        ch.cache = None
        snap = await self._snapshot(ch, fresh=True)
        for client in list(ch.clients):
            client.replace_with(snap)
        ch.last = max(ch.last or 0, snap.seq)
        for seq in [s for s in ch.pending if s <= snap.seq]:
            del ch.pending[seq]
        ch.outbox = [e for e in ch.outbox if e.seq > snap.seq]
        self._flush(ch)
        self._emit(ch)

    # ---- events in order ------------------------------------------------------------

    async def _consume(self) -> None:
        """Events that arrived together (one commit, or a burst) go out as one frame per
        hall: a screen gets one message instead of three or four per call."""
        assert self._sub is not None
        while True:
            events = [await self._sub.get()]
            while len(events) < MAX_BATCH:
                try:
                    events.append(self._sub.queue.get_nowait())
                except asyncio.QueueEmpty:
                    break
            if self._sub.lagged:
                # Our own subscription overflowed: everything may be missing.
                self._sub.lagged = False
                await self._resync_all()
            touched: dict[int, HallChannel] = {}
            for event in events:
                try:
                    await self._take(event)
                except Exception:
                    log.exception("fan-out failed on %s; resynchronising the hall", event.kind)
                    ch = self.channels.get(event.hall_id)
                    if ch is not None:
                        await self.resync(ch)
                ch = self.channels.get(event.hall_id)
                if ch is not None:
                    touched[ch.hall_id] = ch
            for ch in touched.values():
                self._emit(ch)

    async def _resync_all(self) -> None:
        for ch in list(self.channels.values()):
            if ch.clients:
                await self.resync(ch)
            else:
                ch.last = None
                ch.cache = None
                ch.pending.clear()

    async def accept(self, event: HubEvent) -> None:
        """Take one event and send what is now in order."""
        await self._take(event)
        ch = self.channels.get(event.hall_id)
        if ch is not None:
            self._emit(ch)

    async def _take(self, event: HubEvent) -> None:
        if event.kind == RESYNC_ALL:
            await self._resync_all()
            return
        if event.seq == 0:
            return  # not in the hall's sequence: for the hub's own listeners, not screens
        ch = self.channels.get(event.hall_id)
        if ch is None:
            return  # nobody here watches that hall
        if not ch.clients:
            ch.last = None  # forget: the next client starts from a snapshot
            ch.cache = None
            ch.pending.clear()
            return
        if event.kind == "resync":  # too large for NOTIFY: fetch the state instead
            ch.pending[event.seq] = event
            await self.resync(ch)
            return
        if ch.last is None:
            ch.last = event.seq - 1
        if event.seq <= ch.last:
            return  # a duplicate: our own event heard back through the bus
        ch.pending[event.seq] = event
        self._flush(ch)
        if ch.pending and (ch.gap_task is None or ch.gap_task.done()):
            ch.gap_task = asyncio.create_task(self._wait_for_gap(ch))

    def _flush(self, ch: HallChannel) -> None:
        assert ch.last is not None
        while ch.last + 1 in ch.pending:
            event = ch.pending.pop(ch.last + 1)
            ch.last = event.seq
            if event.kind != "resync":
                ch.outbox.append(event)

    def _emit(self, ch: HallChannel) -> None:
        """Send the hall's in-order events: one as an event message, several as a batch."""
        if not ch.outbox:
            return
        events, ch.outbox = ch.outbox, []
        if len(events) == 1:
            text = _dump(events[0].to_message())
        else:
            text = _dump({"type": "batch", "items": [e.to_message() for e in events]})
        last = events[-1].seq
        ch.cache = None
        for client in list(ch.clients):
            if not client.offer(last, text):
                # Too slow to keep up: it gets a snapshot when it reads again.
                asyncio.get_running_loop().create_task(self._catch_up(ch, client))
        self.delivered += len(events)

    async def _catch_up(self, ch: HallChannel, client: Client) -> None:
        client.replace_with(await self._snapshot(ch))

    async def _wait_for_gap(self, ch: HallChannel) -> None:
        beyond_gap = min(ch.pending)
        await asyncio.sleep(self.gap_wait)
        if ch.pending and ch.last is not None and ch.last < beyond_gap:
            log.info("hall %s: events missing before seq %s; resync", ch.hall_id, min(ch.pending))
            await self.resync(ch)

    # ---- heartbeats and the periodic sequence check -----------------------------------

    async def _ping_forever(self) -> None:
        while True:
            await asyncio.sleep(self.ping_seconds)
            for ch in list(self.channels.values()):
                if ch.last is None:
                    continue
                text = _dump({"type": "ping", "seq": ch.last})
                for client in list(ch.clients):
                    client.offer(0, text)

    async def _check_forever(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await self.check_seqs()
            except Exception:
                log.exception("sequence check failed")

    async def check_seqs(self) -> None:
        """Catch a silent loss: the database is ahead of us on two checks in a row."""
        watched = [ch for ch in self.channels.values() if ch.clients and ch.last is not None]
        if not watched:
            return
        seqs = await asyncio.to_thread(self.load_seqs, [ch.hall_id for ch in watched])
        if self.load_days is not None:
            # A new business day: yesterday's calls leave the boards even if nothing moved.
            days = await asyncio.to_thread(self.load_days, [ch.hall_id for ch in watched])
            for ch in watched:
                day = days.get(ch.hall_id)
                if ch.day is not None and day != ch.day:
                    log.info("hall %s: a new business day; fresh snapshots", ch.hall_id)
                    ch.day = day
                    await self.resync(ch)
                    continue
                ch.day = day
        for ch in watched:
            db_seq = seqs.get(ch.hall_id, 0)
            assert ch.last is not None
            if db_seq <= ch.last:
                ch.suspect = None
            elif ch.suspect is not None and ch.last < ch.suspect:
                log.warning(
                    "hall %s: events up to %s never arrived (have %s); resync",
                    ch.hall_id,
                    db_seq,
                    ch.last,
                )
                ch.suspect = None
                await self.resync(ch)
            else:
                ch.suspect = db_seq
