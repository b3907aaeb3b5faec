"""End to end with the hub app running (its lifespan starts the buses of devices.toml):
a keypad on a pseudo-terminal calls, the hall state shows it, 评价 lights the rating
pad with the ticket's digits, the pad's rating is stored against the right service, a
second one is rejected and an unanswered request times out. On SQLite and PostgreSQL,
with the production event bus of each."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from server.config import Settings
from server.demo.load import load_demo
from server.devices.windowbus import DeviceKind
from server.devices.windowbus.protocol import Key, key_frame, rating_frame
from server.devices.windowbus.simulator import DeviceSimulator
from server.services.hub import Hub
from server.store import tables as t
from server.web.app import create_app

KEYPAD, PAD = DeviceKind.KEYPAD, DeviceKind.RATING_PAD
API = "/api/v1/halls/demo"


def devices_toml(path: Path, port: str) -> Path:
    path.write_text(
        f"""hall = "demo"

[[bus]]
id = "bus1"
port = "{port}"
devices = [
  {{ address = 1, kind = "keypad", window = 4 }},
  {{ address = 2, kind = "rating_pad", window = 4 }},
]
""",
        encoding="utf-8",
    )
    return path


@asynccontextmanager
async def running_hub(db_url: str, toml: Path, clock: Any) -> AsyncIterator[tuple[Hub, Any]]:
    """The app with its lifespan running, driven from this event loop's threads."""
    settings = Settings(
        DATABASE_URL=db_url,
        devices_file=toml,
        public_url="http://hall.test",
        day_check_seconds=3600,
    )
    hub = Hub.create(settings, clock=clock)
    demo = await asyncio.to_thread(load_demo, hub.db)
    client = TestClient(create_app(settings, hub=hub))
    await asyncio.to_thread(client.__enter__)
    try:
        yield hub, (client, demo)
    finally:
        await asyncio.to_thread(client.__exit__, None, None, None)
        hub.db.dispose()


async def call(client: TestClient, method: str, path: str, **kw: Any) -> Any:
    r = await asyncio.to_thread(client.request, method, path, **kw)
    assert r.status_code < 300, r.text
    return r.json()


async def sign_in(client: TestClient, staff_no: str, window: int | None = None) -> dict[str, str]:
    body: dict[str, Any] = {"hall": "demo", "staff_no": staff_no, "password": "demo1234"}
    if window is not None:
        body["window"] = window
    token = (await call(client, "POST", "/api/v1/auth/login", json=body))["token"]
    client.cookies.clear()
    return {"Authorization": f"Bearer {token}"}


def snapshot_window(client: TestClient, number: int) -> dict[str, Any]:
    with client.websocket_connect("/ws/halls/demo") as ws:
        first = ws.receive_json()
    assert first["type"] == "snapshot"
    return dict(first["state"]["windows"][str(number)])


