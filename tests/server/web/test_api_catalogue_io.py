"""The catalogue as a spreadsheet, on SQLite and PostgreSQL: the template, the export,
an export imported into an empty hall and exported again unchanged, a dry run that names
every bad row (row number, column, code, Chinese and English) and saves nothing, and a
real import that is all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from server.services.catalogue_io import ITEM_COLUMNS, MATERIALS, cell_of, value_of
from server.web.schemas.catalogue_admin import CatalogueImportReport

Login = Callable[..., dict[str, str]]
DEMO = "/api/v1/admin/halls/demo"
EAST = "/api/v1/admin/halls/east-1"


@pytest.fixture
def admin(login: Login) -> dict[str, str]:
    return login("admin", password="admin1234")


@pytest.fixture
def root(login: Login) -> dict[str, str]:
    return login("sysadmin", password="admin1234")


def sheets_of(content: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(content))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(
    client: TestClient,
    base: str,
    content: bytes,
    headers: dict[str, str],
    *,
    dry_run: bool,
    name: str = "catalogue.xlsx",
) -> Any:
    return client.post(
        f"{base}/catalogue/import",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, content)},
        headers=headers,
    )


def east_hall(client: TestClient, root: dict[str, str]) -> None:
    """An empty hall with the demo's queue codes."""
    r = client.post("/api/v1/admin/halls", json={"code": "east-1", "name": "东区"}, headers=root)
    assert r.status_code == 201
    for code in "ABCDEF":
        body = {"code": code, "prefix": code, "name": f"队列{code}"}
        assert client.post(f"{EAST}/queues", json=body, headers=root).status_code == 201


def test_the_template_has_the_columns_an_example_and_the_rules(
    client: TestClient, admin: dict[str, str]
) -> None:
    r = client.get(f"{DEMO}/catalogue/template.xlsx", headers=admin)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    sheets = sheets_of(r.content)
    assert list(sheets) == ["事项", "部门", "说明"]
    items = sheets["事项"]
    assert items[0][:5] == ["事项编码", "事项名称", "英文名称", "部门编码", "队列编码"]
    assert items[1][0] == "code" and len(items) == 3
    assert "居民身份证|原件|1|必需" in items[2][[c[0] for c in ITEM_COLUMNS].index("materials")]
    assert any("名称|形式|份数" in (row[0] or "") for row in sheets["说明"])
    # The example is a 下线 draft with a whole guide: the template imports cleanly.
    report = upload(client, DEMO, r.content, admin, dry_run=True).json()
    assert report["ok"] and report["items_created"] == 1, report
    assert report["departments_created"] == 1 and report["departments_updated"] == 0


def test_an_export_imported_into_an_empty_hall_exports_the_same(
    client: TestClient, admin: dict[str, str], root: dict[str, str]
) -> None:
    exported = client.get(f"{DEMO}/catalogue/export.xlsx", headers=admin)
    assert exported.status_code == 200
    first = sheets_of(exported.content)
    assert len(first["事项"]) == 2 + 33 and len(first["部门"]) == 2 + 9
    east_hall(client, root)
    # The export names attachments by title: into a hall without them, each is reported.
    r = upload(client, EAST, exported.content, root, dry_run=True)
    missing = {(p["row"], p["code"]) for p in r.json()["problems"]}
    assert {code for _, code in missing} == {"ATTACHMENT_TITLE_UNKNOWN"} and len(missing) == 3
    # The east hall uploads the same forms (its own ids), then the titles find them.
    for a in client.get(f"{DEMO}/attachments", headers=admin).json()["attachments"]:
        content = client.get(f"{DEMO}/attachments/{a['id']}/file", headers=admin).content
        r = client.post(
            f"{EAST}/attachments",
            data={"name": a["name"], "kind": a["kind"]},
            files={"file": (a["filename"], content, a["content_type"])},
            headers=root,
        )
        assert r.status_code == 201, r.text

    r = upload(client, EAST, exported.content, root, dry_run=True)
    assert r.status_code == 200, r.text
    report = CatalogueImportReport.model_validate(r.json())
    assert report.ok and report.dry_run
    assert (report.departments_created, report.items_created) == (9, 33)
    assert client.get(f"{EAST}/items", headers=root).json()["items"] == []  # a dry run

    r = upload(client, EAST, exported.content, root, dry_run=False)
    assert r.status_code == 200 and r.json()["items_created"] == 33, r.text
    again = client.get(f"{EAST}/catalogue/export.xlsx", headers=root)
    assert sheets_of(again.content)["事项"] == first["事项"]
    assert sheets_of(again.content)["部门"] == first["部门"]
    demo_csv = client.get(f"{DEMO}/catalogue/export.csv", headers=admin)
    east_csv = client.get(f"{EAST}/catalogue/export.csv", headers=root)
    assert demo_csv.content.startswith("\ufeff".encode()) and demo_csv.content == east_csv.content
    demo_item = client.get(f"{DEMO}/items/C02", headers=admin).json()
    east_item = client.get(f"{EAST}/items/C02", headers=root).json()
    for key in ("guide", "aliases", "keywords", "pinyin_initials", "department", "sort", "hot"):
        assert east_item[key] == demo_item[key], key

    # Imported again: nothing changes, and it says so.
    r = upload(client, EAST, exported.content, root, dry_run=False)
    assert r.json()["unchanged"] == 42 and r.json()["items_updated"] == 0
    entries = client.get(
        "/api/v1/admin/audit", params={"hall": "east-1", "action": "catalogue."}, headers=root
    ).json()["entries"]
    assert [e["after"]["items_created"] for e in entries] == [0, 33]
    items = client.get(
        "/api/v1/admin/audit",
        params={"hall": "east-1", "action": "item.create", "limit": 100},
        headers=root,
    ).json()["entries"]
    assert len(items) == 33 and entries[0]["actor"] == "sysadmin"


