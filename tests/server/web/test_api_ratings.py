"""好差评 through the API: requests opened by finishing, the clerk's 评价, the window
tablet, the phone by the ticket's QR code, timeouts, rejections and the supervisors'
figures. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall

from server.realtime.bus import HubEvent
from server.services import rating_requests
from server.services.hub import Hub

W = "/api/v1/halls/demo/windows"
R = "/api/v1/halls/demo/ratings"


@pytest.fixture
def issue(client: TestClient, kiosk: dict[str, str]) -> Callable[..., dict[str, Any]]:
    def do(item: str = "B03") -> dict[str, Any]:
        r = client.post("/api/v1/halls/demo/tickets", json={"item": item}, headers=kiosk)
        assert r.status_code == 201, r.text
        return dict(r.json())

    return do


@pytest.fixture
def published(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> list[HubEvent]:
    """Every event the hub publishes (after commit), in order."""
    seen: list[HubEvent] = []
    original = hub.bus.publish

    def publish(events: list[HubEvent]) -> None:
        seen.extend(events)
        original(events)

    monkeypatch.setattr(hub.bus, "publish", publish)
    return seen


def kinds(events: list[HubEvent], prefix: str = "rat") -> list[str]:
    return [e.kind for e in events if e.kind.startswith(prefix)]


def test_finish_opens_a_request_and_the_tablet_rating_is_bound_to_the_service(
    client: TestClient,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    clock: Any,
    published: list[HubEvent],
) -> None:
    ticket = issue("B03")
    clerk = login("C004", window=4)
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"] is None
    assert client.post(f"{W}/4/call-next", headers=clerk).json()["called"] == ticket["code"]
    assert client.post(f"{W}/4/start", headers=clerk).status_code == 200
    clock.advance(minutes=6)
    assert client.post(f"{W}/4/finish", headers=clerk).status_code == 200
    state = client.get(f"{W}/4/rating", headers=clerk).json()
    assert state["open"]["ticket"] == ticket["code"] and state["open"]["window"] == 4
    assert state["open"]["service_item"] == "社会保障卡申领"
    # The choices come in one fixed order, best first, and there is nothing preselected.
    assert [c["level"] for c in state["levels"]] == [5, 4, 3, 2, 1]
    assert [c["name"] for c in state["levels"]] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]

    clock.advance(seconds=20)
    r = client.post(f"{W}/4/rating", json={"level": 4}, headers=clerk)
    assert r.status_code == 201 and r.json()["accepted"] is True
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"] is None
    opened, rated = (e for e in published if e.kind in ("rating_opened", "rated"))
    assert opened.data["ticket"] == ticket["code"] and opened.data["window"] == 4
    assert rated.data | {"at": None} == rated.data | {
        "window": 4,
        "ticket": ticket["code"],
        "level": 4,
        "bad": False,
        "clerk": "C004",
        "channel": "tablet",
        "item": "社会保障卡申领",
        "at": None,
    }
    assert 0 < opened.seq < rated.seq
    # "finished" is published before the request it opened.
    assert [e.kind for e in published if e.kind in ("finished", "rating_opened")] == [
        "finished",
        "rating_opened",
    ]

    supervisor = login("S001")
    day = client.get(R, headers=supervisor).json()
    [window] = day["windows"]
    assert window["number"] == 4 and window["levels"]["4"] == 1 and window["rated"] == 1
    assert window["satisfaction_rate"] == 1.0 and window["not_rated"] == 0
    [clerk_row] = day["clerks"]
    assert clerk_row["staff_no"] == "C004" and clerk_row["name"] == "刘洋"


def test_a_second_rating_and_a_rating_without_request_are_rejected_and_never_counted(
    client: TestClient,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    sql: Callable[..., list[Any]],
) -> None:
    clerk = login("C004", window=4)
    r = client.post(f"{W}/4/rating", json={"level": 1}, headers=clerk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_NOT_OPEN"
    issue()
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/finish", headers=clerk)
    assert client.post(f"{W}/4/rating", json={"level": 5}, headers=clerk).status_code == 201
    r = client.post(f"{W}/4/rating", json={"level": 1, "reason": 1}, headers=clerk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_ALREADY_GIVEN"
    assert r.json()["error"]["message_zh"] == "这次服务已经评价过了"
    rows = sql("SELECT level, accepted, reject_reason FROM rating ORDER BY id")
    assert [tuple(x) for x in rows] == [
        (1, False, "RATING_NOT_OPEN"),
        (5, True, None),
        (1, False, "RATING_ALREADY_GIVEN"),
    ]
    day = client.get(R, headers=login("S001")).json()
    assert day["total"]["rated"] == 1 and day["total"]["rejected"] == 2
    assert day["total"]["levels"] == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 0}
    assert client.get(f"{R}/bad", headers=login("S001")).json() == []


def test_call_next_finishing_the_current_service_opens_its_request_and_replaces_an_older_one(
    client: TestClient,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    published: list[HubEvent],
) -> None:
    first, second, _ = issue(), issue(), issue()
    clerk = login("C004", window=4)
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/call-next", headers=clerk)  # finishes the first
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"]["ticket"] == first["code"]
    client.post(f"{W}/4/call-next", headers=clerk)  # finishes the second
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"]["ticket"] == second["code"]
    closed = [e for e in published if e.kind == "rating_closed"]
    assert [(e.data["ticket"], e.data["why"]) for e in closed] == [(first["code"], "superseded")]
    day = client.get(R, headers=login("S001")).json()
    assert day["total"]["not_rated"] == 1 and day["total"]["open"] == 1


def test_clerk_asks_for_a_rating(
    client: TestClient,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    sql: Callable[..., list[Any]],
) -> None:
    clerk = login("C004", window=4)
    r = client.post(f"{W}/4/rate", headers=clerk, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "NOTHING_TO_RATE"
    ticket = issue()
    client.post(f"{W}/4/call-next", headers=clerk)
    r = client.post(f"{W}/4/rate", headers=clerk, json={})
    assert r.status_code == 200 and r.json()["open"]["ticket"] == ticket["code"]
    view = client.get(f"{W}/4", headers=clerk).json()
    assert view["current"] is None and view["served_today"] == 1  # 评价 ended the service
    assert [tuple(x) for x in sql("SELECT opened_by, status FROM ratingrequest")] == [
        ("clerk", "open")
    ]
    assert client.post(f"{W}/4/rating", json={"level": 3}, headers=clerk).status_code == 201
    r = client.post(f"{W}/4/rate", headers=clerk, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_ALREADY_GIVEN"
    other = login("C005", window=5)
    assert client.post(f"{W}/4/rate", headers=other).json()["error"]["code"] == "WRONG_WINDOW"


def test_timeout_closes_as_not_rated_then_the_phone_may_still_rate_once(
    client: TestClient,
    hub: Hub,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    clock: Any,
) -> None:
    ticket = issue()
    clerk = login("C004", window=4)
    page = client.get(f"/t/{ticket['token']}")
    assert f"/t/{ticket['token']}/rate" not in page.text  # not before the service ended
    r = client.post(f"/api/v1/tickets/{ticket['token']}/rating", json={"level": 5})
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_NOT_AVAILABLE"
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/finish", headers=clerk)
    clock.advance(seconds=59)
    assert rating_requests.close_expired(hub) == 0
    clock.advance(seconds=2)
    assert rating_requests.close_expired(hub) == 1
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"] is None
    r = client.post(f"{W}/4/rating", json={"level": 5}, headers=clerk)
    assert r.json()["error"]["code"] == "RATING_NOT_OPEN"
    supervisor = login("S001")
    assert client.get(R, headers=supervisor).json()["total"]["not_rated"] == 1

    assert f"/t/{ticket['token']}/rate" in client.get(f"/t/{ticket['token']}").text
    state = client.get(f"/api/v1/tickets/{ticket['token']}/rating").json()
    assert state["can_rate"] is True and state["window"] == 4
    r = client.post(f"/api/v1/tickets/{ticket['token']}/rating", json={"level": 2, "reason": 2})
    assert r.status_code == 201 and r.json()["accepted"] is True
    r = client.post(f"/api/v1/tickets/{ticket['token']}/rating", json={"level": 5})
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_ALREADY_GIVEN"
    day = client.get(R, headers=supervisor).json()
    assert day["total"]["not_rated"] == 0 and day["total"]["rated"] == 1
    assert day["total"]["rejected"] == 3
    [bad] = client.get(f"{R}/bad", headers=supervisor).json()
    assert bad["ticket"] == ticket["code"] and bad["reason_name"] == "办事效率"
    assert bad["channel"] == "phone" and bad["clerk_staff_no"] == "C004" and bad["window"] == 4


def test_phone_page_flow_with_a_reason_for_a_bad_rating(
    client: TestClient,
    issue: Callable[..., dict[str, Any]],
    login: Callable[..., dict[str, str]],
    sql: Callable[..., list[Any]],
) -> None:
    ticket = issue()
    clerk = login("C004", window=4)
    assert "服务办结后才能评价" in client.get(f"/t/{ticket['token']}/rate").text
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/finish", headers=clerk)
    page = client.get(f"/t/{ticket['token']}/rate").text
    names = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    positions = [
        page.index(f'value="{level}">{name}<')
        for level, name in zip([5, 4, 3, 2, 1], names, strict=True)
    ]
    assert positions == sorted(positions)
    assert "checked" not in page and "autofocus" not in page and "selected" not in page
    step = client.post(f"/t/{ticket['token']}/rate", data={"level": "1"})
    assert step.status_code == 200 and "服务态度" in step.text and "不选择原因" in step.text
    assert sql("SELECT count(*) FROM rating")[0][0] == 0  # nothing stored before the choice
    done = client.post(f"/t/{ticket['token']}/rate", data={"level": "1", "reason": "4"})
    assert done.status_code == 201 and "感谢您的评价" in done.text
    again = client.post(f"/t/{ticket['token']}/rate", data={"level": "5"})
    assert again.status_code == 409 and "已经评价过了" in again.text
    assert [
        tuple(x) for x in sql("SELECT level, reason, channel, accepted FROM rating ORDER BY id")
    ] == [
        (1, 4, "phone", True),
        (5, None, "phone", False),
    ]
    assert "已经评价过了" in client.get(f"/t/{ticket['token']}/rate").text


def test_bad_input_gets_clear_errors(
    client: TestClient, issue: Callable[..., dict[str, Any]], login: Callable[..., dict[str, str]]
) -> None:
    ticket = issue()
    clerk = login("C004", window=4)
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/finish", headers=clerk)
    r = client.post(f"{W}/4/rating", json={"level": 6}, headers=clerk)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST"
    r = client.post(f"{W}/4/rating", json={"level": 5, "reason": 1}, headers=clerk)
    assert r.status_code == 422 and r.json()["error"]["code"] == "RATING_REASON_NOT_ALLOWED"
    assert r.json()["error"]["message_zh"].startswith("只有")
    r = client.post("/api/v1/tickets/not-a-token/rating", json={"level": 5})
    assert r.status_code == 404 and r.json()["error"]["code"] == "TICKET_NOT_FOUND"
    # Still open: bad input stored nothing and closed nothing.
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"]["ticket"] == ticket["code"]


def test_who_may_rate_at_a_window_and_who_sees_the_figures(
    client: TestClient, hub: Hub, login: Callable[..., dict[str, str]]
) -> None:
    from server.services.accounts import DeviceKind, create_device
    from server.store import halls as hall_store
    from server.store import windows as window_store

    def make(code: str, kind: DeviceKind, window: int | None) -> str:
        def work(s: Any) -> str:
            hall = hall_store.hall_by_code(s, "demo")
            assert hall.id is not None
            wid = window_store.window_row(s, hall.id, window).id if window else None
            return create_device(s, hall_id=hall.id, code=code, kind=kind, window_id=wid)[1]

        return hub.db.write(work)

    tablet = {"Authorization": f"Bearer {make('RP04', DeviceKind.RATING_PAD, 4)}"}
    kiosk = {"Authorization": f"Bearer {make('K09', DeviceKind.KIOSK, None)}"}
    assert client.get(f"{W}/4/rating", headers=tablet).status_code == 200
    r = client.get(f"{W}/5/rating", headers=tablet)
    assert r.status_code == 403 and r.json()["error"]["code"] == "DEVICE_WRONG_WINDOW"
    assert client.get(f"{W}/4/rating", headers=kiosk).json()["error"]["code"] == "FORBIDDEN"
    assert client.get(f"{W}/4/rating").json()["error"]["code"] == "AUTH_REQUIRED"
    assert client.get(f"{W}/4/rating", headers=login("C005", window=5)).status_code == 403
    assert client.get(R, headers=login("C004", window=4)).json()["error"]["code"] == "FORBIDDEN"
    # The tablet page keeps its token in a cookie, then works by that cookie alone.
    token = tablet["Authorization"].split()[1]
    r = client.get(f"/rate/demo/4?token={token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/rate/demo/4"
    page = client.get("/rate/demo/4")
    assert page.status_code == 200 and "data-level" in page.text
    assert client.get(f"{W}/4/rating").status_code == 200
    client.cookies.clear()
    assert client.get("/rate/demo/4").status_code == 401
    wrong = client.get(f"/rate/demo/5?token={token}", follow_redirects=False)
    assert wrong.status_code == 403 and "该设备不属于这个窗口" in wrong.text
    assert "hall_device" not in wrong.cookies
    assert client.get("/rate/demo/4?token=nonsense").status_code == 401


# ---- each hall its own timeout ----------------------------------------------------------

ADMIN_HALL = "/api/v1/admin/halls/demo"


def _sign_in(client: TestClient, hall: str, staff_no: str, **extra: Any) -> dict[str, str]:
    body = {"hall": hall, "staff_no": staff_no, **extra}
    r = client.post("/api/v1/auth/login", json=body)
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _finish_one(client: TestClient, hall: str, kiosk: dict[str, str], clerk: dict[str, str]) -> str:
    """A ticket of that hall served and finished at window 4: its rating request opens."""
    r = client.post(f"/api/v1/halls/{hall}/tickets", json={"item": "B03"}, headers=kiosk)
    assert r.status_code == 201, r.text
    windows = f"/api/v1/halls/{hall}/windows"
    assert client.post(f"{windows}/4/call-next", headers=clerk).json()["called"] == r.json()["code"]
    assert client.post(f"{windows}/4/finish", headers=clerk).status_code == 200
    return str(r.json()["code"])


def test_a_hall_sets_its_own_rating_timeout_and_another_hall_keeps_the_default(
    client: TestClient,
    hub: Hub,
    kiosk: dict[str, str],
    login: Callable[..., dict[str, str]],
    clock: Any,
    published: list[HubEvent],
) -> None:
    from server.demo.load import load_demo

    north = load_demo(hub.db, hall_code="north")
    north_kiosk = {"Authorization": f"Bearer {north.device_tokens['K01']}"}
    admin = login("admin", password="admin1234")
    r = patch_hall(client, "demo", {"rating_timeout_seconds": 20}, admin)
    assert r.status_code == 200, r.text
    assert r.json()["rating_timeout_seconds"] == 20
    # What an admin reads back: the hall's own value; null where it keeps the default.
    r = patch_hall(client, "demo", {}, admin)
    assert r.json()["rating_timeout_seconds"] == 20
    north_admin = _sign_in(client, "north", "admin", password="admin1234")
    r = patch_hall(client, "north", {}, north_admin)
    assert r.status_code == 200 and r.json()["rating_timeout_seconds"] is None
    assert rating_requests.sweep_expired(hub) == (0, 20.0)  # the closer comes round for 20 s

    here = _finish_one(client, "demo", kiosk, login("C004", window=4))
    north_clerk = _sign_in(client, "north", "C004", password="demo1234", window=4)
    there = _finish_one(client, "north", north_kiosk, north_clerk)
    # Both halls number from B001: the events tell them apart by hall.
    demo_opened, north_opened = (e for e in published if e.kind == "rating_opened")
    assert demo_opened.hall_id != north_opened.hall_id
    assert demo_opened.data["ticket"] == here and north_opened.data["ticket"] == there
    start = clock.now
    assert demo_opened.data["deadline"] == (start + timedelta(seconds=20)).isoformat()
    assert north_opened.data["deadline"] == (start + timedelta(seconds=60)).isoformat()
    clerk = login("C004", window=4)
    state = client.get(f"{W}/4/rating", headers=clerk).json()["open"]
    assert state["ticket"] == here

    clock.advance(seconds=19)
    assert rating_requests.close_expired(hub) == 0
    clock.advance(seconds=2)  # 21 s: over in this hall, not in the other
    assert rating_requests.close_expired(hub) == 1
    assert client.get(f"{W}/4/rating", headers=clerk).json()["open"] is None
    r = client.post(f"{W}/4/rating", json={"level": 5}, headers=clerk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "RATING_NOT_OPEN"
    north_windows = "/api/v1/halls/north/windows"
    north_clerk = _sign_in(client, "north", "C004", password="demo1234", window=4)
    assert (
        client.get(f"{north_windows}/4/rating", headers=north_clerk).json()["open"]["ticket"]
        == there
    )
    clock.advance(seconds=38)  # 59 s
    assert rating_requests.close_expired(hub) == 0
    clock.advance(seconds=2)  # 61 s
    assert rating_requests.close_expired(hub) == 1
    closed = [(e.hall_id, e.data["why"]) for e in published if e.kind == "rating_closed"]
    assert closed == [(demo_opened.hall_id, "timeout"), (north_opened.hall_id, "timeout")]

    # Back to the installation's default: the next request in this hall has 60 s.
    r = patch_hall(client, "demo", {"rating_timeout_seconds": None}, admin)
    assert r.status_code == 200 and r.json()["rating_timeout_seconds"] is None
    assert rating_requests.sweep_expired(hub) == (0, 60.0)
    again = _finish_one(client, "demo", kiosk, login("C004", window=4))
    clock.advance(seconds=30)
    assert rating_requests.close_expired(hub) == 0
    state = client.get(f"{W}/4/rating", headers=login("C004", window=4)).json()["open"]
    assert state["ticket"] == again


def test_a_second_press_counts_as_already_rated_for_the_halls_timeout(
    client: TestClient,
    kiosk: dict[str, str],
    login: Callable[..., dict[str, str]],
    clock: Any,
) -> None:
    """A second press soon after a rating is 'already rated'; 'soon' is the hall's timeout."""
    admin = login("admin", password="admin1234")
    assert patch_hall(client, "demo", {"rating_timeout_seconds": 20}, admin).status_code == 200
    clerk = login("C004", window=4)
    _finish_one(client, "demo", kiosk, clerk)
    assert client.post(f"{W}/4/rating", json={"level": 5}, headers=clerk).status_code == 201
    clock.advance(seconds=19)
    r = client.post(f"{W}/4/rating", json={"level": 4}, headers=clerk)
    assert r.json()["error"]["code"] == "RATING_ALREADY_GIVEN"
    clock.advance(seconds=6)  # 25 s: within the default's 60 s, past the hall's 20 s
    r = client.post(f"{W}/4/rating", json={"level": 4}, headers=clerk)
    assert r.json()["error"]["code"] == "RATING_NOT_OPEN"


