"""Kiosk search, life events and the catalogue's queue hours, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

S = "/api/v1/halls/demo/search"


def codes(client: TestClient, q: str) -> list[str]:
    r = client.get(S, params={"q": q})
    assert r.status_code == 200, r.text
    return [i["code"] for i in r.json()["items"]]


def test_pinyin_initials_find_real_estate(client: TestClient) -> None:
    r = client.get(S, params={"q": "bdc"}).json()
    # 不动产登记资料查询 starts with 不动产; the others match by department (不动产登记中心).
    assert r["items"][0]["code"] == "C04" and r["items"][0]["match"] == "pinyin"
    assert r["items"][0]["name"] == "不动产登记资料查询"
    assert {"C01", "C02", "C03", "C05"} <= set(codes(client, "bdc"))
    assert codes(client, "budongchan")[0] == "C04"
    assert codes(client, "BDC") == codes(client, "bdc")


def test_chinese_words_full_pinyin_and_english(client: TestClient) -> None:
    assert codes(client, "身份证")[:2] == ["D01", "D05"]  # hotter first: 88 > 58
    assert codes(client, "shenfenzheng")[:2] == ["D01", "D05"]
    assert codes(client, "jhdj") == ["F01"]
    assert "F01" in codes(client, "marriage")
    assert codes(client, "不存在的事项") == []
    assert codes(client, "zzzzzz") == []


def test_hot_items_first_by_recent_tickets(client: TestClient, kiosk: dict[str, str]) -> None:
    assert codes(client, "身份证")[:2] == ["D01", "D05"]
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/halls/demo/tickets", json={"item": "D05"}, headers=kiosk
            ).status_code
            == 201
        )
    found = client.get(S, params={"q": "身份证"}).json()["items"]
    assert [i["code"] for i in found[:2]] == ["D05", "D01"]
    assert found[0]["recent_tickets"] == 2
    everything = codes(client, "")
    assert everything[0] == "D05" and len(everything) == 30


def test_search_input_is_bounded(client: TestClient) -> None:
    r = client.get(S, params={"q": "x" * 33})
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST"
    assert client.get("/api/v1/halls/nope/search", params={"q": "a"}).status_code == 404


def test_life_events(client: TestClient) -> None:
    events = client.get("/api/v1/halls/demo/life-events").json()
    names = [e["name"] for e in events]
    assert names[:4] == ["开办企业", "买房", "生育", "退休"]
    by_name = {e["name"]: e for e in events}
    assert by_name["买房"]["name_en"] == "Buying a home"
    home = [i["code"] for i in by_name["买房"]["items"]]
    assert home[0] == "C02" and {"C01", "C03", "C04", "C05", "E03", "D03", "F05"} <= set(home)
    assert "A01" not in home


def test_catalogue_says_when_each_queue_issues(client: TestClient) -> None:
    queues = client.get("/api/v1/halls/demo/catalogue").json()["queues"]
    a = next(q for q in queues if q["code"] == "A")
    assert a["issue_hours"] == ["08:45-11:45", "13:30-16:45"] and a["daily_cap"] == 300