def test_the_csv_updates_by_code_and_keeps_what_it_leaves_out(
    client: TestClient, admin: dict[str, str]
) -> None:
    text = "事项编码,事项名称,部门编码,队列编码,办理时间\ncode,name,department code,queue code,hours\nA01,有限责任公司设立登记,SCJG,A,周一至周六 9:00-17:00\n"
    r = upload(client, DEMO, ("\ufeff" + text).encode(), admin, dry_run=False, name="c.csv")
    assert r.status_code == 200 and r.json()["items_updated"] == 1, r.text
    item = client.get(f"{DEMO}/items/A01", headers=admin).json()
    assert item["guide"]["hours"] == "周一至周六 9:00-17:00"
    assert item["guide"]["responsible"] == "登记注册科 陈立新" and item["version"] == 2


def test_a_dry_run_names_every_bad_row_and_a_real_import_saves_nothing(
    client: TestClient, admin: dict[str, str]
) -> None:
    exported = sheets_of(client.get(f"{DEMO}/catalogue/export.xlsx", headers=admin).content)
    col = {c[0]: n for n, c in enumerate(ITEM_COLUMNS)}
    items = exported["事项"]
    good = list(items[2])
    good[col["code"]], good[col["name"]] = "A20", "新事项"
    bad_days = list(items[3])
    bad_days[col["promised_limit_days"]] = 14  # A02 is a 即办件
    bad_material = list(items[4])
    bad_material[col["materials"]] = "申请书|原件|两份|必需\n身份证"
    bad_ref = list(items[5])
    bad_ref[col["department"]], bad_ref[col["active"]] = "NOPE", "也许"
    duplicate = list(good)
    departments = [*exported["部门"][:2], ["WLJ", "文化广电旅游局", "", 9, "是", "", ""]]
    content = xlsx(
        {
            "事项": [*items[:2], good, bad_days, bad_material, bad_ref, duplicate],
            "部门": departments,
        }
    )

    r = upload(client, DEMO, content, admin, dry_run=True)
    assert r.status_code == 200, r.text
    report = r.json()
    assert not report["ok"] and report["items_created"] == 1 and report["departments_created"] == 1
    found = [(p["sheet"], p["row"], p["field"], p["column"], p["code"]) for p in report["problems"]]
    assert found == [
        ("事项", 4, "guide.promised_limit_days", "承诺办结时限（工作日）", "INSTANT_PROMISES_ZERO"),
        ("事项", 5, "guide.materials[0].copies", "申请材料", "NOT_A_NUMBER"),
        ("事项", 5, "guide.materials[1]", "申请材料", "MATERIAL_LINE"),
        ("事项", 6, "active", "上线", "YES_NO"),
        ("事项", 6, "department", "部门编码", "DEPARTMENT_UNKNOWN"),
        ("事项", 7, "code", "事项编码", "DUPLICATE"),
    ], found
    first = report["problems"][0]
    assert first["message_zh"] == "即办件当场办结，承诺办结时限应为 0"
    assert first["message_en"] == "An on-the-spot case (即办件) promises 0 days"

    r = upload(client, DEMO, content, admin, dry_run=False)
    assert r.status_code == 422 and r.json()["error"]["code"] == "CATALOGUE_IMPORT_INVALID"
    assert len(r.json()["error"]["details"]["problems"]) == len(found)
    assert client.get(f"{DEMO}/items/A20", headers=admin).status_code == 404  # nothing saved
    assert client.get(f"{DEMO}/departments/WLJ", headers=admin).status_code == 404
    entries = client.get(
        "/api/v1/admin/audit", params={"action": "catalogue."}, headers=admin
    ).json()["entries"]
    assert entries == []


def test_files_that_cannot_be_read(client: TestClient, admin: dict[str, str]) -> None:
    r = upload(client, DEMO, b"\x00\x01garbage", admin, dry_run=True, name="x.xlsx")
    assert [p["code"] for p in r.json()["problems"]] == ["FILE_UNREADABLE"]
    r = upload(client, DEMO, "名称,别的\n".encode(), admin, dry_run=True, name="x.csv")
    assert [(p["code"], p["column"]) for p in r.json()["problems"]] == [
        ("CATALOGUE_COLUMN_MISSING", "事项编码"),
        ("CATALOGUE_COLUMN_MISSING", "事项名称"),
        ("CATALOGUE_COLUMN_MISSING", "部门编码"),
        ("CATALOGUE_COLUMN_MISSING", "队列编码"),
    ]
    r = upload(client, DEMO, b"", admin, dry_run=False, name="x.csv")
    assert r.status_code == 422 and r.json()["error"]["code"] == "CATALOGUE_IMPORT_INVALID"
    rows = list(
        csv.reader(io.StringIO(client.get(f"{DEMO}/catalogue/export.csv", headers=admin).text))
    )
    assert rows[0][0] == "\ufeff事项编码" and len(rows) == 35


def test_a_material_line_keeps_its_note_and_attachment_ids() -> None:
    m = {
        "name": "申请表",
        "form": "原件",
        "copies": 2,
        "required": False,
        "note": "",
        "sample": None,
        "blank_form": 12,
    }
    line = cell_of(MATERIALS, [m])
    assert line == "申请表|原件|2|可选|||12"
    problems: list[Any] = []
    assert value_of("materials", MATERIALS, line, problems, "guide.") == [
        {"name": "申请表", "form": "原件", "copies": 2, "required": False, "blank_form": 12}
    ]
    assert problems == []
    assert (
        cell_of(MATERIALS, [{**m, "note": "加盖公章", "blank_form": None}])
        == "申请表|原件|2|可选|加盖公章"
    )
