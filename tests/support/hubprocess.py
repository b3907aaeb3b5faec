"""What tests that run a real hub process and a real browser share: a hub under uvicorn
on a free port, Debian's chromium driven by Playwright, axe-core, and waiting."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from server.clock import SharedClock

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# --autoplay-policy: boards speak without anyone clicking (kiosk mode does the same).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HubProcess:
    """One hub process on a free port, its output in a log file. ``stop(crash=True)``
    then ``start()`` again on the same port and database is a restart as a hall sees it."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        *,
        clock: SharedClock,
        port: int | None = None,
        start_timeout: float = 40,
    ) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The hub runs on the test's clock, never on the machine's.
        self.clock = clock
        self.env = {**env, "HALL_CLOCK": clock.spec}
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.base, timeout=10)

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "server.web.app:app_from_env",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited: {self.log_path.read_text()[-3000:]}")
            try:
                if self.http.get("/api/v1/halls").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the hub did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self, *, crash: bool = False) -> None:
        """``crash``: SIGKILL, so the browsers' sockets are cut, not closed politely."""
        if self.proc and self.proc.poll() is None:
            if crash:
                self.proc.send_signal(signal.SIGKILL)
            else:
                self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def close(self) -> None:
        self.stop()
        self.http.close()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        # Never under libfaketime (.ci/faketime): chromium crashes there. Its pages show
        # the hub's time, which is the test's clock whatever the browser's machine says.
        env = {k: v for k, v in os.environ.items() if k not in {"LD_PRELOAD", "FAKETIME"}}
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


AXE = Axe()


def axe_violations(page: Page) -> list[str]:
    """axe-core (bundled with axe-playwright-python, runs offline) on the whole page."""
    result = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in result.response["violations"]
    ]


def wait_until(check: Callable[[], Any], timeout: float = 10.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {check}")
        time.sleep(step)