def test_a_bad_rating_timeout_is_refused_with_a_clear_error(
    client: TestClient,
    hub: Hub,
    login: Callable[..., dict[str, str]],
    sql: Callable[..., list[Any]],
) -> None:
    admin = login("admin", password="admin1234")
    for bad in (14, 0, -30, 601, 3600, 30.5, "soon", True, [30]):
        r = patch_hall(client, "demo", {"rating_timeout_seconds": bad}, admin)
        assert r.status_code == 422, (bad, r.text)
        err = r.json()["error"]
        assert err["code"] == "INVALID_REQUEST", bad
        assert err["message_zh"] == "请求内容不正确" and err["message_en"]
        assert err["message"].startswith(err["message_zh"])
        assert [f["field"] for f in err["details"]["fields"]] == ["rating_timeout_seconds"]
    assert sql("SELECT rating_timeout_seconds FROM hall WHERE code = 'demo'")[0][0] is None
    for good in (15, 600, 90):
        r = patch_hall(client, "demo", {"rating_timeout_seconds": good}, admin)
        assert r.status_code == 200 and r.json()["rating_timeout_seconds"] == good
    assert sql("SELECT rating_timeout_seconds FROM hall WHERE code = 'demo'")[0][0] == 90
    # Only an admin, and only of this hall.
    r = patch_hall(client, "demo", {"rating_timeout_seconds": 30}, login("S001"))
    assert r.status_code == 403
    from server.demo.load import load_demo

    load_demo(hub.db, hall_code="north")
    north_admin = _sign_in(client, "north", "admin", password="admin1234")
    r = patch_hall(client, "demo", {"rating_timeout_seconds": 30}, north_admin)
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL"
    assert sql("SELECT rating_timeout_seconds FROM hall WHERE code = 'demo'")[0][0] == 90


