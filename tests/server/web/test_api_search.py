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
    home = by_name["买房"]
    assert (home["code"], home["name_en"]) == ("buy-home", "Buying a home")
    assert home["description"]
    # The bundle's own order (the order they are done), each with its note.
    assert [(i["code"], i["note"]) for i in home["items"]] == [
        ("C04", "如需先查询房屋登记信息"),
        ("C05", "购买期房（预售商品房）时"),
        ("E03", ""),
        ("C01", "购买新建商品房时"),
        ("C02", "购买二手房时"),
        ("C03", "如贷款购房"),
        ("F06", "如用公积金付款"),
        ("D03", "如需将户口迁入新居"),
    ]


def test_catalogue_says_when_each_queue_issues(client: TestClient) -> None:
    queues = client.get("/api/v1/halls/demo/catalogue").json()["queues"]
    a = next(q for q in queues if q["code"] == "A")
    assert a["issue_hours"] == ["08:45-11:45", "13:30-16:45"] and a["daily_cap"] == 300


def first(client: TestClient, q: str) -> dict[str, str]:
    r = client.get(S, params={"q": q})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items, f"{q!r} finds nothing"
    return {k: items[0][k] for k in ("code", "name", "match", "matched")}


def test_the_words_citizens_say_find_their_item_first(client: TestClient) -> None:
    """营业执照, 社保卡, 公积金, 护照 and 驾驶证 found nothing before items had aliases."""
    assert first(client, "营业执照") == {
        "code": "A01",
        "name": "有限责任公司设立登记",
        "match": "alias",
        "matched": "营业执照",
    }
    assert first(client, "社保卡")["code"] == "B03"
    assert first(client, "公积金")["code"] == "F06"
    assert first(client, "护照")["code"] == "D06"
    assert first(client, "驾驶证")["code"] == "D07"
    assert first(client, "我要办护照")["code"] == "D06"


def test_pinyin_of_an_alias_beats_a_name_it_fits_by_chance(client: TestClient) -> None:
    """s-f-z fits 二手房转移登记 (shou fang zhuan), the hotter item; 身份证 is the word."""
    found = codes(client, "sfz")
    assert found[:2] == ["D01", "D05"] and found.index("C02") > 1
    assert first(client, "sfz")["match"] == "pinyin"
    assert first(client, "yyzz")["code"] == "A01"
    assert first(client, "gjj")["code"] == "F06"


def test_a_typo_finds_its_item(client: TestClient) -> None:
    assert first(client, "pasport") == {
        "code": "D06",
        "name": "普通护照签发",
        "match": "fuzzy",
        "matched": "passport",
    }
    assert first(client, "gongjijing")["code"] == "F06"
    assert first(client, "身分证")["code"] == "D01"  # 分 for 份: same sound
    assert first(client, "营业执造")["code"] == "A01"  # one wrong character


def test_items_say_their_aliases_and_keywords(client: TestClient) -> None:
    guide = client.get("/api/v1/halls/demo/items/B03").json()
    assert "社保卡" in guide["aliases"] and "补办社保卡" in guide["keywords"]
    items = client.get("/api/v1/halls/demo/catalogue").json()["items"]
    assert all(i["aliases"] and i["keywords"] for i in items)
    hot = client.get(S).json()["items"]
    assert all("matched" not in i for i in hot)
