"""The hub's only source of "now".

Which clock a process runs on is a setting (``HALL_CLOCK``), so that every process of one
installation, or of one test, agrees on the date:

- ``system`` (the default): the machine's clock.
- ``file:PATH``: a clock shared by several processes through a small file that its owner
  (a test) writes: ``SharedClock``. A hub under uvicorn, a spawned worker and the test
  itself then see the same instant, frozen or ticking from a chosen start.
- ``unset[:PATH]``: a process that must not tell the time by itself. The test suite sets
  this for its whole session, so a process a test starts without handing it the test's
  clock fails loudly (and, with PATH, leaves a line there for the suite to report)
  instead of quietly running on the machine's date while the test runs on another.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

Clock = Callable[[], datetime]


class ClockNotGiven(RuntimeError):
    """This process was started without the clock of the test that started it."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class SharedClock:
    """A clock that several processes read from one file.

    The file holds the instant at the moment it was written and, for a ticking clock, the
    wall-clock second of that write: readers add the wall time elapsed since. The file is
    replaced atomically (write, then rename), so a reader never sees half of it.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._key: tuple[int, int, int] | None = None
        self._at = datetime.min.replace(tzinfo=UTC)
        self._wall = 0.0
        self._ticking = False
        self._owned = False  # the writer keeps what it wrote and never reads the file back

    @classmethod
    def create(cls, path: Path, start: datetime, *, ticking: bool = False) -> SharedClock:
        clock = cls(path)
        clock._write(start, ticking=ticking)
        return clock

    @property
    def spec(self) -> str:
        """The ``HALL_CLOCK`` value that puts another process on this clock."""
        return f"file:{self.path}"

    @property
    def ticking(self) -> bool:
        self._load()
        return self._ticking

    def __call__(self) -> datetime:
        self._load()
        if self._ticking:
            return self._at + timedelta(seconds=time.time() - self._wall)
        return self._at

    def set(self, instant: datetime, *, ticking: bool | None = None) -> None:
        if instant.tzinfo is None:
            raise ValueError("a clock's instant must carry its time zone")
        self._write(instant, ticking=self.ticking if ticking is None else ticking)

    def advance(self, **delta: float) -> None:
        self.set(self() + timedelta(**delta))

    def _write(self, instant: datetime, *, ticking: bool) -> None:
        wall = time.time()
        body = {"at": instant.astimezone(UTC).isoformat(), "wall": wall, "ticking": ticking}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        part = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        part.write_text(json.dumps(body), encoding="utf-8")
        part.replace(self.path)
        self._at, self._wall, self._ticking = instant, wall, ticking
        self._owned = True

    def _load(self) -> None:
        if self._owned:
            return
        try:
            st = os.stat(self.path)
        except FileNotFoundError as err:
            raise ClockNotGiven(f"the shared clock file {self.path} does not exist") from err
        # A rename gives a new inode; mtime and size catch a rewrite in place.
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key == self._key:
            return
        body = json.loads(self.path.read_text(encoding="utf-8"))
        self._at = datetime.fromisoformat(body["at"])
        self._wall = float(body["wall"])
        self._ticking = bool(body["ticking"])
        self._key = key


def _unset_clock(report_to: str | None) -> Clock:
    def refuse() -> datetime:
        message = (
            f"process {os.getpid()} asked for the time, but it was started without a clock "
            "(HALL_CLOCK=unset): hand it the clock of the test that started it "
            "(HALL_CLOCK=file:…, or SharedClock.spec)"
        )
        if report_to:
            where = "".join(traceback.format_stack(limit=6)[:-1])
            with open(report_to, "a", encoding="utf-8") as out:
                out.write(f"{message}\n{where}\n")
        raise ClockNotGiven(message)

    return refuse


def clock_from_spec(spec: str) -> Clock:
    """The clock a ``HALL_CLOCK`` value names (see the module's text)."""
    kind, _, arg = spec.partition(":")
    if kind == "system" and not arg:
        return system_clock
    if kind == "file" and arg:
        return SharedClock(Path(arg))
    if kind == "unset":
        return _unset_clock(arg or None)
    raise ValueError(f"HALL_CLOCK={spec!r}: expected 'system', 'file:PATH' or 'unset[:PATH]'")
