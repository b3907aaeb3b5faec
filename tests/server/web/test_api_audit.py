"""The audit log through the API, on SQLite and PostgreSQL: each configuration write and
each sign-in leaves exactly one entry with who, from where and what changed; a refused
write leaves none; admins read their own hall's log (an installation admin any), as JSON
pages and as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall, patch_read

from server.cli import main
from server.demo.load import load_demo
from server.services import admin
from server.services.accounts import Role
from server.services.audit import Actor
from server.services.hub import Hub

Login = Callable[..., dict[str, str]]
Sql = Callable[..., list[Any]]
ADMIN = "/api/v1/admin/halls/demo"
AUDIT = "/api/v1/admin/audit"
PASSWORD = "admin1234"


def entries(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    r = client.get(AUDIT, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["entries"])


def one(client: TestClient, headers: dict[str, str], action: str, **params: Any) -> dict[str, Any]:
    """The only entry of this action (the prefix must not catch another)."""
    found = [e for e in entries(client, headers, action=action, **params) if e["action"] == action]
    assert len(found) == 1, found
    return found[0]


def count(sql: Sql) -> int:
    return int(sql("SELECT count(*) FROM auditentry")[0][0])


@pytest.fixture
def admin_h(login: Login) -> dict[str, str]:
    return login("admin", password=PASSWORD)


def test_a_hall_change_records_only_the_fields_it_changed(
    client: TestClient, admin_h: dict[str, str], sql: Sql
) -> None:
    before = patch_hall(client, "demo", {}, admin_h).json()
    assert entries(client, admin_h, action="hall.") == []  # nothing changed, nothing logged
    changes = {"notice": "今日办理至16:00", "class_weights": {"green": 3}, "name": before["name"]}
    assert patch_hall(client, "demo", changes, admin_h).status_code == 200
    entry = one(client, admin_h, "hall.update")
    assert entry["before"] == {"notice": before["notice"], "class_weights": {}}
    assert entry["after"] == {"notice": "今日办理至16:00", "class_weights": {"green": 3}}
    assert (entry["hall"], entry["entity_kind"], entry["entity_key"]) == ("demo", "hall", "demo")
    assert (entry["actor_kind"], entry["actor"], entry["actor_name"]) == (
        "staff",
        "admin",
        "系统管理员",
    )
    assert entry["address"] == "testclient"  # the TestClient's peer address
    assert entry["result"] == "ok" and entry["error_code"] is None
    assert entry["at"] == "2026-11-23T02:00:00+00:00"
    assert entry["at_local"] == "2026-11-23T10:00:00+08:00"
    # The same change again changes nothing.
    patch_hall(client, "demo", changes, admin_h)
    assert len(entries(client, admin_h, action="hall.")) == 1


def test_queue_window_staff_and_device_writes_each_leave_one_entry(
    client: TestClient, admin_h: dict[str, str], sql: Sql, login: Login
) -> None:
    queue = {"code": "G", "prefix": "G", "name": "公积金", "issue_hours": ["09:00-16:00"]}
    assert client.post(f"{ADMIN}/queues", json=queue, headers=admin_h).status_code == 201
    created = one(client, admin_h, "queue.create")
    assert created["before"] is None and created["entity_key"] == "G"
    assert created["after"]["name"] == "公积金" and created["after"]["issue_hours"] == [
        "09:00-16:00"
    ]
    assert "id" not in created["after"] and "hall_id" not in created["after"]

    r = patch_read(client, f"{ADMIN}/queues/E", {"daily_cap": 2, "name": "税务"}, admin_h)
    assert r.status_code == 200
    updated = one(client, admin_h, "queue.update")
    assert (updated["before"], updated["after"]) == ({"daily_cap": 300}, {"daily_cap": 2})

    window = {"number": 13, "name": "公积金", "queues": [{"queue": "G", "weight": 2}]}
    assert client.post(f"{ADMIN}/windows", json=window, headers=admin_h).status_code == 201
    made = one(client, admin_h, "window.create")
    assert made["entity_key"] == "13"
    assert made["after"] == {"number": 13, "name": "公积金", "name_en": "", "queues": [["G", 2]]}

    staff = {"staff_no": "C099", "name": "新人", "role": "clerk", "password": "long enough"}
    assert client.post(f"{ADMIN}/staff", json=staff, headers=admin_h).status_code == 201
    hired = one(client, admin_h, "staff.create")
    assert hired["entity_key"] == "C099" and hired["after"]["password"] == "set"
    assert hired["after"]["role"] == "clerk" and "password_hash" not in hired["after"]

    device = {"code": "K09", "kind": "kiosk", "name": "二楼取号机", "window": None}
    r = client.post(f"{ADMIN}/devices", json=device, headers=admin_h)
    token = r.json()["token"]
    registered = one(client, admin_h, "device.create")
    assert registered["after"] == {
        "code": "K09",
        "kind": "kiosk",
        "name": "二楼取号机",
        "window": None,
        "token": "issued",
    }

    c001 = login("C001", window=1)
    assert c001
    r = client.post("/api/v1/halls/demo/windows/1/release", headers=login("S001"))
    assert r.status_code == 204
    released = one(client, admin_h, "window.release")
    assert released["actor"] == "S001" and released["before"] == {"clerk": "C001"}

    # No secret anywhere in the log: not the password, its hash, nor the token.
    hashes = [r[0] for r in sql("SELECT password_hash FROM staff WHERE staff_no = 'C099'")]
    text = json.dumps([list(r) for r in sql("SELECT * FROM auditentry")], default=str)
    for secret in ("long enough", token, hashes[0]):
        assert secret not in text


def test_a_refused_write_leaves_no_entry(
    client: TestClient, admin_h: dict[str, str], sql: Sql
) -> None:
    queue = {"code": "G", "prefix": "G", "name": "公积金", "issue_hours": ["09:00-16:00"]}
    assert client.post(f"{ADMIN}/queues", json=queue, headers=admin_h).status_code == 201
    before = count(sql)
    again = client.post(f"{ADMIN}/queues", json=queue, headers=admin_h)
    assert again.status_code == 409 and again.json()["error"]["code"] == "QUEUE_CODE_TAKEN"
    bad_window = {"number": 14, "name": "无", "queues": [{"queue": "NOPE"}]}
    r = client.post(f"{ADMIN}/windows", json=bad_window, headers=admin_h)
    assert r.json()["error"]["code"] == "QUEUE_NOT_FOUND"
    r = client.post(f"{ADMIN}/staff", json={"staff_no": "C001", "name": "重复", "role": "clerk", "password": "long enough"}, headers=admin_h)  # fmt: skip
    assert r.status_code == 409
    assert count(sql) == before
    assert sql('SELECT count(*) FROM "window" WHERE number = 14')[0][0] == 0


def test_sign_ins_refused_sign_ins_and_sign_outs_are_recorded(
    client: TestClient, admin_h: dict[str, str], sql: Sql
) -> None:
    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C004", "password": "wrong-guess-1", "window": 4},
    )
    assert r.status_code == 401
    refused = one(client, admin_h, "auth.login_failed")
    assert refused["result"] == "refused" and refused["error_code"] == "BAD_CREDENTIALS"
    assert (refused["actor"], refused["actor_staff_id"]) == ("C004", None)
    assert refused["address"] == "testclient" and refused["after"] == {"window": 4}
    assert "wrong-guess-1" not in json.dumps(
        [list(r) for r in sql("SELECT * FROM auditentry")], default=str
    )

    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C004", "password": "demo1234", "window": 4},
    )
    clerk = {"Authorization": f"Bearer {r.json()['token']}"}
    client.cookies.clear()
    signed = [e for e in entries(client, admin_h, actor="C004") if e["action"] == "auth.login"]
    assert len(signed) == 1 and signed[0]["after"] == {"window": 4}
    assert signed[0]["actor_staff_id"] is not None and signed[0]["actor_name"] == "刘洋"

    # The window is taken: the right password, still a refused sign-in.
    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C005", "password": "demo1234", "window": 4},
    )
    assert r.json()["error"]["code"] == "WINDOW_TAKEN"
    taken = entries(client, admin_h, action="auth.login_failed", actor="C005")
    assert [e["error_code"] for e in taken] == ["WINDOW_TAKEN"]

    assert client.post("/api/v1/auth/logout", headers=clerk).status_code == 204
    out = one(client, admin_h, "auth.logout")
    assert out["actor"] == "C004" and out["before"] == {"window": 4}

    # A hall that does not exist: recorded, installation-wide (admins of all halls see it).
    r = client.post("/api/v1/auth/login", json={"hall": "x", "staff_no": "a", "password": "p"})
    assert r.status_code == 404
    [nowhere] = sql("SELECT hall_id, after, error_code FROM auditentry WHERE entity_key = 'a'")
    assert nowhere[0] is None and nowhere[2] == "HALL_NOT_FOUND"


def test_the_cli_rotates_a_device_token_and_creates_an_admin_as_cli(
    client: TestClient, admin_h: dict[str, str], hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", hub.settings.database_url)
    made: list[Hub] = []
    create = Hub.create
    monkeypatch.setattr(Hub, "create", lambda *a, **k: made.append(create(*a, **k)) or made[-1])
    try:
        assert main(["device-token", "--hall", "demo", "--device", "K01"]) == 0
        assert main(["create-admin", "--staff-no", "root", "--password", "long enough"]) == 0
    finally:
        for other in made:
            other.db.dispose()
    rotated = one(client, admin_h, "device.token_rotate")
    assert (rotated["actor_kind"], rotated["actor"], rotated["address"]) == ("cli", "cli", "cli")
    assert rotated["entity_key"] == "K01" and rotated["after"] == {"token": "rotated"}
    # The installation-wide admin is no hall's: only an installation admin reads it.
    assert entries(client, admin_h, action="staff.create") == []
    root = client.post(
        "/api/v1/auth/login", json={"hall": "demo", "staff_no": "root", "password": "long enough"}
    ).json()["token"]
    client.cookies.clear()
    created = one(client, {"Authorization": f"Bearer {root}"}, "staff.create")
    assert created["hall"] is None and created["after"]["hall_id"] is None
    assert created["actor_kind"] == "cli"


def test_each_admin_reads_the_own_hall_and_others_are_refused(
    client: TestClient, hub: Hub, admin_h: dict[str, str], login: Login
) -> None:
    load_demo(hub.db, hall_code="north")
    r = client.post(
        "/api/v1/auth/login", json={"hall": "north", "staff_no": "admin", "password": PASSWORD}
    )
    north = {"Authorization": f"Bearer {r.json()['token']}"}
    client.cookies.clear()
    patch_hall(client, "north", {"notice": "北厅"}, north)
    patch_hall(client, "demo", {"notice": "南厅"}, admin_h)

    assert [e["after"]["notice"] for e in entries(client, north, action="hall.")] == ["北厅"]
    assert {e["hall"] for e in entries(client, north)} == {"north"}
    assert {e["hall"] for e in entries(client, admin_h)} == {"demo"}
    r = client.get(AUDIT, params={"hall": "demo"}, headers=north)
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL"
    r = client.get(f"{AUDIT}.csv", params={"hall": "demo"}, headers=north)
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL"
    assert client.get(AUDIT, params={"hall": "nowhere"}, headers=north).status_code == 404

    for staff_no, window in (("S001", None), ("C001", 1)):
        r = client.get(AUDIT, headers=login(staff_no, window=window))
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    assert client.get(f"{AUDIT}.csv", headers=login("S001")).status_code == 403
    assert client.get(AUDIT).status_code == 401

    admin.add_staff(
        hub,
        hall_id=None,
        staff_no="root",
        name="总管理员",
        role=Role.ADMIN,
        password="long enough",
        actor=Actor.cli(),
    )
    r = client.post(
        "/api/v1/auth/login", json={"hall": "demo", "staff_no": "root", "password": "long enough"}
    )
    root = {"Authorization": f"Bearer {r.json()['token']}"}
    client.cookies.clear()
    notices = {e["hall"]: e["after"]["notice"] for e in entries(client, root, action="hall.")}
    assert notices == {"north": "北厅", "demo": "南厅"}
    assert {e["hall"] for e in entries(client, root, hall="north")} == {"north"}
    assert None in {e["hall"] for e in entries(client, root)}  # root's own creation


def test_filters_and_paging(
    client: TestClient, admin_h: dict[str, str], clock: Any, login: Login
) -> None:
    for n in range(5):
        clock.advance(hours=1)
        patch_read(client, f"{ADMIN}/queues/E", {"daily_cap": 10 + n}, admin_h)
    clock.advance(days=1)  # Tuesday, 15:00 in Shanghai: a new day, a new session
    admin_h = login("admin", password=PASSWORD)
    patch_read(client, f"{ADMIN}/queues/A", {"daily_cap": 1}, admin_h)
    login("S001")

    assert len(entries(client, admin_h, action="queue.update")) == 6
    assert [e["entity_key"] for e in entries(client, admin_h, entity="A")] == ["A"]
    monday = entries(client, admin_h, action="queue.", **{"from": "2026-11-23", "to": "2026-11-23"})
    assert [e["after"]["daily_cap"] for e in monday] == [14, 13, 12, 11, 10]
    tuesday = entries(client, admin_h, **{"from": "2026-11-24"})
    assert [(e["action"], e["actor"]) for e in tuesday] == [
        ("auth.login", "S001"),
        ("queue.update", "admin"),
        ("auth.login", "admin"),
    ]
    # An ISO time without an offset is the hall's: 12:00 Shanghai is 04:00 UTC.
    later = entries(client, admin_h, action="queue.", **{"from": "2026-11-23T12:00", "to": "2026-11-23T13:30+08:00"})  # fmt: skip
    assert [e["after"]["daily_cap"] for e in later] == [12, 11]
    assert [e["action"] for e in entries(client, admin_h, actor="S001")] == ["auth.login"]
    assert entries(client, admin_h, action="auth.login_failed") == []

    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        r = client.get(AUDIT, params={**params, "action": "queue."}, headers=admin_h).json()
        seen += [e["id"] for e in r["entries"]]
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 and seen == sorted(seen, reverse=True)

    for bad in ({"limit": 501}, {"limit": 0}, {"from": "23.11.2026"}, {"cursor": "x"}):
        r = client.get(AUDIT, params=bad, headers=admin_h)
        assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST", bad
    assert client.get(AUDIT, params={"limit": 500}, headers=admin_h).status_code == 200


def test_the_csv_export_opens_in_excel_with_chinese_headers(
    client: TestClient, admin_h: dict[str, str], clock: Any
) -> None:
    patch_hall(client, "demo", {"notice": "春节休息"}, admin_h)
    client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": '=HYPERLINK("x")', "password": "p"},
    )
    r = client.get(f"{AUDIT}.csv", headers=admin_h)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    # A hall's admin exports the own hall's log.
    assert r.headers["content-disposition"] == 'attachment; filename="audit-demo-2026-11-23.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["时间", "大厅", "操作人类型", "操作人", "姓名", "来源地址", "操作"]
    assert rows[0][7:] == ["操作代码", "对象类型", "对象", "变更前", "变更后", "结果", "错误代码"]
    refused, changed, signed = rows[1:]
    assert refused[3] == '\'=HYPERLINK("x")'  # text in Excel, never a formula
    assert refused[6:8] == ["登录失败", "auth.login_failed"] and refused[12:] == [
        "被拒绝",
        "BAD_CREDENTIALS",
    ]
    assert changed[0] == "2026-11-23 10:00:00+08:00"
    assert changed[1:7] == ["demo", "工作人员", "admin", "系统管理员", "testclient", "修改大厅设置"]
    assert json.loads(changed[11]) == {"notice": "春节休息"}
    assert changed[12] == "成功"
    assert signed[7] == "auth.login"
    only = client.get(f"{AUDIT}.csv", params={"action": "hall.", "hall": "demo"}, headers=admin_h)
    assert len(list(csv.reader(io.StringIO(only.text)))) == 2
    assert "audit-demo-" in only.headers["content-disposition"]
