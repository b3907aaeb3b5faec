"""A hall's queues, windows, staff and devices through the admin API: edits with the
version read, removals refused while in use (with the reason), another hall's admin
refused, sign-in lockouts and unlocks, disabled clerks and rotated or revoked tokens
refused at once; every change audited without secrets."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_read
from PIL import Image

from server.domain.config_rules import MAX_FAILED_LOGINS
from server.web.schemas.admin import (
    DeviceList,
    DeviceRow,
    DeviceToken,
    QueueList,
    QueueRow,
    StaffList,
    StaffPassword,
    StaffRow,
    WindowList,
    WindowRow,
)

Login = Callable[..., dict[str, str]]
Sql = Callable[..., list[Any]]
ADMIN = "/api/v1/admin/halls/demo"
AUDIT = "/api/v1/admin/audit"
TICKETS = "/api/v1/halls/demo/tickets"


@pytest.fixture
def admin_h(login: Login) -> dict[str, str]:
    return login("admin", password="admin1234")


@pytest.fixture
def other_admin(client: TestClient, login: Login) -> dict[str, str]:
    """The admin of another hall, "north"."""
    root = login("sysadmin", password="admin1234")
    r = client.post("/api/v1/admin/halls", json={"code": "north", "name": "北区"}, headers=root)
    assert r.status_code == 201, r.text
    staff = {"staff_no": "nadmin", "name": "北区管理员", "role": "admin", "password": "north1234"}
    r = client.post("/api/v1/admin/halls/north/staff", json=staff, headers=root)
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "north", "staff_no": "nadmin", "password": "north1234"},
    )
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def code_of(r: Any) -> str:
    return str(r.json()["error"]["code"])


def audit_of(client: TestClient, headers: dict[str, str], action: str) -> list[dict[str, Any]]:
    r = client.get(AUDIT, params={"action": action}, headers=headers)
    assert r.status_code == 200, r.text
    return [e for e in r.json()["entries"] if e["action"] == action]


def sign_in(client: TestClient, staff_no: str, password: str, window: int | None = None) -> Any:
    body: dict[str, Any] = {"hall": "demo", "staff_no": staff_no, "password": password}
    if window is not None:
        body["window"] = window
    r = client.post("/api/v1/auth/login", json=body)
    client.cookies.clear()
    return r


def bearer_of(r: Any) -> dict[str, str]:
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# ---- another hall's admin --------------------------------------------------------------

EVERY_ROUTE = [
    ("get", "/queues", None),
    ("post", "/queues", {"code": "Z", "prefix": "Z", "name": "新队列"}),
    ("get", "/queues/A", None),
    ("patch", "/queues/A", {"name": "x", "version": 1}),
    ("delete", "/queues/A?version=1", None),
    ("get", "/windows", None),
    ("post", "/windows", {"number": 50, "name": "x", "queues": [{"queue": "A"}]}),
    ("get", "/windows/1", None),
    ("patch", "/windows/1", {"name": "x", "version": 1}),
    ("delete", "/windows/1?version=1", None),
    ("get", "/staff", None),
    ("post", "/staff", {"staff_no": "X1", "name": "x", "role": "clerk", "password": "x" * 8}),
    ("get", "/staff/C001", None),
    ("patch", "/staff/C001", {"name": "x", "version": 1}),
    ("delete", "/staff/C001?version=1", None),
    ("post", "/staff/C001/disable", None),
    ("post", "/staff/C001/enable", None),
    ("post", "/staff/C001/reset-password", None),
    ("post", "/staff/C001/unlock", None),
    ("get", "/devices", None),
    ("post", "/devices", {"code": "X1", "kind": "kiosk"}),
    ("get", "/devices/K01", None),
    ("patch", "/devices/K01", {"name": "x", "version": 1}),
    ("delete", "/devices/K01?version=1", None),
    ("post", "/devices/K01/rotate", None),
    ("post", "/devices/K01/revoke", None),
    ("post", "/devices/K01/enable", None),
]


def test_another_halls_admin_touches_nothing_of_this_hall(
    client: TestClient, other_admin: dict[str, str], login: Login, kiosk: dict[str, str]
) -> None:
    for method, path, body in EVERY_ROUTE:
        kwargs: dict[str, Any] = {"headers": other_admin}
        if body is not None:
            kwargs["json"] = body
        r = client.request(method, ADMIN + path, **kwargs)
        assert (r.status_code, code_of(r)) == (403, "WRONG_HALL"), (method, path, r.text)
    png = client.put(
        f"{ADMIN}/staff/C001/photo",
        content=b"\x89PNG....",
        headers={**other_admin, "Content-Type": "image/png"},
    )
    assert code_of(png) == "WRONG_HALL"
    # ... and nothing changed: the kiosk still works, the clerk still signs in.
    assert client.post(TICKETS, json={"queue": "A"}, headers=kiosk).status_code == 201
    login("C001", 1)
    # A clerk is no admin.
    r = client.get(f"{ADMIN}/queues", headers=login("C002"))
    assert (r.status_code, code_of(r)) == (403, "FORBIDDEN")


def test_a_halls_admin_does_not_see_or_edit_an_installation_admin(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    listed = StaffList.model_validate(client.get(f"{ADMIN}/staff", headers=admin_h).json())
    numbers = [s.staff_no for s in listed.staff]
    assert "sysadmin" not in numbers and "admin" in numbers and "C001" in numbers
    r = client.patch(f"{ADMIN}/staff/sysadmin", json={"name": "x", "version": 1}, headers=admin_h)
    assert (r.status_code, code_of(r)) == (404, "STAFF_NOT_FOUND")
    r = client.post(f"{ADMIN}/staff/sysadmin/disable", headers=admin_h)
    assert code_of(r) == "STAFF_NOT_FOUND"


# ---- queues ------------------------------------------------------------------------------


def test_a_queue_edit_needs_the_version_read_and_refuses_a_stale_one(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    listed = QueueList.model_validate(client.get(f"{ADMIN}/queues", headers=admin_h).json())
    assert [q.code for q in listed.queues] == ["A", "B", "C", "D", "E", "F"]
    read = client.get(f"{ADMIN}/queues/E", headers=admin_h)
    row = QueueRow.model_validate(read.json())
    assert read.headers["etag"] == f'"{row.version}"'

    r = client.patch(f"{ADMIN}/queues/E", json={"daily_cap": 5}, headers=admin_h)
    assert (r.status_code, code_of(r)) == (428, "VERSION_REQUIRED")
    changes = {"name": "税务综合", "prefix": "T", "width": 4, "start_number": 100, "sort": 9}
    r = client.patch(
        f"{ADMIN}/queues/E", json=changes, headers={**admin_h, "If-Match": read.headers["etag"]}
    )
    assert r.status_code == 200, r.text
    saved = QueueRow.model_validate(r.json())
    assert (saved.name, saved.prefix, saved.width, saved.version) == (
        "税务综合",
        "T",
        4,
        row.version + 1,
    )
    assert r.headers["etag"] == f'"{saved.version}"'
    # The second editor read the old version: told, not overwritten.
    r = client.patch(
        f"{ADMIN}/queues/E", json={"name": "别的", "version": row.version}, headers=admin_h
    )
    assert (r.status_code, code_of(r)) == (409, "STALE_VERSION")
    assert r.json()["error"]["details"] == {"version": saved.version, "yours": row.version}
    assert client.get(f"{ADMIN}/queues/E", headers=admin_h).json()["name"] == "税务综合"
    [entry] = [e for e in audit_of(client, admin_h, "queue.update") if e["entity_key"] == "E"]
    assert entry["before"]["prefix"] == "E" and entry["after"]["prefix"] == "T"


def test_a_bad_queue_edit_is_refused_field_by_field_and_saves_nothing(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    bad = {"name": "", "width": 9, "issue_hours": ["12:00-09:00"], "prefix": "a1", "version": 1}
    r = client.patch(f"{ADMIN}/queues/A", json=bad, headers=admin_h)
    assert (r.status_code, code_of(r)) == (422, "INVALID_REQUEST")
    fields = {f["field"]: f["code"] for f in r.json()["error"]["details"]["fields"]}
    assert fields["name"] == "TOO_SHORT" and fields["width"] == "TOO_LARGE"
    assert fields["issue_hours"] == "HOURS_FORMAT" and "prefix" in fields
    assert all(f["message_zh"] for f in r.json()["error"]["details"]["fields"])
    r = client.patch(f"{ADMIN}/queues/A", json={"prefix": "B", "version": 1}, headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "QUEUE_CODE_TAKEN")
    assert client.get(f"{ADMIN}/queues/A", headers=admin_h).json()["version"] == 1
    r = client.patch(f"{ADMIN}/queues/NOPE", json={"version": 1}, headers=admin_h)
    assert (r.status_code, code_of(r)) == (404, "QUEUE_NOT_FOUND")


def test_a_disabled_queue_issues_no_tickets_and_the_kiosk_says_so(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str]
) -> None:
    assert client.post(TICKETS, json={"queue": "E"}, headers=kiosk).status_code == 201
    assert patch_read(client, f"{ADMIN}/queues/E", {"active": False}, admin_h).status_code == 200
    r = client.post(TICKETS, json={"queue": "E"}, headers=kiosk)
    assert code_of(r) == "QUEUE_INACTIVE"
    statuses = {q["code"]: q for q in client.get("/api/v1/halls/demo/queues").json()["queues"]}
    assert statuses["E"]["not_issuing_code"] == "QUEUE_INACTIVE"
    assert patch_read(client, f"{ADMIN}/queues/E", {"active": True}, admin_h).status_code == 200
    assert client.post(TICKETS, json={"queue": "E"}, headers=kiosk).status_code == 201


def test_removing_a_queue_in_use_is_refused_with_each_reason(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str], login: Login, sql: Sql
) -> None:
    version = client.get(f"{ADMIN}/queues/E", headers=admin_h).json()["version"]
    r = client.delete(f"{ADMIN}/queues/E", headers=admin_h)
    assert (r.status_code, code_of(r)) == (428, "VERSION_REQUIRED")
    r = client.delete(f"{ADMIN}/queues/E?version={version}", headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "QUEUE_IN_USE")
    reasons = {x["code"]: x for x in r.json()["error"]["details"]["reasons"]}
    assert set(reasons) == {"items", "windows"}  # the demo's items and windows point at it
    assert reasons["windows"]["message_zh"].startswith("还有 ")

    # A new queue: a window, then a waiting ticket, then one being served.
    q = {"code": "G", "prefix": "G", "name": "公积金"}
    assert client.post(f"{ADMIN}/queues", json=q, headers=admin_h).status_code == 201
    w = {"number": 20, "name": "公积金", "queues": [{"queue": "G"}]}
    assert client.post(f"{ADMIN}/windows", json=w, headers=admin_h).status_code == 201
    assert client.post(TICKETS, json={"queue": "G"}, headers=kiosk).status_code == 201
    r = client.delete(f"{ADMIN}/queues/G?version=1", headers=admin_h)
    reasons = {x["code"]: x["count"] for x in r.json()["error"]["details"]["reasons"]}
    assert reasons == {"waiting": 1, "windows": 1, "history": 1}
    clerk = login("C001", 20)
    assert client.post("/api/v1/halls/demo/windows/20/call-next", headers=clerk).status_code == 200
    r = client.delete(f"{ADMIN}/queues/G?version=1", headers=admin_h)
    reasons = {x["code"]: x["count"] for x in r.json()["error"]["details"]["reasons"]}
    assert reasons == {"serving": 1, "windows": 1, "history": 1}
    assert r.json()["error"]["details"]["queue"] == "G"

    # A queue made by mistake, never used, goes; the audit keeps what it was.
    q = {"code": "H", "prefix": "H", "name": "误建"}
    assert client.post(f"{ADMIN}/queues", json=q, headers=admin_h).status_code == 201
    r = client.delete(f"{ADMIN}/queues/H", headers={**admin_h, "If-Match": '"1"'})
    assert r.status_code == 204, r.text
    assert client.get(f"{ADMIN}/queues/H", headers=admin_h).status_code == 404
    [gone] = audit_of(client, admin_h, "queue.remove")
    assert gone["before"]["name"] == "误建" and gone["after"] is None
    assert sql("SELECT count(*) FROM queue WHERE code = 'H'")[0][0] == 0


# ---- windows ------------------------------------------------------------------------------


def test_a_window_edit_sets_its_queues_and_its_version_ignores_calls(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str], login: Login
) -> None:
    listed = WindowList.model_validate(client.get(f"{ADMIN}/windows", headers=admin_h).json())
    assert [w.number for w in listed.windows][:3] == [1, 2, 3]
    read = WindowRow.model_validate(client.get(f"{ADMIN}/windows/1", headers=admin_h).json())
    clerk = login("C001", 1)
    assert client.get(f"{ADMIN}/windows/1", headers=admin_h).json()["clerk"] == "C001"
    client.post(TICKETS, json={"queue": read.queues[0].queue}, headers=kiosk)
    assert client.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk).status_code == 200

    general = [{"queue": "F", "weight": 3}, {"queue": "A", "weight": 1}, {"queue": "B"}]
    body = {"name": "综合窗口", "name_en": "General", "queues": general, "version": read.version}
    r = client.patch(f"{ADMIN}/windows/1", json=body, headers=admin_h)
    assert r.status_code == 200, r.text  # the call did not make the admin's read stale
    saved = WindowRow.model_validate(r.json())
    assert [(q.queue, q.weight) for q in saved.queues] == [("F", 3), ("A", 1), ("B", 1)]
    assert saved.version == read.version + 1 and saved.name == "综合窗口"
    r = client.patch(
        f"{ADMIN}/windows/1", json={"name": "x", "version": read.version}, headers=admin_h
    )
    assert code_of(r) == "STALE_VERSION"
    r = client.patch(
        f"{ADMIN}/windows/1",
        json={"queues": [{"queue": "NOPE"}], "version": saved.version},
        headers=admin_h,
    )
    assert code_of(r) == "QUEUE_NOT_FOUND"
    r = client.patch(
        f"{ADMIN}/windows/1", json={"number": 2, "version": saved.version}, headers=admin_h
    )
    assert (r.status_code, code_of(r)) == (409, "WINDOW_NUMBER_TAKEN")
    [entry] = audit_of(client, admin_h, "window.update")
    assert entry["after"]["queues"] == [["F", 3], ["A", 1], ["B", 1]]
    # The clerk's screen serves the new queues at once.
    view = client.get("/api/v1/halls/demo/windows/1", headers=clerk).json()
    assert view["number"] == 1


def test_removing_a_window_in_use_is_refused_with_the_reason(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str], login: Login
) -> None:
    w = {"number": 30, "name": "临时窗口", "queues": [{"queue": "A"}]}
    assert client.post(f"{ADMIN}/windows", json=w, headers=admin_h).status_code == 201
    clerk = login("C005", 30)
    r = client.delete(f"{ADMIN}/windows/30?version=1", headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "WINDOW_IN_USE")
    assert [x["code"] for x in r.json()["error"]["details"]["reasons"]] == ["clerk"]
    client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    client.post("/api/v1/halls/demo/windows/30/call-next", headers=clerk)
    r = client.delete(f"{ADMIN}/windows/30?version=1", headers=admin_h)
    assert {x["code"] for x in r.json()["error"]["details"]["reasons"]} == {
        "clerk",
        "serving",
        "history",
    }
    # The demo's windows have devices of their own.
    r = client.delete(f"{ADMIN}/windows/2?version=1", headers=admin_h)
    assert "devices" in {x["code"] for x in r.json()["error"]["details"]["reasons"]}

    w = {"number": 31, "name": "误建", "queues": [{"queue": "A"}]}
    assert client.post(f"{ADMIN}/windows", json=w, headers=admin_h).status_code == 201
    assert client.delete(f"{ADMIN}/windows/31?version=2", headers=admin_h).status_code == 409
    assert client.delete(f"{ADMIN}/windows/31?version=1", headers=admin_h).status_code == 204
    assert client.get(f"{ADMIN}/windows/31", headers=admin_h).status_code == 404
    assert audit_of(client, admin_h, "window.remove")[0]["before"]["queues"] == [["A", 1]]


def test_a_disabled_window_is_not_counted_open(
    client: TestClient, admin_h: dict[str, str], login: Login
) -> None:
    def open_windows() -> int:
        rows = client.get("/api/v1/halls/demo/queues").json()["queues"]
        return sum(q["open_windows"] for q in rows)

    login("C006", 6)
    before = open_windows()
    r = patch_read(client, f"{ADMIN}/windows/6", {"active": False}, admin_h)
    assert r.json()["active"] is False
    assert open_windows() < before


# ---- staff --------------------------------------------------------------------------------


def test_staff_created_with_a_title_and_windows_signs_in_only_there(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    body = {
        "staff_no": "C100",
        "name": "钱多多",
        "role": "clerk",
        "password": "clerk1234",
        "title": "综合受理岗",
        "windows": [3, 4],
    }
    r = client.post(f"{ADMIN}/staff", json=body, headers=admin_h)
    assert r.status_code == 201, r.text
    row = StaffRow.model_validate(r.json())
    assert (row.title, row.windows, row.version, row.locked) == ("综合受理岗", [3, 4], 1, False)
    assert "password_hash" not in r.json()
    again = client.post(f"{ADMIN}/staff", json=body, headers=admin_h)
    assert (again.status_code, code_of(again)) == (409, "STAFF_NO_TAKEN")

    r = sign_in(client, "C100", "clerk1234", 5)
    assert (r.status_code, code_of(r)) == (403, "WINDOW_NOT_ALLOWED")
    assert r.json()["error"]["message_zh"].startswith("您不能在这个窗口登录")
    assert sign_in(client, "C100", "clerk1234", 4).status_code == 200
    assert sign_in(client, "C100", "clerk1234").status_code == 200  # no window: allowed

    r = patch_read(client, f"{ADMIN}/staff/C100", {"windows": [], "title": "组长"}, admin_h)
    assert r.json()["windows"] == [] and r.json()["title"] == "组长"
    assert sign_in(client, "C100", "clerk1234", 5).status_code == 200  # []: any window
    r = patch_read(client, f"{ADMIN}/staff/C100", {"windows": [99]}, admin_h)
    assert code_of(r) == "WINDOW_NOT_FOUND"
    r = client.patch(f"{ADMIN}/staff/C100", json={"name": "x", "version": 1}, headers=admin_h)
    assert code_of(r) == "STALE_VERSION"
    r = client.patch(f"{ADMIN}/staff/C100", json={"role": "boss", "version": 2}, headers=admin_h)
    assert code_of(r) == "INVALID_REQUEST"
    created = audit_of(client, admin_h, "staff.create")
    assert created[0]["after"]["password"] == "set"
    assert "password_hash" not in str(created) and "clerk1234" not in str(created)


def test_an_admin_does_not_disable_remove_or_demote_herself(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    r = client.post(f"{ADMIN}/staff/admin/disable", headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "OWN_ACCOUNT")
    r = patch_read(client, f"{ADMIN}/staff/admin", {"role": "clerk"}, admin_h)
    assert code_of(r) == "OWN_ACCOUNT"
    r = client.delete(f"{ADMIN}/staff/admin?version=1", headers=admin_h)
    assert code_of(r) == "OWN_ACCOUNT"
    r = patch_read(client, f"{ADMIN}/staff/admin", {"title": "大厅主任"}, admin_h)
    assert r.status_code == 200 and r.json()["title"] == "大厅主任"
    assert client.get("/api/v1/auth/me", headers=admin_h).status_code == 200


def test_a_disabled_clerk_is_signed_out_at_once(
    client: TestClient, admin_h: dict[str, str], login: Login
) -> None:
    clerk = login("C002", 2)
    assert client.get("/api/v1/auth/me", headers=clerk).status_code == 200
    r = client.post(f"{ADMIN}/staff/C002/disable", headers=admin_h)
    assert r.status_code == 200 and r.json()["active"] is False
    r = client.get("/api/v1/auth/me", headers=clerk)
    assert (r.status_code, code_of(r)) == (401, "AUTH_INVALID")
    assert client.get(f"{ADMIN}/windows/2", headers=admin_h).json()["clerk"] is None
    assert code_of(sign_in(client, "C002", "demo1234", 2)) == "BAD_CREDENTIALS"
    assert client.post(f"{ADMIN}/staff/C002/enable", headers=admin_h).json()["active"] is True
    assert sign_in(client, "C002", "demo1234", 2).status_code == 200
    actions = [e["action"] for e in client.get(AUDIT, headers=admin_h).json()["entries"]]
    assert "staff.disable" in actions and "staff.enable" in actions
    # The same through PATCH active=false.
    clerk = login("C003", 3)
    assert patch_read(client, f"{ADMIN}/staff/C003", {"active": False}, admin_h).status_code == 200
    assert code_of(client.get("/api/v1/auth/me", headers=clerk)) == "AUTH_INVALID"


def test_five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    client: TestClient, admin_h: dict[str, str], clock: Any
) -> None:
    for _ in range(MAX_FAILED_LOGINS - 1):
        assert code_of(sign_in(client, "C004", "wrong-one")) == "BAD_CREDENTIALS"
    r = sign_in(client, "C004", "wrong-one")
    assert (r.status_code, code_of(r)) == (423, "ACCOUNT_LOCKED")
    assert r.json()["error"]["message_zh"].startswith("密码连续输错次数过多")
    r = sign_in(client, "C004", "demo1234")  # even the right password, while locked
    assert code_of(r) == "ACCOUNT_LOCKED" and "until" in r.json()["error"]["details"]
    row = client.get(f"{ADMIN}/staff/C004", headers=admin_h).json()
    assert row["locked"] is True and row["locked_until"] is not None
    [locked] = audit_of(client, admin_h, "auth.locked")
    assert locked["entity_key"] == "C004" and locked["actor_kind"] == "system"

    r = client.post(f"{ADMIN}/staff/C004/unlock", headers=admin_h)
    assert r.status_code == 200 and r.json()["locked"] is False
    assert sign_in(client, "C004", "demo1234").status_code == 200
    assert len(audit_of(client, admin_h, "staff.unlock")) == 1

    # A right password in between starts the count again.
    for _ in range(MAX_FAILED_LOGINS - 1):
        sign_in(client, "C004", "wrong-one")
    assert sign_in(client, "C004", "demo1234").status_code == 200
    assert code_of(sign_in(client, "C004", "wrong-one")) == "BAD_CREDENTIALS"

    # A lock ends by itself after 15 minutes.
    for _ in range(MAX_FAILED_LOGINS):
        sign_in(client, "C004", "wrong-one")
    clock.advance(minutes=14)
    assert code_of(sign_in(client, "C004", "demo1234")) == "ACCOUNT_LOCKED"
    clock.advance(minutes=1, seconds=1)
    assert sign_in(client, "C004", "demo1234").status_code == 200


def test_a_password_reset_gives_a_temporary_password_to_be_changed(
    client: TestClient, admin_h: dict[str, str], login: Login
) -> None:
    old_session = login("C007", 7)
    r = client.post(f"{ADMIN}/staff/C007/reset-password", headers=admin_h)
    assert r.status_code == 200, r.text
    answer = StaffPassword.model_validate(r.json())
    temporary = answer.password
    assert len(temporary) >= 8 and answer.staff.must_change_password
    assert code_of(client.get("/api/v1/auth/me", headers=old_session)) == "AUTH_INVALID"
    assert code_of(sign_in(client, "C007", "demo1234")) == "BAD_CREDENTIALS"
    signed = sign_in(client, "C007", temporary, 7)
    assert signed.json()["staff"]["must_change_password"] is True
    h = bearer_of(signed)
    r = client.post(
        "/api/v1/auth/password",
        json={"old_password": "nope", "new_password": "mine12345"},
        headers=h,
    )
    assert code_of(r) == "BAD_CREDENTIALS"
    r = client.post(
        "/api/v1/auth/password",
        json={"old_password": temporary, "new_password": "mine12345"},
        headers=h,
    )
    assert r.status_code == 204, r.text
    assert client.get("/api/v1/auth/me", headers=h).json()["must_change_password"] is False
    assert sign_in(client, "C007", "mine12345").status_code == 200
    # An admin may set the temporary password herself.
    r = client.post(
        f"{ADMIN}/staff/C007/reset-password", json={"password": "temp12345"}, headers=admin_h
    )
    assert r.json()["password"] == "temp12345"
    assert sign_in(client, "C007", "temp12345").status_code == 200
    entries = audit_of(client, admin_h, "staff.reset_password")
    assert len(entries) == 2 and all(e["after"]["password"] == "set" for e in entries)
    assert temporary not in str(entries) and "temp12345" not in str(entries)


def test_a_photo_is_stored_and_served_for_the_rating_tablet(
    client: TestClient, admin_h: dict[str, str]
) -> None:
    image = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 40, 40)).save(image, format="PNG")
    r = client.put(
        f"{ADMIN}/staff/C008/photo",
        content=image.getvalue(),
        headers={**admin_h, "Content-Type": "image/png"},
    )
    assert r.status_code == 200, r.text
    url = r.json()["photo"]
    assert url.startswith("/api/v1/halls/demo/staff/C008/photo")
    served = client.get(url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.content == image.getvalue()
    bad = client.put(
        f"{ADMIN}/staff/C008/photo",
        content=b"GIF89a....",
        headers={**admin_h, "Content-Type": "image/gif"},
    )
    assert (bad.status_code, code_of(bad)) == (422, "PHOTO_INVALID")
    assert code_of(client.get("/api/v1/halls/demo/staff/admin/photo")) == "NOT_FOUND"
    assert code_of(client.get("/api/v1/halls/demo/staff/X404/photo")) == "STAFF_NOT_FOUND"


def test_removing_staff_who_served_is_refused(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str], login: Login
) -> None:
    clerk = login("C001", 1)
    client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    assert client.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk).status_code == 200
    r = client.delete(f"{ADMIN}/staff/C001?version=1", headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "STAFF_IN_USE")
    body = {"staff_no": "X9", "name": "误建", "role": "clerk", "password": "x" * 8}
    assert client.post(f"{ADMIN}/staff", json=body, headers=admin_h).status_code == 201
    assert client.delete(f"{ADMIN}/staff/X9", headers=admin_h).status_code == 428
    assert client.delete(f"{ADMIN}/staff/X9?version=1", headers=admin_h).status_code == 204
    assert client.get(f"{ADMIN}/staff/X9", headers=admin_h).status_code == 404


# ---- devices --------------------------------------------------------------------------------


def test_devices_are_listed_with_their_last_contact(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str], clock: Any
) -> None:
    client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    listed = DeviceList.model_validate(client.get(f"{ADMIN}/devices", headers=admin_h).json())
    by_code = {d.code: d for d in listed.devices}
    assert by_code["K01"].last_seen is not None and by_code["K02"].last_seen is None
    assert by_code["RT01"].window == 1
    assert "token" not in client.get(f"{ADMIN}/devices/K01", headers=admin_h).json()


def test_a_rotated_token_replaces_the_old_one_at_once(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str]
) -> None:
    r = client.post(f"{ADMIN}/devices/K01/rotate", headers=admin_h)
    assert r.status_code == 200, r.text
    new = DeviceToken.model_validate(r.json()).token
    r = client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    assert (r.status_code, code_of(r)) == (401, "DEVICE_TOKEN_INVALID")
    fresh = {"Authorization": f"Bearer {new}"}
    assert client.post(TICKETS, json={"queue": "A"}, headers=fresh).status_code == 201
    [entry] = audit_of(client, admin_h, "device.token_rotate")
    assert entry["after"] == {"token": "rotated"} and new not in str(entry)


def test_a_revoked_device_is_refused_until_enabled_again(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str]
) -> None:
    r = client.post(f"{ADMIN}/devices/K01/revoke", headers=admin_h)
    assert DeviceRow.model_validate(r.json()).active is False
    r = client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    assert (r.status_code, code_of(r)) == (401, "DEVICE_TOKEN_INVALID")
    assert client.post(f"{ADMIN}/devices/K01/enable", headers=admin_h).json()["active"] is True
    assert client.post(TICKETS, json={"queue": "A"}, headers=kiosk).status_code == 201
    assert [e["action"] for e in audit_of(client, admin_h, "device.revoke")] == ["device.revoke"]


def test_a_device_edit_and_removal(
    client: TestClient, admin_h: dict[str, str], kiosk: dict[str, str]
) -> None:
    r = patch_read(client, f"{ADMIN}/devices/RT01", {"name": "1号窗口平板", "window": 2}, admin_h)
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["window"], r.json()["version"]) == ("1号窗口平板", 2, 2)
    r = client.patch(f"{ADMIN}/devices/RT01", json={"window": 99, "version": 2}, headers=admin_h)
    assert code_of(r) == "WINDOW_NOT_FOUND"
    r = client.patch(f"{ADMIN}/devices/RT01", json={"name": "x", "version": 1}, headers=admin_h)
    assert code_of(r) == "STALE_VERSION"
    r = client.patch(f"{ADMIN}/devices/RT01", json={"name": "x"}, headers=admin_h)
    assert code_of(r) == "VERSION_REQUIRED"
    [entry] = audit_of(client, admin_h, "device.update")
    assert entry["before"] == {"name": "1号窗口评价平板", "window": 1}

    client.post(TICKETS, json={"queue": "A"}, headers=kiosk)
    r = client.delete(f"{ADMIN}/devices/K01?version=1", headers=admin_h)
    assert (r.status_code, code_of(r)) == (409, "DEVICE_IN_USE")
    r = client.post(f"{ADMIN}/devices", json={"code": "K09", "kind": "kiosk"}, headers=admin_h)
    assert r.status_code == 201 and r.json()["token"]
    again = client.post(f"{ADMIN}/devices", json={"code": "K09", "kind": "kiosk"}, headers=admin_h)
    assert code_of(again) == "DEVICE_CODE_TAKEN"
    assert client.delete(f"{ADMIN}/devices/K09?version=1", headers=admin_h).status_code == 204
    assert code_of(client.get(f"{ADMIN}/devices/K09", headers=admin_h)) == "DEVICE_NOT_FOUND"
