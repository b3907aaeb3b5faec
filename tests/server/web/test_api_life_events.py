"""Life events (一件事) through the admin API: bundles of a hall's items in order with
notes, checked field by field (items of the hall, none twice, two at least when active),
edited with the version read, audited; the kiosk's 一件事 screen, search and the
catalogue read nothing else; another hall's admin is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from server.demo.load import load_demo
from server.services.hub import Hub
from server.web.schemas.bundles import LifeEventList, LifeEventRow

Login = Callable[..., dict[str, str]]
BASE = "/api/v1/admin/halls/demo/life-events"
PUBLIC = "/api/v1/halls/demo/life-events"
PASSPORT = {
    "code": "going-abroad",
    "name": "出国（境）",
    "name_en": "Going abroad",
    "description": "护照及出行前的准备",
    "sort": 20,
    "items": [
        {"item": "D06", "note": "首次申领或换发"},
        {"item": "D05", "note": "如身份证丢失，先办临时身份证"},
    ],
}


def admin(login: Login) -> dict[str, str]:
    return login("admin", password="admin1234")


def fields_of(r: Any) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]]


def test_the_demo_bundles_are_listed_in_kiosk_order(client: TestClient, login: Login) -> None:
    listed = LifeEventList.model_validate(client.get(BASE, headers=admin(login)).json())
    assert [e.code for e in listed.life_events][:3] == ["start-business", "buy-home", "baby"]
    assert listed.min_items == 2
    business = listed.life_events[0]
    assert [(m.item, m.note) for m in business.items][:2] == [
        ("F05", "如需先预审材料"),
        ("A01", "开办公司"),
    ]


def test_a_new_bundle_is_offered_at_the_kiosk_and_found_by_its_name(
    client: TestClient, login: Login
) -> None:
    headers = admin(login)
    r = client.post(BASE, json=PASSPORT, headers=headers)
    assert r.status_code == 201, r.text
    row = LifeEventRow.model_validate(r.json())
    assert row.version == 1 and r.headers["etag"] == '"1"'
    assert [(m.item, m.name, m.note) for m in row.items] == [
        ("D06", "普通护照签发", "首次申领或换发"),
        ("D05", "临时身份证办理", "如身份证丢失，先办临时身份证"),
    ]
    events = client.get(PUBLIC).json()
    mine = next(e for e in events if e["code"] == "going-abroad")
    assert [i["code"] for i in mine["items"]] == ["D06", "D05"]
    assert mine["items"][1]["note"] == "如身份证丢失，先办临时身份证"
    assert mine["description"] == "护照及出行前的准备" and mine["name_en"] == "Going abroad"
    assert [e["code"] for e in events][-1] == "going-abroad"  # sort 20: after the demo's
    # Search finds the items by the bundle's name; the catalogue says they are in it.
    found = client.get("/api/v1/halls/demo/search", params={"q": "出国（境）"}).json()["items"]
    assert {"D06", "D05"} <= {i["code"] for i in found}
    items = {i["code"]: i for i in client.get("/api/v1/halls/demo/catalogue").json()["items"]}
    assert items["D05"]["life_events"] == ["出国（境）"]
    assert client.get("/api/v1/halls/demo/items/D06").json()["life_events"] == ["出国（境）"]

    r = client.post(BASE, json=PASSPORT, headers=headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "LIFE_EVENT_CODE_TAKEN"


def test_a_bad_bundle_is_refused_field_by_field_and_nothing_is_saved(
    client: TestClient, login: Login
) -> None:
    headers = admin(login)
    body = {
        **PASSPORT,
        "code": "Going Abroad",
        "items": [
            {"item": "D06"},
            {"item": "ZZ9", "note": ""},
            {"item": "D06", "note": "again"},
        ],
    }
    r = client.post(BASE, json=body, headers=headers)
    assert r.status_code == 422
    assert fields_of(r) == [
        ("code", "LIFE_EVENT_CODE_FORMAT"),
        ("items.1.item", "ITEM_UNKNOWN"),
        ("items.2.item", "DUPLICATE"),
        ("items", "BUNDLE_TOO_SMALL"),
    ]
    problem = r.json()["error"]["details"]["fields"][1]
    assert "ZZ9" in problem["message_zh"] and "ZZ9" in problem["message_en"]
    # A bundle of one is not a 一件事 while active; kept inactive it may be drafted.
    one = {**PASSPORT, "items": PASSPORT["items"][:1]}
    r = client.post(BASE, json=one, headers=headers)
    assert fields_of(r) == [("items", "BUNDLE_TOO_SMALL")]
    assert "2" in r.json()["error"]["details"]["fields"][0]["message_zh"]
    r = client.post(BASE, json={**one, "active": False}, headers=headers)
    assert r.status_code == 201 and r.json()["active"] is False
    assert "going-abroad" not in [e["code"] for e in client.get(PUBLIC).json()]
    # Switched on as it is: refused, it still has one item.
    r = client.patch(f"{BASE}/going-abroad", json={"active": True, "version": 1}, headers=headers)
    assert r.status_code == 422 and fields_of(r) == [("items", "BUNDLE_TOO_SMALL")]
    r = client.post(BASE, json={**PASSPORT, "code": "x", "items": []}, headers=headers)
    assert fields_of(r) == [("code", "LIFE_EVENT_CODE_FORMAT"), ("items", "BUNDLE_TOO_SMALL")]
    r = client.post(BASE, json={**PASSPORT, "code": "ok-code", "name": ""}, headers=headers)
    assert r.status_code == 422 and fields_of(r)[0][0] == "name"
    codes = [e["code"] for e in client.get(BASE, headers=headers).json()["life_events"]]
    assert codes.count("going-abroad") == 1 and "ok-code" not in codes


def test_an_edit_reorders_the_items_with_the_version_it_read(
    client: TestClient, login: Login
) -> None:
    headers = admin(login)
    url = f"{BASE}/marriage"
    before = client.get(url, headers=headers).json()
    assert [m["item"] for m in before["items"]] == ["F01", "D03"]
    items = [{"item": "D03", "note": "先迁户口"}, {"item": "F01", "note": ""}, {"item": "D04"}]
    r = client.patch(url, json={"items": items}, headers=headers)
    assert r.status_code == 428 and r.json()["error"]["code"] == "VERSION_REQUIRED"
    r = client.patch(url, json={"items": items, "name": "结婚成家", "version": 1}, headers=headers)
    assert r.status_code == 200, r.text
    assert [(m["item"], m["note"]) for m in r.json()["items"]] == [
        ("D03", "先迁户口"),
        ("F01", ""),
        ("D04", ""),
    ]
    assert r.json()["version"] == 2 and r.json()["name"] == "结婚成家"
    # The second writer read version 1: told, not overwriting.
    r = client.patch(url, json={"description": "x", "version": 1}, headers=headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "STALE_VERSION"
    r = client.patch(url, json={"sort": 1}, headers={**headers, "If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["sort"] == 1
    kiosk = next(e for e in client.get(PUBLIC).json() if e["code"] == "marriage")
    assert [i["code"] for i in kiosk["items"]] == ["D03", "F01", "D04"]
    assert kiosk["name"] == "结婚成家"
    r = client.patch(f"{BASE}/nope", json={"sort": 1, "version": 1}, headers=headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "LIFE_EVENT_NOT_FOUND"

    entries = client.get(
        "/api/v1/admin/audit", params={"action": "life_event."}, headers=headers
    ).json()["entries"]
    assert [e["action"] for e in entries] == ["life_event.update", "life_event.update"]
    first = entries[1]
    assert first["before"]["items"] == [["F01", "双方本人到场"], ["D03", "如需迁入对方户口"]]
    assert first["after"]["items"][0] == ["D03", "先迁户口"]


def test_a_deleted_bundle_leaves_its_items(client: TestClient, login: Login) -> None:
    headers = admin(login)
    assert client.delete(f"{BASE}/hardship", headers=headers).status_code == 204
    assert client.get(f"{BASE}/hardship", headers=headers).status_code == 404
    assert client.delete(f"{BASE}/hardship", headers=headers).status_code == 404
    assert "hardship" not in [e["code"] for e in client.get(PUBLIC).json()]
    assert client.get("/api/v1/halls/demo/items/F03").json()["life_events"] == []
    entries = client.get(
        "/api/v1/admin/audit", params={"action": "life_event.delete"}, headers=headers
    ).json()["entries"]
    assert entries[0]["before"]["items"] == [["F03", ""], ["F04", ""]]


def test_another_halls_admin_and_other_staff_are_refused(
    client: TestClient, login: Login, hub: Hub
) -> None:
    load_demo(hub.db, hall_code="north")
    token = client.post(
        "/api/v1/auth/login", json={"hall": "north", "staff_no": "admin", "password": "admin1234"}
    ).json()["token"]
    client.cookies.clear()
    north = {"Authorization": f"Bearer {token}"}
    url = f"{BASE}/marriage"
    for r in (
        client.get(BASE, headers=north),
        client.post(BASE, json=PASSPORT, headers=north),
        client.get(url, headers=north),
        client.patch(url, json={"sort": 3, "version": 1}, headers=north),
        client.delete(url, headers=north),
    ):
        assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL", r.text
    # North edits its own.
    r = client.patch(
        "/api/v1/admin/halls/north/life-events/marriage",
        json={"sort": 3, "version": 1},
        headers=north,
    )
    assert r.status_code == 200
    assert client.get(url, headers=admin(login)).json()["sort"] == 4  # demo's untouched
    for staff in (login("S001"), login("C001")):
        assert client.get(BASE, headers=staff).status_code == 403
    assert client.get(BASE).status_code == 401
