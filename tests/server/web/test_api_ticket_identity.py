"""Tickets with an ID number and a phone, per-person limits, 绿色通道 and request ids,
through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from hallclient import patch_hall, patch_read

from server.domain.identity import id_check_char
from server.services import tickets
from server.services.hub import Hub

URL = "/api/v1/halls/demo/tickets"
CHECK = "/api/v1/halls/demo/tickets/check"


def resident_id(born: date, serial: int = 123, region: str = "330106") -> str:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


ELDER = resident_id(date(1950, 5, 1))  # 76 on the test clock's day (2026-11-23)
YOUNG = resident_id(date(1990, 1, 2))
PHONE = "13812345678"


def dump_all(sql: Callable[..., list[Any]]) -> str:
    """Every value of every table the ticket path writes, as one string."""
    out = []
    for table in ("ticket", "ticketevent", "ticketrequest", "hallsecret", "ticketcounter"):
        out.extend(str(row) for row in sql(f"SELECT * FROM {table}"))
    return "\n".join(out)


def test_id_and_phone_are_kept_masked_only(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    r = client.post(URL, json={"item": "B03", "id_number": YOUNG, "phone": PHONE}, headers=kiosk)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id_masked"] == YOUNG[:3] + "*" * 11 + YOUNG[-4:]
    assert body["phone_masked"] == "138****5678"
    assert YOUNG not in r.text and PHONE not in r.text
    status = client.get(f"/api/v1/tickets/{body['token']}")
    assert status.json()["id_masked"] == body["id_masked"] and YOUNG not in status.text
    page = client.get(f"/t/{body['token']}")
    assert YOUNG not in page.text and PHONE not in page.text
    stored = dump_all(sql)
    assert YOUNG not in stored and PHONE not in stored and YOUNG[6:14] not in stored
    (hashed,) = sql("SELECT id_hash FROM ticket")[0]
    assert len(hashed) == 64


def test_wrong_check_digit_and_malformed_phone_are_refused_and_write_nothing(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    wrong = YOUNG[:17] + ("0" if YOUNG[17] != "0" else "1")
    cases = [
        ({"queue": "B", "id_number": wrong}, "ID_NUMBER_CHECK_DIGIT"),
        ({"queue": "B", "id_number": YOUNG[:16]}, "ID_NUMBER_FORMAT"),
        ({"queue": "B", "id_number": "330106" + "19900230" + "1234"}, "ID_NUMBER_BIRTH_DATE"),
        ({"queue": "B", "phone": "1381234567"}, "PHONE_INVALID"),
        ({"queue": "B", "phone": "12812345678"}, "PHONE_INVALID"),
    ]
    for body, code in cases:
        for url in (URL, CHECK):
            r = client.post(url, json=body, headers=kiosk)
            assert r.status_code == 422, (url, body, r.text)
            err = r.json()["error"]
            assert err["code"] == code and err["message_zh"] and err["message_en"]
            assert wrong not in r.text
    assert sql("SELECT count(*) FROM ticket")[0][0] == 0
    assert sql("SELECT count(*) FROM ticketcounter")[0][0] == 0


def test_one_waiting_ticket_per_person_and_queue_and_a_daily_limit(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    first = client.post(URL, json={"queue": "B", "id_number": YOUNG}, headers=kiosk)
    assert first.status_code == 201
    again = client.post(URL, json={"queue": "B", "id_number": YOUNG}, headers=kiosk)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ID_ALREADY_WAITING"
    check = client.post(CHECK, json={"item": "B03", "id_number": YOUNG}, headers=kiosk)
    assert check.json()["error"]["code"] == "ID_ALREADY_WAITING"
    # Someone else, and the same person in other queues, may still take tickets.
    assert (
        client.post(URL, json={"queue": "B", "id_number": ELDER}, headers=kiosk).status_code == 201
    )
    for queue in ("C", "D"):
        r = client.post(URL, json={"queue": queue, "id_number": YOUNG}, headers=kiosk)
        assert r.status_code == 201, r.text
    over = client.post(URL, json={"queue": "E", "id_number": YOUNG}, headers=kiosk)
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "ID_DAILY_LIMIT"
    assert over.json()["error"]["details"] == {"limit": 3}
    # The refused tickets took no numbers: B002 went to ELDER, E has no counter yet.
    assert sorted(r[0] for r in sql("SELECT code FROM ticket")) == ["B001", "B002", "C001", "D001"]
    assert (
        sql(
            "SELECT count(*) FROM ticketcounter WHERE queue_id = "
            "(SELECT id FROM queue WHERE code = 'E')"
        )[0][0]
        == 0
    )


ADMIN_HALL = "/api/v1/admin/halls/demo"


def test_the_limit_is_a_hall_setting_and_restarts_each_day(
    client: TestClient,
    kiosk: dict[str, str],
    sql: Callable[..., list[Any]],
    login: Callable[..., dict[str, str]],
    clock: Any,
) -> None:
    admin = login("admin", password="admin1234")
    r = patch_hall(client, "demo", {"id_daily_limit": 0}, admin)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST"
    r = patch_hall(client, "demo", {"id_daily_limit": 1}, admin)
    assert r.status_code == 200, r.text
    assert (
        client.post(URL, json={"queue": "B", "id_number": YOUNG}, headers=kiosk).status_code == 201
    )
    r = client.post(URL, json={"queue": "C", "id_number": YOUNG}, headers=kiosk)
    assert r.json()["error"]["code"] == "ID_DAILY_LIMIT"
    clock.advance(days=1)  # Tuesday: a new business day, and new hashes
    assert (
        client.post(URL, json={"queue": "C", "id_number": YOUNG}, headers=kiosk).status_code == 201
    )
    hashes = {r[0] for r in sql("SELECT id_hash FROM ticket")}
    assert len(hashes) == 2  # the same person cannot be linked across days


def test_green_channel_is_offered_by_age_and_decided_by_the_hub(
    client: TestClient, kiosk: dict[str, str], login: Callable[..., dict[str, str]]
) -> None:
    elder = client.post(
        CHECK, json={"queue": "D", "id_number": ELDER, "phone": PHONE}, headers=kiosk
    )
    assert elder.status_code == 200, elder.text
    assert elder.json() == {
        "id_masked": ELDER[:3] + "*" * 11 + ELDER[-4:],
        "phone_masked": "138****5678",
        "green_channel": True,
        "green_channel_age": 70,
    }
    young = client.post(CHECK, json={"queue": "D", "id_number": YOUNG}, headers=kiosk).json()
    assert young["green_channel"] is False
    nobody = client.post(CHECK, json={"queue": "D"}, headers=kiosk).json()
    assert nobody["green_channel"] is False and nobody["id_masked"] is None
    refused = client.post(
        URL, json={"queue": "D", "id_number": YOUNG, "priority": "green"}, headers=kiosk
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "GREEN_CHANNEL_NOT_ALLOWED"
    granted = client.post(
        URL, json={"queue": "D", "id_number": ELDER, "priority": "green"}, headers=kiosk
    )
    assert granted.status_code == 201 and granted.json()["priority"] == "green"
    # Seventy exactly today; a hall can lower or switch off the age rule.
    admin = login("admin", password="admin1234")
    r = patch_hall(client, "demo", {"green_channel_age": None}, admin)
    assert r.status_code == 200 and r.json()["green_channel_age"] is None
    off = client.post(CHECK, json={"queue": "C", "id_number": ELDER}, headers=kiosk).json()
    assert off["green_channel"] is False and off["green_channel_age"] is None


def test_seventy_today_is_old_enough(client: TestClient, kiosk: dict[str, str]) -> None:
    today70 = resident_id(date(1956, 11, 23))
    tomorrow70 = resident_id(date(1956, 11, 24))
    assert client.post(CHECK, json={"queue": "D", "id_number": today70}, headers=kiosk).json()[
        "green_channel"
    ]
    assert not client.post(
        CHECK, json={"queue": "D", "id_number": tomorrow70}, headers=kiosk
    ).json()["green_channel"]


def test_check_says_out_of_hours_and_cap_before_the_citizen_starts(
    client: TestClient, kiosk: dict[str, str], clock: Any, login: Callable[..., Any]
) -> None:
    admin = login("admin", password="admin1234")
    patch_read(client, "/api/v1/admin/halls/demo/queues/E", {"daily_cap": 1}, admin)
    assert client.post(URL, json={"queue": "E"}, headers=kiosk).status_code == 201
    capped = client.post(CHECK, json={"queue": "E"}, headers=kiosk)
    assert capped.status_code == 409 and capped.json()["error"]["code"] == "DAILY_CAP_REACHED"
    clock.advance(hours=2)  # 12:00, lunch break
    r = client.post(CHECK, json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "OUT_OF_HOURS"


def test_a_double_tap_issues_one_ticket(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    headers = {**kiosk, "Idempotency-Key": "k01-7f3a9c2e-0001"}
    body = {"item": "C02", "id_number": YOUNG, "phone": PHONE}
    first = client.post(URL, json=body, headers=headers)
    second = client.post(URL, json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    a, b = first.json(), second.json()
    assert a["code"] == b["code"] == "C001" and a["token"] == b["token"]
    assert (a["replayed"], b["replayed"]) == (False, True)
    assert sql("SELECT count(*) FROM ticket")[0][0] == 1
    assert sql("SELECT value FROM ticketcounter")[0][0] == 1
    # A new key is a new request (and here the per-person rule refuses it).
    other = client.post(URL, json=body, headers={**kiosk, "Idempotency-Key": "k01-other-0002"})
    assert other.json()["error"]["code"] == "ID_ALREADY_WAITING"


def test_a_request_id_cannot_be_reused_for_another_request(
    client: TestClient, kiosk: dict[str, str], demo: Any
) -> None:
    headers = {**kiosk, "Idempotency-Key": "same-key-123"}
    assert client.post(URL, json={"queue": "A"}, headers=headers).status_code == 201
    r = client.post(URL, json={"queue": "B"}, headers=headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    k02 = {
        "Authorization": f"Bearer {demo.device_tokens['K02']}",
        "Idempotency-Key": "same-key-123",
    }
    r = client.post(URL, json={"queue": "A"}, headers=k02)
    assert r.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    bad = client.post(URL, json={"queue": "A"}, headers={**kiosk, "Idempotency-Key": "short"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "INVALID_REQUEST"


def test_simultaneous_repeats_issue_one_ticket(
    hub: Hub, demo: Any, sql: Callable[..., list[Any]]
) -> None:
    """Eight taps arriving together (two kiosks' worth of threads) with one request id."""
    from server.store import halls as hall_store

    with hub.db.read() as s:
        hall_id = hall_store.hall_by_code(s, "demo").id
    assert hall_id is not None
    # Earlier business: the hall's ID key exists, so nothing else serialises the taps.
    tickets.issue_ticket(hub, hall_id=hall_id, queue_code="A", id_number=YOUNG)
    barrier = threading.Barrier(8)
    codes: list[str] = []
    errors: list[BaseException] = []

    def tap() -> None:
        barrier.wait()
        try:
            view = tickets.issue_ticket(
                hub, hall_id=hall_id, queue_code="F", request_key="tap-tap-tap-1", device_id=None
            )
            codes.append(view.code)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == [] and codes == ["F001"] * 8
    assert sql("SELECT count(*) FROM ticket WHERE queue_prefix = 'F'")[0][0] == 1
    assert sql("SELECT count(*) FROM ticketrequest")[0][0] == 1
    assert sql("SELECT value FROM ticketcounter WHERE value > 0 ORDER BY queue_id") == [(1,), (1,)]


def test_one_person_at_several_kiosks_at_once_keeps_the_daily_limit(
    hub: Hub, demo: Any, sql: Callable[..., list[Any]]
) -> None:
    """The same ID in six different queues at the same instant, with a limit of 2."""
    from server.domain.errors import DomainError
    from server.store import halls as hall_store

    with hub.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE hall SET id_daily_limit = 2")
    with hub.db.read() as s:
        hall_id = hall_store.hall_by_code(s, "demo").id
    assert hall_id is not None
    tickets.issue_ticket(hub, hall_id=hall_id, queue_code="A")  # the hall's ID key exists
    queues = ["B", "C", "D", "E", "F", "A"]
    barrier = threading.Barrier(len(queues))
    issued: list[str] = []
    refused: list[str] = []

    def take(queue: str) -> None:
        barrier.wait()
        try:
            issued.append(
                tickets.issue_ticket(hub, hall_id=hall_id, queue_code=queue, id_number=YOUNG).code
            )
        except DomainError as err:
            refused.append(err.code)

    threads = [threading.Thread(target=take, args=(q,)) for q in queues]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(issued) == 2 and refused == ["ID_DAILY_LIMIT"] * 4
    assert sql("SELECT count(*) FROM ticket WHERE id_hash IS NOT NULL")[0][0] == 2