def test_the_hall_is_read_once_when_a_finish_opens_its_rating_request(
    client: TestClient, hub: Hub, kiosk: dict[str, str], login: Callable[..., dict[str, str]]
) -> None:
    """The timeout comes from the hall row the window command loaded: no second query."""
    import re
    import threading

    from sqlalchemy import event

    from server.services import windows
    from server.store import halls as hall_store

    admin = login("admin", password="admin1234")
    patch_hall(client, "demo", {"rating_timeout_seconds": 20}, admin)
    client.post("/api/v1/halls/demo/tickets", json={"item": "B03"}, headers=kiosk)
    clerk = login("C004", window=4)
    client.post(f"{W}/4/call-next", headers=clerk)
    with hub.db.read() as s:
        hall_id = hall_store.hall_by_code(s, "demo").id
    assert hall_id is not None
    statements: list[str] = []

    command_thread = threading.get_ident()

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The command's own statements: the app's day and rating closers run meanwhile
        # in threads of their own and read halls too.
        if threading.get_ident() == command_thread:
            statements.append(statement)

    event.listen(hub.db.engine, "before_cursor_execute", seen)
    try:
        windows.execute(
            hub, hall_id=hall_id, window_number=4, clerk_id=None, command=windows.finish
        )
    finally:
        event.remove(hub.db.engine, "before_cursor_execute", seen)
    from_hall = [x for x in statements if re.search(r"\bFROM hall\b", x)]
    assert len(from_hall) == 1, from_hall
    assert any(x.lstrip().upper().startswith("INSERT INTO RATINGREQUEST") for x in statements)
