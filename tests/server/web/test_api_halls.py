"""Halls through the admin API: created and closed by an installation-wide admin, edited
by their own admin with the version they read, every bad setting refused field by field;
and a hall's hours (with a lunch break) are what issuing follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall

from server.demo.load import load_demo
from server.services.hub import Hub
from server.web.schemas.admin import HallList, HallRow
from server.web.schemas.base import InvalidRequestBody
from server.web.schemas.calendar import HallYear

Login = Callable[..., dict[str, str]]
HALLS = "/api/v1/admin/halls"
LUNCH = [["09:00", "12:00"], ["13:30", "17:00"]]
EAST = {
    "code": "east-1",
    "name": "东区政务服务中心",
    "name_en": "East District Service Center",
    "office_hours": {str(d): LUNCH for d in range(1, 6)},
    "ticket_hours": {str(d): [["08:45", "16:30"]] for d in range(1, 6)},
    "languages": ["zh"],
    "notice": "请携带身份证原件",
    "ticket_notice": "过号请重新取号，谢谢配合",
    "unrated_stays_unrated": False,
}


def sysadmin(login: Login) -> dict[str, str]:
    return login("sysadmin", password="admin1234")


def hall_admin(login: Login) -> dict[str, str]:
    return login("admin", password="admin1234")


def version_of(client: TestClient, hall: str, headers: dict[str, str]) -> int:
    return int(client.get(f"{HALLS}/{hall}", headers=headers).json()["version"])


def kiosk_of(client: TestClient, hall: str, headers: dict[str, str]) -> dict[str, str]:
    """A queue "A" and a kiosk in the hall; the kiosk's bearer header."""
    r = client.post(
        f"{HALLS}/{hall}/queues",
        json={"code": "A", "prefix": "A", "name": "综合受理"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"{HALLS}/{hall}/devices", json={"code": "K1", "kind": "kiosk"}, headers=headers
    )
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# ---- create ------------------------------------------------------------------------


def test_an_installation_admin_creates_a_hall_that_issues_on_its_own_hours(
    client: TestClient, login: Login, clock: Any
) -> None:
    root = sysadmin(login)
    r = client.post(HALLS, json=EAST, headers=root)
    assert r.status_code == 201, r.text
    row = HallRow.model_validate(r.json())
    assert row.version == 1 and r.headers["etag"] == '"1"' and row.closed_at is None
    assert row.office_hours["1"] == LUNCH and "6" not in row.office_hours
    assert row.languages == ["zh"] and row.unrated_stays_unrated is False
    assert row.timezone == "Asia/Shanghai" and row.recall_limit == 3  # defaults
    listed = HallList.model_validate(client.get(HALLS, headers=root).json())
    assert [h.code for h in listed.halls] == ["demo", "east-1"] and listed.may_create
    assert [h["code"] for h in client.get("/api/v1/halls").json()] == ["demo", "east-1"]

    kiosk = kiosk_of(client, "east-1", root)
    with client.websocket_connect("/ws/halls/east-1") as ws:  # its board, at once
        snapshot = ws.receive_json()
        assert snapshot["state"]["hall"]["name"] == "东区政务服务中心"
        assert list(snapshot["state"]["queues"]) == ["A"]
    tickets = "/api/v1/halls/east-1/tickets"
    assert client.post(tickets, json={"queue": "A"}, headers=kiosk).status_code == 201  # 10:00
    clock.advance(hours=2, minutes=30)  # 12:30, the lunch break
    r = client.post(tickets, json={"queue": "A"}, headers=kiosk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "LUNCH_BREAK"
    assert r.json()["error"]["details"]["resumes"] == "13:30"
    assert r.json()["error"]["message_zh"] == "现在是午间休息时间，暂停取号"
    queues = client.get("/api/v1/halls/east-1/queues").json()["queues"]
    assert [q["not_issuing_code"] for q in queues] == ["LUNCH_BREAK"]
    clock.advance(hours=4)  # 16:30: the last minute of the ticket hours
    assert client.post(tickets, json={"queue": "A"}, headers=kiosk).status_code == 201
    clock.advance(minutes=1)  # 16:31, before the doors close at 17:00
    r = client.post(tickets, json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "OUTSIDE_TICKET_HOURS"
    assert r.json()["error"]["details"]["hours"] == ["08:45-16:30"]


def test_the_demo_halls_lunch_break_refuses_tickets_with_its_own_code(
    client: TestClient, kiosk: dict[str, str], clock: Any
) -> None:
    """The demo hall's queues stop at 11:45 (OUT_OF_HOURS); from 12:00 the hall itself is
    at lunch until 13:30."""
    clock.advance(hours=1, minutes=50)  # 11:50
    r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "OUT_OF_HOURS"
    clock.advance(minutes=40)  # 12:30
    r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "LUNCH_BREAK"
    clock.advance(hours=1)  # 13:30
    assert (
        client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk).status_code
        == 201
    )


def test_a_code_in_use_is_a_clear_conflict(client: TestClient, login: Login) -> None:
    root = sysadmin(login)
    r = client.post(HALLS, json={"code": "demo", "name": "又一个"}, headers=root)
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "HALL_CODE_TAKEN" and err["message_zh"] == "该大厅编码已被使用，请换一个"
    assert err["details"] == {"code": "demo"}
    assert (
        client.post(HALLS, json={"code": "west", "name": "西区"}, headers=root).status_code == 201
    )
    r = patch_hall(client, "west", {"code": "demo"}, root)
    assert r.status_code == 409 and r.json()["error"]["code"] == "HALL_CODE_TAKEN"
    r = patch_hall(client, "west", {"code": "west-2"}, root)
    assert r.status_code == 200 and r.json()["code"] == "west-2"
    assert client.get(f"{HALLS}/west", headers=root).status_code == 404


# ---- who may -----------------------------------------------------------------------


def test_only_an_installation_admin_creates_and_closes_halls(
    client: TestClient, login: Login, hub: Hub
) -> None:
    load_demo(hub.db, hall_code="north")
    north = client.post(
        "/api/v1/auth/login", json={"hall": "north", "staff_no": "admin", "password": "admin1234"}
    ).json()["token"]
    client.cookies.clear()
    north_admin = {"Authorization": f"Bearer {north}"}
    admin = hall_admin(login)
    body = {"code": "south", "name": "南区"}

    r = client.post(HALLS, json=body, headers=admin)
    assert r.status_code == 403 and r.json()["error"]["code"] == "INSTALLATION_ADMIN_ONLY"
    for staff in (login("S001"), login("C001")):
        r = client.post(HALLS, json=body, headers=staff)
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
        assert client.patch(f"{HALLS}/demo", json={"version": 1}, headers=staff).status_code == 403
        assert client.get(HALLS, headers=staff).status_code == 403
    assert client.post(HALLS, json=body).status_code == 401
    for path in ("close", "reopen"):
        r = client.post(f"{HALLS}/demo/{path}", headers=admin)
        assert r.status_code == 403 and r.json()["error"]["code"] == "INSTALLATION_ADMIN_ONLY"

    # A hall's admin edits her hall, not another; she sees only her own.
    assert patch_hall(client, "demo", {"notice": "今日"}, admin).status_code == 200
    r = client.patch(f"{HALLS}/demo", json={"notice": "x", "version": 2}, headers=north_admin)
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL"
    assert client.get(f"{HALLS}/demo", headers=north_admin).status_code == 403
    r = client.put(
        f"{HALLS}/demo/exceptions",
        json={"closed_dates": [], "open_dates": [], "version": 2},
        headers=north_admin,
    )
    assert r.status_code == 403
    listed = client.get(HALLS, headers=north_admin).json()
    assert [h["code"] for h in listed["halls"]] == ["north"] and listed["may_create"] is False
    assert [h["code"] for h in client.get(HALLS, headers=sysadmin(login)).json()["halls"]] == [
        "demo",
        "north",
    ]


# ---- edit with the version read ----------------------------------------------------


def test_an_edit_names_the_version_it_read_and_a_stale_one_is_refused(
    client: TestClient, login: Login, sql: Callable[..., list[Any]]
) -> None:
    admin = hall_admin(login)
    first = client.get(f"{HALLS}/demo", headers=admin)
    assert first.headers["etag"] == '"1"'
    everything = {
        "name": "示范区政务服务中心（新址）",
        "name_en": "Demo Center",
        "region": "zj",
        "timezone": "Asia/Urumqi",
        "address": "人民路99号",
        "phone": "0571-1",
        "notice": "新公告",
        "ticket_notice": "请留意叫号",
        "office_hours": {"1": LUNCH, "6": [["09:00", "12:00"]]},
        "ticket_hours": {"1": [["08:30", "16:30"]]},
        "languages": ["zh"],
        "closed_dates": ["2026-12-31", "2026-12-30"],
        "open_dates": ["2026-11-28"],
        "class_weights": {"green": 3},
        "recall_limit": 2,
        "no_show_reactivate_minutes": 15,
        "english_voice": True,
        "voice_repeat": 2,
        "green_channel_age": None,
        "id_daily_limit": 5,
        "rating_timeout_seconds": 30,
        "unrated_stays_unrated": False,
    }
    r = client.patch(f"{HALLS}/demo", json={**everything, "version": 1}, headers=admin)
    assert r.status_code == 200, r.text
    row = r.json()
    assert row["version"] == 2 and r.headers["etag"] == '"2"'
    assert {k: row[k] for k in everything} == {
        **everything,
        "closed_dates": ["2026-12-30", "2026-12-31"],  # kept in order
    }
    # If-Match does as well as the body's version.
    r = client.patch(f"{HALLS}/demo", json={"notice": "再改"}, headers={**admin, "If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["version"] == 3

    # Someone saving what they read at version 2 is told, and nothing of theirs is saved.
    r = client.patch(f"{HALLS}/demo", json={"notice": "旧的", "version": 2}, headers=admin)
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "STALE_VERSION" and err["details"] == {"version": 3, "yours": 2}
    assert err["message_zh"] == "已被他人修改，请刷新后重试"
    assert err["message_en"] == "It was changed by someone else; reload and try again"
    r = client.patch(
        f"{HALLS}/demo", json={"notice": "旧的"}, headers={**admin, "If-Match": 'W/"1"'}
    )
    assert r.json()["error"]["code"] == "STALE_VERSION"
    r = client.patch(f"{HALLS}/demo", json={"notice": "没有版本"}, headers=admin)
    assert r.status_code == 428 and r.json()["error"]["code"] == "VERSION_REQUIRED"
    r = client.patch(f"{HALLS}/demo", json={"notice": "x"}, headers={**admin, "If-Match": "soon"})
    assert r.status_code == 422 and r.json()["error"]["details"]["fields"][0]["field"] == "If-Match"
    assert sql("SELECT notice, version FROM hall WHERE code = 'demo'") == [("再改", 3)]


# ---- bad input: 422, field by field, nothing saved ---------------------------------

BAD_EDITS = [
    ({"office_hours": {"1": [["09:00", "25:00"]]}}, "office_hours.1.0.1", "TIME_INVALID"),
    ({"office_hours": {"1": [["9:00", "12:00"]]}}, "office_hours.1.0.0", "TIME_INVALID"),
    ({"office_hours": {"1": [["12:00", "09:00"]]}}, "office_hours.1.0", "SPAN_EMPTY"),
    (
        {"office_hours": {"1": [["09:00", "12:00"], ["11:00", "17:00"]]}},
        "office_hours.1.1",
        "SPANS_OVERLAP",
    ),
    ({"office_hours": {"0": LUNCH}}, "office_hours.0", "WEEKDAY_UNKNOWN"),
    ({"office_hours": {"1": [["09:00"]]}}, "office_hours.1.0", "SPAN_FORMAT"),
    ({"office_hours": "weekdays"}, "office_hours", "NOT_AN_OBJECT"),
    ({"office_hours": {"1": "09:00-17:00"}}, "office_hours.1", "NOT_A_LIST"),
    ({"ticket_hours": {"6": [["09:00", "12:00"]]}}, "ticket_hours.6", "TICKET_HOURS_ON_DAY_OFF"),
    (
        {"ticket_hours": {"1": [["09:00", "17:30"]]}},
        "ticket_hours.1.0",
        "TICKET_HOURS_AFTER_CLOSING",
    ),
    ({"timezone": "Asia/Beijing"}, "timezone", "TIMEZONE_UNKNOWN"),
    ({"timezone": "/etc/passwd"}, "timezone", "TIMEZONE_UNKNOWN"),
    ({"closed_dates": ["2026-02-30"]}, "closed_dates.0", "DATE_INVALID"),
    ({"closed_dates": ["2026/10/01"]}, "closed_dates.0", "DATE_INVALID"),
    ({"closed_dates": ["2026-10-01"] * 401}, "closed_dates", "TOO_LONG"),
    ({"closed_dates": "2026-10-01"}, "closed_dates", "NOT_A_LIST"),
    (
        {"closed_dates": ["2026-10-01"], "open_dates": ["2026-10-01"]},
        "open_dates.0",
        "DATE_IN_BOTH",
    ),
    ({"languages": ["en"]}, "languages", "LANGUAGE_ZH_REQUIRED"),
    ({"languages": ["zh", "jp"]}, "languages.1", "LANGUAGE_UNKNOWN"),
    ({"name": ""}, "name", "TOO_SHORT"),
    ({"name": None}, "name", "REQUIRED"),
    ({"notice": None}, "notice", "REQUIRED"),
    ({"notice": "长" * 501}, "notice", "TOO_LONG"),
    ({"ticket_notice": "长" * 61}, "ticket_notice", "TOO_LONG"),
    ({"recall_limit": "three"}, "recall_limit", "NOT_A_NUMBER"),
    ({"recall_limit": 11}, "recall_limit", "TOO_LARGE"),
    ({"green_channel_age": 30}, "green_channel_age", "TOO_SMALL"),
    ({"english_voice": "maybe"}, "english_voice", "NOT_A_BOOLEAN"),
    ({"class_weights": {"vip": 2}}, "class_weights.vip.[key]", "NOT_ALLOWED"),
    ({"opens": "09:00"}, "opens", "UNKNOWN_FIELD"),
    ({"code": "Demo Hall"}, "code", "HALL_CODE_FORMAT"),
    ({"code": None}, "code", "REQUIRED"),
]


@pytest.mark.parametrize(("change", "field", "code"), BAD_EDITS, ids=[c for _, _, c in BAD_EDITS])
def test_a_bad_setting_is_refused_with_its_field_and_code(
    client: TestClient,
    login: Login,
    sql: Callable[..., list[Any]],
    change: dict[str, Any],
    field: str,
    code: str,
) -> None:
    admin = hall_admin(login)
    r = client.patch(f"{HALLS}/demo", json={**change, "version": 1}, headers=admin)
    assert r.status_code == 422, r.text
    body = InvalidRequestBody.model_validate(r.json())
    assert body.error.code == "INVALID_REQUEST"
    found = {(f.field, f.code) for f in body.error.details.fields}
    assert (field, code) in found, found
    for f in body.error.details.fields:
        assert f.message_zh and f.message_en and f.message_zh != f.message_en
    assert sql("SELECT version FROM hall WHERE code = 'demo'")[0][0] == 1  # nothing saved


def test_a_new_hall_is_checked_the_same_way(
    client: TestClient, login: Login, sql: Callable[..., list[Any]]
) -> None:
    root = sysadmin(login)
    r = client.post(
        HALLS,
        json={
            "code": "East 1",
            "name": "东区",
            "timezone": "Mars/Olympus",
            "office_hours": {"1": [["13:30", "17:00"], ["09:00", "12:00"]]},
        },
        headers=root,
    )
    assert r.status_code == 422
    fields = [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]]
    assert fields == [
        ("code", "HALL_CODE_FORMAT"),
        ("timezone", "TIMEZONE_UNKNOWN"),
        ("office_hours.1.1", "SPANS_OVERLAP"),
    ]
    r = client.post(HALLS, json={"name": "没有编码"}, headers=root)
    assert [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]] == [
        ("code", "REQUIRED")
    ]
    assert sql("SELECT count(*) FROM hall")[0][0] == 1


# ---- close, reopen -----------------------------------------------------------------


def test_a_closed_hall_issues_nothing_says_so_and_keeps_its_data(
    client: TestClient, login: Login, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    root = sysadmin(login)
    issue = "/api/v1/halls/demo/tickets"
    assert client.post(issue, json={"queue": "A"}, headers=kiosk).status_code == 201
    with client.websocket_connect("/ws/halls/demo") as ws:
        assert ws.receive_json()["state"]["hall"]["closed"] is False
        r = client.post(f"{HALLS}/demo/close", json={"reason": "装修"}, headers=root)
        assert r.status_code == 200, r.text
        assert r.json()["closed_at"] and r.json()["closed_reason"] == "装修"
        for _ in range(5):
            frame = ws.receive_json()
            if frame.get("kind") == "hall_changed":
                break
        assert frame["patch"]["hall"]["closed"] is True
        assert frame["patch"]["hall"]["closed_reason"] == "装修"

    r = client.post(issue, json={"queue": "A"}, headers=kiosk)
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "HALL_CLOSED" and err["message_zh"].startswith("本大厅已暂停对外服务")
    status = client.get("/api/v1/halls/demo/queues").json()
    assert status["closed"] is True and status["closed_reason"] == "装修"
    assert {q["not_issuing_code"] for q in status["queues"]} == {"HALL_CLOSED"}
    assert 'id="closed-band"' in client.get("/board/hall/demo").text
    r = client.post(f"{HALLS}/demo/close", headers=root)
    assert r.status_code == 409 and r.json()["error"]["code"] == "HALL_ALREADY_CLOSED"
    # Everything stays: its ticket, its catalogue, its place in the list.
    assert sql("SELECT count(*) FROM ticket")[0][0] == 1
    assert client.get("/api/v1/halls/demo/catalogue").status_code == 200

    r = client.post(f"{HALLS}/demo/reopen", headers=root)
    assert r.status_code == 200 and r.json()["closed_at"] is None
    assert client.post(issue, json={"queue": "A"}, headers=kiosk).status_code == 201
    r = client.post(f"{HALLS}/demo/reopen", headers=root)
    assert r.status_code == 409 and r.json()["error"]["code"] == "HALL_NOT_CLOSED"
    assert client.post(f"{HALLS}/nowhere/close", headers=root).status_code == 404


# ---- the hall's own exceptions and its working days -------------------------------


def test_a_halls_own_days_off_and_extra_days_meet_the_national_calendar(
    client: TestClient, login: Login, kiosk: dict[str, str], clock: Any
) -> None:
    admin = hall_admin(login)
    r = client.put(
        f"{HALLS}/demo/exceptions",
        json={"closed_dates": ["2026-11-24"], "open_dates": ["2026-11-28", "2026-10-05"]},
        headers={**admin, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["open_dates"] == ["2026-10-05", "2026-11-28"] and r.json()["version"] == 2
    r = client.put(
        f"{HALLS}/demo/exceptions",
        json={"closed_dates": ["2026-11-31"], "open_dates": [], "version": 2},
        headers=admin,
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["fields"][0]["field"] == "closed_dates.0"
    r = client.put(
        f"{HALLS}/demo/exceptions",
        json={"closed_dates": [], "open_dates": [], "version": 1},
        headers=admin,
    )
    assert r.json()["error"]["code"] == "STALE_VERSION"

    year = HallYear.model_validate(client.get(f"{HALLS}/demo/calendar/2026", headers=admin).json())
    days = {d.date: d for d in year.days}
    assert len(days) == 365 and year.version == 2
    assert (days["2026-11-24"].working, days["2026-11-24"].source) == (False, "hall")
    assert (days["2026-11-28"].working, days["2026-11-28"].source) == (True, "hall")
    assert (days["2026-10-05"].working, days["2026-10-05"].source) == (True, "hall")
    assert (days["2026-10-01"].working, days["2026-10-01"].source, days["2026-10-01"].name) == (
        False,
        "holiday",
        "国庆节",
    )
    assert (days["2026-10-10"].working, days["2026-10-10"].source) == (True, "workday")
    assert (days["2026-11-29"].working, days["2026-11-29"].source) == (False, "weekday")

    clock.advance(days=1)  # Tuesday 24th: the hall's own day off
    r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "HALL_CLOSED_TODAY"
    clock.advance(days=4)  # Saturday 28th: an extra working day, on Monday's hours
    assert (
        client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk).status_code
        == 201
    )

    r = client.get(
        f"{HALLS}/demo/working-days",
        params={"start": "2026-02-13", "days": 2},
        headers=login("S001"),
    )
    assert r.status_code == 200 and r.json()["date"] == "2026-02-24"  # over the Spring Festival
    admin = hall_admin(login)  # a new session: the first one ended days ago
    r = client.get(
        f"{HALLS}/demo/working-days", params={"start": "2026-02-30", "days": 2}, headers=admin
    )
    assert r.status_code == 422
    assert client.get(f"{HALLS}/demo/calendar/1999", headers=admin).status_code == 422