def test_keypad_call_and_pad_rating_end_to_end(
    db_url: str, tmp_path: Path, clock: Any, wb: Any
) -> None:
    async def main() -> None:
        async with DeviceSimulator([(1, KEYPAD), (2, PAD)]) as sim:
            toml = devices_toml(tmp_path / "devices.toml", sim.path)
            async with running_hub(db_url, toml, clock) as (hub, (client, demo)):
                kiosk = {"Authorization": f"Bearer {demo.device_tokens['K01']}"}
                clerk = await sign_in(client, "C004", 4)
                for _ in range(2):
                    await call(
                        client, "POST", f"{API}/tickets", json={"item": "B03"}, headers=kiosk
                    )
                keypad, pad = sim.view(1), sim.view(2)
                await wb.eventually(lambda: keypad.waiting == "002", 10)

                # 呼叫 on the keypad: the hall state shows the call.
                assert (await sim.send(1, key_frame(1, Key.CALL))).acked
                await wb.eventually(lambda: keypad.ticket == "001", 5)
                public = await call(client, "GET", f"{API}/windows")
                assert next(w for w in public if w["number"] == 4)["current"] == "B001"
                board = await asyncio.to_thread(snapshot_window, client, 4)
                assert board["current"] == "B001" and board["clerk_staff_no"] == "C004"

                # 评价: the service ends and the pad lights with the ticket's digits.
                assert (await sim.send(1, key_frame(1, Key.REQUEST_RATING))).acked
                await wb.eventually(lambda: pad.rating_lit and pad.rating_ticket == "001", 5)
                assert keypad.ticket == "001" or keypad.ticket == "   "
                await wb.eventually(lambda: keypad.ticket == "   ", 5)
                assert (await call(client, "GET", f"{API}/windows/4", headers=clerk))[
                    "current"
                ] is None

                assert (await sim.send(2, rating_frame(2, 4))).acked
                await wb.eventually(lambda: not pad.rating_lit, 5)
                assert (await sim.send(2, rating_frame(2, 1, 2))).acked  # a second press
                await wb.eventually(lambda: count_ratings(hub) == 2, 5)
                with hub.db.read() as s:
                    b001 = s.exec(select(t.Ticket).where(t.Ticket.code == "B001")).one()
                    item = s.exec(select(t.ServiceItem).where(t.ServiceItem.code == "B03")).one()
                    window = s.exec(select(t.Window).where(t.Window.number == 4)).one()
                    c004 = s.exec(select(t.Staff).where(t.Staff.staff_no == "C004")).one()
                    first, second = s.exec(select(t.Rating).order_by(t.Rating.id)).all()
                assert (first.accepted, first.level, first.channel, first.device) == (
                    True,
                    4,
                    "pad",
                    "bus1#2",
                )
                assert (
                    first.ticket_id,
                    first.service_item_id,
                    first.window_id,
                    first.clerk_id,
                ) == (b001.id, item.id, window.id, c004.id)
                assert first.at == clock.now
                assert (second.accepted, second.reject_reason, second.level, second.reason) == (
                    False,
                    "RATING_ALREADY_GIVEN",
                    1,
                    2,
                )

                # The next service: unanswered, it closes as not rated and the pad goes dark.
                await asyncio.sleep(1.6)
                assert (await sim.send(1, key_frame(1, Key.CALL))).acked
                await wb.eventually(lambda: keypad.ticket == "002", 5)
                await asyncio.sleep(1.6)
                assert (await sim.send(1, key_frame(1, Key.REQUEST_RATING))).acked
                await wb.eventually(lambda: pad.rating_lit and pad.rating_ticket == "002", 5)
                clock.advance(seconds=61)
                await wb.eventually(lambda: not pad.rating_lit, 5)
                supervisor = await sign_in(client, "S001")
                day = await call(client, "GET", f"{API}/ratings", headers=supervisor)
                [w4] = day["windows"]
                assert (w4["number"], w4["rated"], w4["not_rated"], w4["rejected"]) == (4, 1, 1, 1)
                assert w4["levels"]["4"] == 1 and w4["satisfaction_rate"] == 1.0
                assert [c["staff_no"] for c in day["clerks"]] == ["C004"]

    wb.run(main(), timeout=90)


def count_ratings(hub: Hub) -> int:
    with hub.db.read() as s:
        return len(s.exec(select(t.Rating.id)).all())


def test_the_simulator_command_drives_a_running_hub(
    db_url: str, tmp_path: Path, clock: Any, wb: Any
) -> None:
    link = tmp_path / "bus1"
    toml = devices_toml(tmp_path / "devices.toml", str(link))
    script = "sleep 2.5 hello sleep 1 n sleep 1 show e sleep 1 show 5 sleep 1 show"

    async def main() -> None:
        async with running_hub(db_url, toml, clock) as (hub, (client, demo)):
            kiosk = {"Authorization": f"Bearer {demo.device_tokens['K01']}"}
            await sign_in(client, "C004", 4)
            await call(client, "POST", f"{API}/tickets", json={"item": "B03"}, headers=kiosk)
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "server.devices.windowbus.simulator",
                "--pty",
                "--link",
                str(link),
                "--keypad",
                "1",
                "--rating-pad",
                "2",
                "--no-hello",
                "-c",
                script,
                "--linger",
                "0.2",
                stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await process.communicate()
            text = out.decode()
            assert process.returncode == 0, text
            assert "[#1 keypad] waiting 000 | serving 001" in text
            assert "[#2 rating pad] lit for ticket 001: press 1-5" in text
            assert text.rstrip().splitlines()[-2] == "[#2 rating pad] dark"
            with hub.db.read() as s:
                [rating] = s.exec(select(t.Rating)).all()
            assert (rating.accepted, rating.level, rating.ticket_code) == (True, 5, "B001")
        assert not link.exists()

    wb.run(main(), timeout=60)
