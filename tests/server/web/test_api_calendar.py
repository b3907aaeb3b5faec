"""The national calendar through the admin API: a year read, typed in, or imported from
a CSV or XLSX table; a dry run reports every bad row, an import is all or nothing; and
issuing follows it."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from server.web.schemas.calendar import CalendarYear, ImportReport

Login = Callable[..., dict[str, str]]
CAL = "/api/v1/admin/calendar"
GOOD_2028 = "日期,类型(放假/上班),名称\n2028-01-01,放假,元旦\n2028-01-02,放假,元旦\n2028-01-29,上班,春节调休\n"
ONE_BAD_2028 = (
    "日期,类型(放假/上班),名称\n"
    "2028-01-01,放假,元旦\n"
    "2028-01-32,放假,元旦\n"  # row 3: no such date
    "2028-01-29,上班,春节调休\n"
)


def sysadmin(login: Login) -> dict[str, str]:
    return login("sysadmin", password="admin1234")


def upload(
    client: TestClient,
    year: int,
    content: bytes,
    headers: dict[str, str],
    *,
    dry_run: bool,
    name: str = "calendar.csv",
) -> Any:
    return client.post(
        f"{CAL}/{year}/import",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, content, "text/csv")},
        headers=headers,
    )


def audited(client: TestClient, headers: dict[str, str], action: str) -> list[dict[str, Any]]:
    r = client.get("/api/v1/admin/audit", params={"action": action}, headers=headers)
    assert r.status_code == 200, r.text
    return [e for e in r.json()["entries"] if e["action"] == action]


def entries_of(
    client: TestClient, year: int, headers: dict[str, str]
) -> list[tuple[str, str, str]]:
    body = CalendarYear.model_validate(client.get(f"{CAL}/{year}", headers=headers).json())
    return [(e.date, e.kind, e.name) for e in body.entries]


def test_the_demo_ships_2026_from_the_notice_and_2027_as_an_example(
    client: TestClient, login: Login
) -> None:
    admin = login("admin", password="admin1234")  # a hall's admin may read it
    year = CalendarYear.model_validate(client.get(f"{CAL}/2026", headers=admin).json())
    assert year.years == [2026, 2027] and len(year.entries) == 39
    spring = [e for e in year.entries if e.name == "春节"]
    assert (spring[0].date, spring[-1].date, len(spring)) == ("2026-02-15", "2026-02-23", 9)
    worked = [e.date for e in year.entries if e.kind == "workday"]
    assert worked == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    assert all(
        "示例" in e.name
        for e in CalendarYear.model_validate(
            client.get(f"{CAL}/2027", headers=admin).json()
        ).entries
    )
    assert client.get(f"{CAL}/2026", headers=login("S001")).status_code == 403
    assert client.get(f"{CAL}/2026").status_code == 401


def test_a_year_is_typed_in_whole_or_not_at_all(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    root = sysadmin(login)
    entries = [
        {"date": "2028-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2028-01-29", "kind": "workday", "name": "春节调休"},
    ]
    r = client.put(f"{CAL}/2028", json={"entries": entries}, headers=root)
    assert r.status_code == 200, r.text
    assert entries_of(client, 2028, root) == [
        ("2028-01-01", "holiday", "元旦"),
        ("2028-01-29", "workday", "春节调休"),
    ]
    bad = [
        {"date": "2028-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2029-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2028-02-01", "kind": "weekend"},
        {"date": "2028-02-02", "kind": "workday"},  # a Wednesday
    ]
    r = client.put(f"{CAL}/2028", json={"entries": bad}, headers=root)
    assert r.status_code == 422
    fields = [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]]
    assert fields == [
        ("entries.1.date", "DATE_OTHER_YEAR"),
        ("entries.2.kind", "KIND_INVALID"),
        ("entries.3.date", "WORKDAY_ON_WEEKDAY"),
    ]
    assert len(entries_of(client, 2028, root)) == 2  # unchanged
    # The change is on record, the refused one is not: the days that changed, each side.
    (entry,) = audited(client, root, "calendar.replace")
    assert (entry["entity_kind"], entry["entity_key"], entry["actor"]) == (
        "calendar",
        "2028",
        "sysadmin",
    )
    assert entry["before"] == {"2028-01-01": None, "2028-01-29": None}
    assert entry["after"] == {
        "2028-01-01": {"kind": "holiday", "name": "元旦"},
        "2028-01-29": {"kind": "workday", "name": "春节调休"},
    }
    r = client.put(f"{CAL}/2028", json={"entries": [{"date": "2028-01-01"}]}, headers=root)
    assert r.status_code == 422 and r.json()["error"]["details"]["fields"][0]["code"] == "REQUIRED"
    assert client.put(f"{CAL}/1900", json={"entries": []}, headers=root).status_code == 422

    # Only the installation's admin keeps the national calendar.
    r = client.put(
        f"{CAL}/2028", json={"entries": []}, headers=login("admin", password="admin1234")
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "INSTALLATION_ADMIN_ONLY"

    # What issuing follows: Monday 23 Nov 2026 made a day off.
    r = client.put(
        f"{CAL}/2026",
        json={"entries": [{"date": "2026-11-23", "kind": "holiday", "name": "测试"}]},
        headers=root,
    )
    assert r.status_code == 200
    r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "HALL_CLOSED_TODAY"


def test_a_regions_entries_apply_to_its_halls_only(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    root = sysadmin(login)
    day_off = {"entries": [{"date": "2026-11-23", "kind": "holiday", "name": "地方节日"}]}
    assert (
        client.put(f"{CAL}/2026", params={"region": "gx"}, json=day_off, headers=root).status_code
        == 200
    )
    issue = "/api/v1/halls/demo/tickets"
    assert client.post(issue, json={"queue": "A"}, headers=kiosk).status_code == 201
    version = client.get("/api/v1/admin/halls/demo", headers=root).json()["version"]
    r = client.patch(
        "/api/v1/admin/halls/demo", json={"region": "gx", "version": version}, headers=root
    )
    assert r.status_code == 200
    assert (
        client.post(issue, json={"queue": "A"}, headers=kiosk).json()["error"]["code"]
        == "HALL_CLOSED_TODAY"
    )
    national = entries_of(client, 2026, root)
    assert ("2026-11-23", "holiday", "地方节日") in national and len(national) == 40
    # The installation-wide year is untouched by the region's.
    assert any(
        e["region"] == "gx" for e in client.get(f"{CAL}/2026", headers=root).json()["entries"]
    )


def test_an_import_is_checked_first_and_saved_whole(client: TestClient, login: Login) -> None:
    root = sysadmin(login)
    r = upload(client, 2028, ONE_BAD_2028.encode(), root, dry_run=True)
    assert r.status_code == 200, r.text
    report = ImportReport.model_validate(r.json())
    assert not report.ok and not report.saved and report.dry_run
    assert [(p.row, p.field, p.column, p.code, p.value) for p in report.problems] == [
        (3, "date", "日期", "DATE_INVALID", "2028-01-32")
    ]
    assert report.problems[0].message_zh.startswith("日期应写成")
    assert len(report.entries) == 2  # the good rows, shown for checking
    assert entries_of(client, 2028, root) == []

    # Imported for real, the same file saves nothing and says why.
    r = upload(client, 2028, ONE_BAD_2028.encode(), root, dry_run=False)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "CALENDAR_IMPORT_INVALID" and err["details"]["problems"][0]["row"] == 3
    assert entries_of(client, 2028, root) == []

    r = upload(client, 2028, GOOD_2028.encode(), root, dry_run=True)
    assert r.json()["ok"] is True and r.json()["saved"] is False
    assert entries_of(client, 2028, root) == []
    r = upload(client, 2028, GOOD_2028.encode(), root, dry_run=False)
    assert r.status_code == 200 and r.json()["saved"] is True
    assert [e[0] for e in entries_of(client, 2028, root)] == [
        "2028-01-01",
        "2028-01-02",
        "2028-01-29",
    ]
    # Another import replaces the year, never adds to it.
    r = upload(
        client, 2028, "日期,类型,名称\n2028-10-01,放假,国庆节\n".encode(), root, dry_run=False
    )
    assert entries_of(client, 2028, root) == [("2028-10-01", "holiday", "国庆节")]
    # Two imports saved, two entries; the dry runs and the refused import left none.
    second, first = audited(client, root, "calendar.import")
    assert list(first["after"]) == ["2028-01-01", "2028-01-02", "2028-01-29"]
    assert second["before"]["2028-01-29"] == {"kind": "workday", "name": "春节调休"}
    assert second["after"] == {
        "2028-01-01": None,
        "2028-01-02": None,
        "2028-01-29": None,
        "2028-10-01": {"kind": "holiday", "name": "国庆节"},
    }


def test_excel_files_import_as_xlsx_and_as_a_chinese_windows_csv(
    client: TestClient, login: Login
) -> None:
    root = sysadmin(login)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "类型(放假/上班)", "名称"])
    sheet.append([datetime(2028, 1, 1), "放假", "元旦"])  # a date cell
    sheet.append(["2028/1/29", "上班", "春节调休"])  # a date typed as text
    sheet.append([None, None, None])
    sheet.append(["2028-02-30", "放假", "春节"])  # row 5
    out = io.BytesIO()
    book.save(out)
    r = upload(client, 2028, out.getvalue(), root, dry_run=True, name="2028.xlsx")
    assert r.status_code == 200, r.text
    report = r.json()
    assert [(p["row"], p["code"]) for p in report["problems"]] == [(5, "DATE_INVALID")]
    assert [e["date"] for e in report["entries"]] == ["2028-01-01", "2028-01-29"]

    gbk = GOOD_2028.encode("gb18030")
    r = upload(client, 2028, gbk, root, dry_run=False)
    assert r.status_code == 200 and len(r.json()["entries"]) == 3


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "FILE_EMPTY"),
        (b"\x00\x01\x02\xff\xfe", "FILE_UNREADABLE"),
        (b"PK\x03\x04 not really a zip", "FILE_UNREADABLE"),
        ("日期,名称\n2028-01-01,元旦\n".encode(), "COLUMN_MISSING"),
        ("日期,类型,名称\n".encode(), "FILE_EMPTY"),
        (b"x" * (256 * 1024 + 10), "FILE_TOO_LARGE"),
        (("日期,类型,名称\n" + "2028-01-01,放假,元旦\n" * 400).encode(), "TOO_MANY_ROWS"),
    ],
    ids=["empty", "binary", "bad-zip", "no-kind-column", "header-only", "too-large", "too-many"],
)
def test_a_file_that_cannot_be_read_is_reported_not_a_500(
    client: TestClient, login: Login, content: bytes, code: str
) -> None:
    r = upload(client, 2028, content, sysadmin(login), dry_run=True)
    assert r.status_code == 200, r.text
    assert [p["code"] for p in r.json()["problems"]] == [code]
    assert r.json()["problems"][0]["message_zh"] and r.json()["problems"][0]["message_en"]


def test_an_import_without_a_file_or_by_another_admin_is_refused(
    client: TestClient, login: Login
) -> None:
    r = client.post(f"{CAL}/2028/import", headers=sysadmin(login))
    assert r.status_code == 422
    assert [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]] == [
        ("file", "REQUIRED")
    ]
    r = upload(client, 2028, GOOD_2028.encode(), login("admin", password="admin1234"), dry_run=True)
    assert r.status_code == 403 and r.json()["error"]["code"] == "INSTALLATION_ADMIN_ONLY"
