"""Departments and service items through the admin API, on SQLite and PostgreSQL: made and
edited by the version read, every mistake answered field by field (guide.materials[1].copies),
nothing half saved, removals refused while something uses them, another hall's admin kept
out, and each change in the audit log with what it was before."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.web.schemas.catalogue_admin import DepartmentList, DepartmentRow, ItemList, ItemRow

Login = Callable[..., dict[str, str]]
BASE = "/api/v1/admin/halls/demo"
GUIDE: dict[str, Any] = {
    "legal_basis": "《出版管理条例》",
    "conditions": "在本区登记的出版单位",
    "quantity_limits": "每年限申请一次",
    "materials": [
        {"name": "申请书", "form": "原件", "copies": 1, "blank_form": 12},
        {"name": "营业执照", "form": "复印件", "copies": 1, "required": False, "note": "加盖公章"},
    ],
    "procedure": ["取号", "受理", "审核", "发证"],
    "statutory_limit_days": 20,
    "promised_limit_days": 10,
    "case_type": "承诺件",
    "fees": "不收费",
    "location": "一楼A区",
    "hours": "工作日 9:00-17:00",
    "responsible": "文化市场科 李明",
    "contact_phone": "0571-12345109",
    "complaint_phone": "12345",
    "online": True,
    "online_url": "https://zwfw.example.gov.cn/cbxk",
}
ITEM: dict[str, Any] = {
    "code": "A09",
    "name": "出版物经营许可",
    "name_en": "Publication business licence",
    "department": "SCJG",
    "queue": "A",
    "aliases": ["出版许可"],
    "guide": GUIDE,
}


@pytest.fixture
def admin(login: Login, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    headers = login("admin", password="admin1234")
    # The guide's blank form is one of the demo hall's attachments (its id in this database).
    listed = client.get(f"{BASE}/attachments", headers=headers).json()["attachments"]
    blank = next(a["id"] for a in listed if a["kind"] == "blank_form")
    monkeypatch.setitem(GUIDE["materials"][0], "blank_form", blank)
    return headers


def codes(answer: Any) -> list[str]:
    return [f["code"] for f in answer.json()["error"]["details"]["fields"]]


def fields(answer: Any) -> dict[str, str]:
    return {f["field"]: f["code"] for f in answer.json()["error"]["details"]["fields"]}


def audit_actions(client: TestClient, headers: dict[str, str], prefix: str) -> list[Any]:
    r = client.get("/api/v1/admin/audit", params={"action": prefix + "."}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["entries"]


# ---- departments ------------------------------------------------------------------------


def test_a_department_is_made_edited_by_version_disabled_and_removed(
    client: TestClient, admin: dict[str, str]
) -> None:
    listed = DepartmentList.model_validate(client.get(f"{BASE}/departments", headers=admin).json())
    assert len(listed.departments) == 9 and listed.departments[0].code == "SCJG"
    assert listed.departments[0].items == 5

    body = {
        "code": "WLJ",
        "name": "文化广电旅游局",
        "name_en": "Culture Bureau",
        "phone": "0571-12345190",
    }
    r = client.post(f"{BASE}/departments", json=body, headers=admin)
    assert r.status_code == 201, r.text
    row = DepartmentRow.model_validate(r.json())
    assert row.version == 1 and r.headers["etag"] == '"1"' and row.active and row.items == 0
    r = client.post(f"{BASE}/departments", json=body, headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "DEPARTMENT_CODE_TAKEN"

    url = f"{BASE}/departments/WLJ"
    r = client.patch(url, json={"location": "二楼"}, headers=admin)
    assert r.status_code == 428 and r.json()["error"]["code"] == "VERSION_REQUIRED"
    r = client.patch(
        url, json={"location": "二楼", "active": False}, headers={**admin, "If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["active"] is False
    r = client.patch(url, json={"location": "三楼", "version": 1}, headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "STALE_VERSION"
    assert r.json()["error"]["details"] == {"version": 2, "yours": 1}
    assert client.get(url, headers=admin).json()["location"] == "二楼"
    r = client.patch(url, json={"phone": "电话", "code": "文化", "version": 2}, headers=admin)
    assert r.status_code == 422 and fields(r) == {
        "code": "CATALOGUE_CODE_FORMAT",
        "phone": "PHONE_FORMAT",
    }

    r = client.delete(f"{BASE}/departments/SCJG", headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "DEPARTMENT_IN_USE"
    assert r.json()["error"]["details"]["items"] == 5
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).json()["error"]["code"] == "DEPARTMENT_NOT_FOUND"

    entries = audit_actions(client, admin, "department")
    assert [e["action"] for e in entries] == [
        "department.delete",
        "department.update",
        "department.create",
    ]
    assert entries[1]["before"] == {"location": "", "active": True}
    assert entries[1]["after"] == {"location": "二楼", "active": False}
    assert entries[0]["before"]["name"] == "文化广电旅游局"


def test_another_halls_admin_and_a_clerk_are_refused(
    client: TestClient, admin: dict[str, str], login: Login
) -> None:
    root = login("sysadmin", password="admin1234")
    r = client.post("/api/v1/admin/halls", json={"code": "east-1", "name": "东区"}, headers=root)
    assert r.status_code == 201
    east = "/api/v1/admin/halls/east-1"
    body = {"code": "SCJG", "name": "市场监督管理局"}
    # The demo hall's admin cannot read or change the east hall's catalogue ...
    for method, path, payload in [
        ("GET", "/departments", None),
        ("POST", "/departments", body),
        ("GET", "/items", None),
        ("POST", "/items/order", {"codes": ["A01"]}),
        ("GET", "/catalogue/export.xlsx", None),
    ]:
        r = client.request(method, east + path, json=payload, headers=admin)
        assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL", path
    # ... the installation admin can, and the east hall's catalogue is its own.
    assert client.post(f"{east}/departments", json=body, headers=root).status_code == 201
    assert [
        d["code"] for d in client.get(f"{east}/departments", headers=root).json()["departments"]
    ] == ["SCJG"]
    assert len(client.get(f"{BASE}/departments", headers=root).json()["departments"]) == 9

    clerk = login("C001")
    r = client.get(f"{BASE}/items", headers=clerk)
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    assert client.get(f"{BASE}/items").status_code == 401
    r = client.get("/api/v1/admin/halls/nope/items", headers=root)
    assert r.status_code == 404 and r.json()["error"]["code"] == "HALL_NOT_FOUND"


# ---- items ------------------------------------------------------------------------------


def test_the_demo_catalogue_lists_with_filters(client: TestClient, admin: dict[str, str]) -> None:
    rows = ItemList.model_validate(client.get(f"{BASE}/items", headers=admin).json()).items
    assert len(rows) == 33 and rows[0].code == "A01" and [r.sort for r in rows] == list(range(33))
    assert rows[0].guide.responsible == "登记注册科 陈立新"
    by_dept = client.get(f"{BASE}/items", params={"department": "GAJ"}, headers=admin).json()
    assert {i["department"] for i in by_dept["items"]} == {"GAJ"} and len(by_dept["items"]) >= 3
    found = client.get(f"{BASE}/items", params={"q": "bdc"}, headers=admin).json()["items"]
    assert found and all(i["department"] == "BDC" or "bdc" in i["pinyin_initials"] for i in found)
    offline = client.get(f"{BASE}/items", params={"active": False}, headers=admin).json()
    assert offline["items"] == []


def test_an_item_with_its_whole_guide_is_made_and_shown_to_kiosks(
    client: TestClient, admin: dict[str, str]
) -> None:
    r = client.post(f"{BASE}/items", json=ITEM, headers=admin)
    assert r.status_code == 201, r.text
    row = ItemRow.model_validate(r.json())
    assert row.version == 1 and r.headers["etag"] == '"1"'
    assert row.pinyin_initials == "cbwjyxk"  # computed from the name
    assert row.guide.materials is not None
    assert row.guide.materials[0].blank_form == GUIDE["materials"][0]["blank_form"]
    assert row.guide.materials[0].required is True and row.guide.materials[1].required is False
    assert row.life_events == []
    r = client.post(f"{BASE}/items", json=ITEM, headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "ITEM_CODE_TAKEN"

    guide = client.get("/api/v1/halls/demo/items/A09").json()
    keys = [s["key"] for s in guide["sections"]]
    assert keys.index("quantity_limits") < keys.index("materials")
    assert {"responsible", "online_url"} <= set(keys)
    assert "A09" in [i["code"] for i in client.get("/api/v1/halls/demo/catalogue").json()["items"]]
    [entry] = audit_actions(client, admin, "item")
    assert entry["action"] == "item.create" and entry["after"]["guide"]["fees"] == "不收费"


def test_every_mistake_is_named_by_its_path_and_nothing_is_saved(
    client: TestClient, admin: dict[str, str]
) -> None:
    bad = copy.deepcopy(ITEM)
    bad["guide"]["materials"][1]["copies"] = 0
    bad["guide"]["materials"][1]["sample"] = "abc"
    bad["guide"]["materials"][0]["blank_form"] = 99999  # no such attachment in the hall
    bad["guide"]["promised_limit_days"] = 11  # 20 × 50 % = 10
    bad["guide"]["fees"] = "工本费 10 元"
    bad["department"] = "NOPE"
    del bad["guide"]["responsible"]
    r = client.post(f"{BASE}/items", json=bad, headers=admin)
    assert r.status_code == 422, r.text
    assert fields(r) == {
        "department": "DEPARTMENT_UNKNOWN",
        "guide.materials[0].blank_form": "ATTACHMENT_UNKNOWN",
        "guide.materials[1].copies": "TOO_SMALL",
        "guide.materials[1].sample": "NOT_A_NUMBER",
        "guide.responsible": "REQUIRED_ONLINE",
        "guide.promised_limit_days": "PROMISED_OVER_SHARE",
        "guide.fee_basis": "FEE_BASIS_REQUIRED",
    }
    over = next(
        f for f in r.json()["error"]["details"]["fields"] if f["code"] == "PROMISED_OVER_SHARE"
    )
    assert "最多 10 个工作日" in over["message_zh"] and "at most 10" in over["message_en"]
    assert client.get(f"{BASE}/items/A09", headers=admin).status_code == 404
    assert audit_actions(client, admin, "item") == []
    # The parser's own refusals come in the same shape.
    r = client.post(f"{BASE}/items", json={**ITEM, "name": "", "colour": "red"}, headers=admin)
    assert r.status_code == 422 and set(codes(r)) == {"TOO_SHORT", "UNKNOWN_FIELD"}


def test_a_draft_may_be_incomplete_until_it_goes_online(
    client: TestClient, admin: dict[str, str]
) -> None:
    draft = {
        "code": "A10",
        "name": "食品经营许可",
        "department": "SCJG",
        "queue": "A",
        "active": False,
    }
    r = client.post(f"{BASE}/items", json=draft, headers=admin)
    assert r.status_code == 201 and set(r.json()["guide"].values()) == {None}
    url = f"{BASE}/items/A10"
    r = client.patch(url, json={"active": True, "version": 1}, headers=admin)
    assert r.status_code == 422 and set(codes(r)) == {"REQUIRED_ONLINE"}
    assert len(codes(r)) == 14
    assert client.get(url, headers=admin).json()["active"] is False  # nothing half saved
    r = client.patch(url, json={"active": True, "guide": GUIDE, "version": 1}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is True and r.json()["version"] == 2

    # An edit changes the guide's elements it names, null removes one.
    r = client.patch(
        url,
        json={"guide": {"hours": "周一至周五", "online_url": None, "online": None}},
        headers={**admin, "If-Match": '"2"'},
    )
    assert r.status_code == 200, r.text
    g = r.json()["guide"]
    assert (
        g["hours"] == "周一至周五"
        and g["online_url"] is None
        and g["legal_basis"] == GUIDE["legal_basis"]
    )
    r = client.patch(url, json={"name": "食品经营许可（新办）", "version": 2}, headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "STALE_VERSION"
    r = client.patch(url, json={"name": "x"}, headers=admin)
    assert r.status_code == 428
    r = client.patch(url, json={"version": 3}, headers={**admin, "If-Match": "three"})
    assert r.status_code == 200  # the body's version wins; it changes nothing
    assert r.json()["version"] == 3

    entries = audit_actions(client, admin, "item")
    assert [e["action"] for e in entries] == ["item.update", "item.update", "item.create"]
    assert entries[0]["before"]["guide"]["hours"] == "工作日 9:00-17:00"
    assert entries[0]["after"]["guide"]["hours"] == "周一至周五"


def test_the_halls_share_decides_the_longest_promise(
    client: TestClient, admin: dict[str, str]
) -> None:
    hall = client.get(BASE, headers=admin).json()
    assert hall["promised_share_percent"] == 50
    url, version = BASE, hall["version"]
    r = client.patch(url, json={"promised_share_percent": 0, "version": version}, headers=admin)
    assert r.status_code == 422 and codes(r) == ["TOO_SMALL"]
    # Lower than some online items promise: refused, naming them; nothing saved.
    r = client.patch(url, json={"promised_share_percent": 40, "version": version}, headers=admin)
    assert r.status_code == 422 and fields(r) == {"promised_share_percent": "SHARE_BELOW_PROMISES"}
    problem = r.json()["error"]["details"]["fields"][0]
    assert problem["message_zh"] == (
        "有 6 个上线事项的承诺办结时限会超过这个比例（A05、B02、D04、D06、F03、F04），请先修改这些事项"
    )
    assert client.get(url, headers=admin).json()["promised_share_percent"] == 50

    r = client.patch(url, json={"promised_share_percent": 60, "version": version}, headers=admin)
    assert r.status_code == 200 and r.json()["promised_share_percent"] == 60
    too_long = {**ITEM, "guide": {**GUIDE, "promised_limit_days": 13}}  # 20 × 60 % = 12
    r = client.post(f"{BASE}/items", json=too_long, headers=admin)
    assert r.status_code == 422 and fields(r) == {
        "guide.promised_limit_days": "PROMISED_OVER_SHARE"
    }
    assert r.json()["error"]["details"]["fields"][0]["message_en"].startswith(
        "The promised time limit may be at most 60% of the statutory one: 20 working days × 60% = at most 12"
    )
    r = client.post(
        f"{BASE}/items", json={**ITEM, "guide": {**GUIDE, "promised_limit_days": 12}}, headers=admin
    )
    assert r.status_code == 201, r.text


def test_an_item_is_removed_only_when_nobody_waits_and_it_was_never_used(
    client: TestClient, admin: dict[str, str], kiosk: dict[str, str], clock: Any, login: Login
) -> None:
    r = client.post("/api/v1/halls/demo/tickets", json={"item": "A02"}, headers=kiosk)
    assert r.status_code == 201, r.text
    r = client.delete(f"{BASE}/items/A02", headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "ITEM_IN_USE"
    assert r.json()["error"]["details"]["waiting"] == 1
    clock.advance(days=1)  # the ticket is yesterday's: history, nobody waiting
    admin = login("admin", password="admin1234")  # the sign-in of yesterday has expired
    r = client.delete(f"{BASE}/items/A02", headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "ITEM_HAS_HISTORY"
    r = client.patch(f"{BASE}/items/A02", json={"active": False, "version": 1}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False  # 下线 instead
    assert "A02" not in [
        i["code"] for i in client.get("/api/v1/halls/demo/catalogue").json()["items"]
    ]
    assert client.get("/api/v1/halls/demo/items/A02").status_code == 404

    assert client.post(f"{BASE}/items", json=ITEM, headers=admin).status_code == 201
    # While a life event bundles it, it stays: the refusal names the bundles.
    bundle = {
        "code": "publishing",
        "name": "开书店",
        "items": [{"item": "A09"}, {"item": "A01"}],
    }
    assert client.post(f"{BASE}/life-events", json=bundle, headers=admin).status_code == 201
    r = client.delete(f"{BASE}/items/A09", headers=admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "ITEM_IN_LIFE_EVENT"
    assert r.json()["error"]["details"]["life_events"] == ["publishing"]
    assert client.get(f"{BASE}/items/A09", headers=admin).json()["life_events"] == ["开书店"]
    assert client.delete(f"{BASE}/life-events/publishing", headers=admin).status_code == 204
    assert client.delete(f"{BASE}/items/A09", headers=admin).status_code == 204
    assert client.get(f"{BASE}/items/A09", headers=admin).status_code == 404
    [deleted] = [e for e in audit_actions(client, admin, "item") if e["action"] == "item.delete"]
    assert deleted["before"]["name"] == "出版物经营许可" and deleted["after"] is None


def test_items_are_put_in_order(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(f"{BASE}/items/order", json={"codes": ["F06", "A03"]}, headers=admin)
    assert r.status_code == 200, r.text
    order = r.json()["codes"]
    assert order[:4] == ["F06", "A03", "A01", "A02"] and len(order) == 33
    rows = client.get(f"{BASE}/items", headers=admin).json()["items"]
    assert [i["code"] for i in rows] == order
    assert rows[0]["version"] == 2
    r = client.post(f"{BASE}/items/order", json={"codes": ["F06", "ZZ", "F06"]}, headers=admin)
    assert r.status_code == 422 and fields(r) == {"codes[2]": "DUPLICATE"}
    r = client.post(f"{BASE}/items/order", json={"codes": ["ZZ"]}, headers=admin)
    assert r.status_code == 422 and fields(r) == {"codes[0]": "ITEM_UNKNOWN"}
    # Sort by PATCH too.
    r = client.patch(f"{BASE}/items/A01", json={"sort": -1, "version": 2}, headers=admin)
    assert r.status_code == 200
    assert client.get(f"{BASE}/items", headers=admin).json()["items"][0]["code"] == "A01"
    [entry] = [e for e in audit_actions(client, admin, "item") if e["action"] == "item.reorder"]
    assert entry["after"]["order"][:2] == ["F06", "A03"]
