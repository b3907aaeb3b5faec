"""Attachments through the admin API: uploaded as PDF, PNG or JPEG (told by their bytes),
at most 5 MB, renamed with the version read, deleted only when no guide names them; a
hall's admin cannot touch another hall's; kiosks fetch what the guides publish, and the
guide and the 一次性告知单 name them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from server.demo.load import load_demo
from server.services.attachments import guide_with_files
from server.services.hub import Hub
from server.services.print_documents import notice_document
from server.store import tables as t
from server.store.db import Session
from server.web.schemas.bundles import AttachmentList, AttachmentRow

Login = Callable[..., dict[str, str]]
BASE = "/api/v1/admin/halls/demo/attachments"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def admin(login: Login) -> dict[str, str]:
    return login("admin", password="admin1234")


def upload(
    client: TestClient,
    headers: dict[str, str],
    data: bytes = PNG,
    *,
    filename: str = "示范.png",
    name: str = "公司登记（备案）申请书",
    kind: str = "sample",
    base: str = BASE,
) -> Any:
    return client.post(
        base,
        data={"name": name, "kind": kind},
        files={"file": (filename, data, "application/octet-stream")},
        headers=headers,
    )


def fields_of(r: Any) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in r.json()["error"]["details"]["fields"]]


def refer(hub: Hub, item_code: str, material: int, **refs: int | None) -> None:
    """Name attachments on one of an item's materials, as the item editor will."""

    def work(s: Session) -> None:
        item = s.exec(select(t.ServiceItem).where(t.ServiceItem.code == item_code)).one()
        guide = dict(item.guide)
        materials = [dict(m) for m in guide["materials"]]
        materials[material].update(refs)
        item.guide = {**guide, "materials": materials}
        s.add(item)

    hub.db.write(work)


def test_an_upload_is_told_by_its_bytes_and_kept_whole(client: TestClient, login: Login) -> None:
    headers = admin(login)
    r = upload(client, headers)
    assert r.status_code == 201, r.text
    row = AttachmentRow.model_validate(r.json())
    assert (row.name, row.kind, row.content_type, row.size, row.version) == (
        "公司登记（备案）申请书",
        "sample",
        "image/png",
        len(PNG),
        1,
    )
    assert r.headers["etag"] == '"1"' and row.used_by == []
    # A PDF whatever its name says; a folder a browser sent is dropped.
    r = upload(client, headers, PDF, filename="C:\\表格\\blank.png", kind="blank_form", name="")
    assert r.status_code == 201, r.text
    assert r.json()["content_type"] == "application/pdf" and r.json()["filename"] == "blank.png"
    assert r.json()["name"] == "blank"  # no title given: the file's name
    assert upload(client, headers, JPEG, filename="x.jpg").json()["content_type"] == "image/jpeg"

    listed = AttachmentList.model_validate(client.get(BASE, headers=headers).json())
    # The newest first; the demo's own three come after.
    assert [a.content_type for a in listed.attachments][:3] == [
        "image/jpeg",
        "application/pdf",
        "image/png",
    ]
    assert len(listed.attachments) == 6
    assert listed.max_bytes == 5 * 1024 * 1024
    # The admin's preview gives the bytes back as they came.
    r = client.get(f"{BASE}/{row.id}/file", headers=headers)
    assert r.status_code == 200 and r.content == PNG
    assert r.headers["content-type"] == "image/png" and r.headers["etag"] == f'"{row.sha256}"'


def test_a_file_of_another_type_or_too_large_is_refused_field_by_field(
    client: TestClient, login: Login, sql: Callable[..., list[Any]]
) -> None:
    headers = admin(login)
    before = sql("SELECT count(*) FROM attachment")[0][0]
    r = upload(client, headers, b"GIF89a" + b"\x00" * 20, filename="form.png")
    assert r.status_code == 422 and fields_of(r) == [("file", "ATTACHMENT_TYPE")]
    problem = r.json()["error"]["details"]["fields"][0]
    assert "PDF" in problem["message_zh"] and "PDF" in problem["message_en"]
    r = upload(client, headers, b"<html><script>", filename="form.pdf")
    assert fields_of(r) == [("file", "ATTACHMENT_TYPE")]
    big = b"%PDF-" + b"0" * (5 * 1024 * 1024)
    r = upload(client, headers, big, filename="big.pdf")
    assert r.status_code == 422 and fields_of(r) == [("file", "ATTACHMENT_TOO_LARGE")]
    assert "5 MB" in r.json()["error"]["details"]["fields"][0]["message_zh"]
    # Exactly 5 MB is accepted.
    assert upload(client, headers, big[: 5 * 1024 * 1024], filename="ok.pdf").status_code == 201
    r = upload(client, headers, b"", filename="empty.pdf")
    assert fields_of(r) == [("file", "REQUIRED")]
    r = upload(client, headers, PNG, kind="poster")
    assert r.status_code == 422 and fields_of(r)[0][0] == "kind"
    r = upload(client, headers, PNG, name="名" * 101)
    assert r.status_code == 422 and fields_of(r) == [("name", "TOO_LONG")]
    r = client.post(BASE, data={"name": "x"}, headers=headers)
    assert r.status_code == 422 and fields_of(r) == [("file", "REQUIRED")]
    # Nothing half-saved: only the one good upload is there.
    assert sql("SELECT count(*) FROM attachment")[0][0] == before + 1


def test_a_rename_names_the_version_it_read(client: TestClient, login: Login) -> None:
    headers = admin(login)
    row = upload(client, headers).json()
    url = f"{BASE}/{row['id']}"
    r = client.patch(url, json={"name": "社会保障卡申领表"}, headers=headers)
    assert r.status_code == 428 and r.json()["error"]["code"] == "VERSION_REQUIRED"
    r = client.patch(url, json={"name": "社会保障卡申领表", "version": 1}, headers=headers)
    assert r.status_code == 200 and r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    # The second writer, who read version 1, is told rather than overwriting.
    r = client.patch(url, json={"kind": "blank_form", "version": 1}, headers=headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "STALE_VERSION"
    r = client.patch(url, json={"kind": "blank_form"}, headers={**headers, "If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["kind"] == "blank_form"
    assert r.json()["name"] == "社会保障卡申领表"
    r = client.patch(url, json={"name": " ", "version": 3}, headers=headers)
    assert r.status_code == 422 and fields_of(r) == [("name", "TOO_SHORT")]
    r = client.patch(url, json={"kind": "poster", "version": 3}, headers=headers)
    assert r.status_code == 422
    assert client.get(url, headers=headers).json()["version"] == 3
    r = client.patch(f"{BASE}/9999", json={"name": "x", "version": 1}, headers=headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "ATTACHMENT_NOT_FOUND"
    entries = client.get(
        "/api/v1/admin/audit", params={"action": "attachment."}, headers=headers
    ).json()["entries"]
    assert [e["action"] for e in entries] == [
        "attachment.update",
        "attachment.update",
        "attachment.create",
    ]


def test_one_in_use_is_not_deleted_and_the_items_are_named(
    client: TestClient, login: Login, hub: Hub
) -> None:
    headers = admin(login)
    row = upload(client, headers).json()
    url = f"{BASE}/{row['id']}"
    refer(hub, "A01", 0, sample=row["id"])
    refer(hub, "A03", 0, blank_form=row["id"])
    assert [i["code"] for i in client.get(url, headers=headers).json()["used_by"]] == [
        "A01",
        "A03",
    ]
    r = client.delete(url, headers=headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "ATTACHMENT_IN_USE"
    assert r.json()["error"]["details"]["items"] == [
        {"code": "A01", "name": "有限责任公司设立登记"},
        {"code": "A03", "name": "公司变更登记"},
    ]
    refer(hub, "A01", 0, sample=None)
    refer(hub, "A03", 0, blank_form=None)
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404


def test_another_halls_admin_and_other_staff_are_refused(
    client: TestClient, login: Login, hub: Hub
) -> None:
    load_demo(hub.db, hall_code="north")
    token = client.post(
        "/api/v1/auth/login", json={"hall": "north", "staff_no": "admin", "password": "admin1234"}
    ).json()["token"]
    client.cookies.clear()
    north = {"Authorization": f"Bearer {token}"}
    row = upload(client, admin(login)).json()
    url = f"{BASE}/{row['id']}"
    for r in (
        client.get(BASE, headers=north),
        upload(client, north),
        client.get(url, headers=north),
        client.get(f"{url}/file", headers=north),
        client.patch(url, json={"name": "x", "version": 1}, headers=north),
        client.delete(url, headers=north),
    ):
        assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL", r.text
    # North's own list is its own (the demo's three); demo's upload is not found there.
    own = client.get("/api/v1/admin/halls/north/attachments", headers=north).json()
    assert {a["hall_id"] for a in own["attachments"]} == {2} and len(own["attachments"]) == 3
    r = client.get(f"/api/v1/admin/halls/north/attachments/{row['id']}", headers=north)
    assert r.status_code == 404
    for staff in (login("S001"), login("C001")):
        assert client.get(BASE, headers=staff).status_code == 403
        assert upload(client, staff).status_code == 403
    assert client.get(BASE).status_code == 401
    root = login("sysadmin", password="admin1234")
    assert client.get(url, headers=root).status_code == 200  # an installation admin: every hall


def test_kiosks_fetch_what_the_guides_publish_with_its_etag(
    client: TestClient, login: Login, hub: Hub
) -> None:
    headers = admin(login)
    sample = upload(client, headers).json()
    form = upload(client, headers, PDF, filename="空白.pdf", name="空白申请书", kind="blank_form")
    form_row = form.json()
    public = f"/api/v1/halls/demo/attachments/{sample['id']}"
    # Not yet named by any guide: a draft nobody outside sees.
    r = client.get(public)
    assert r.status_code == 404 and r.json()["error"]["code"] == "ATTACHMENT_NOT_FOUND"
    refer(hub, "A01", 0, sample=sample["id"], blank_form=form_row["id"])
    r = client.get(public)
    assert r.status_code == 200 and r.content == PNG and r.headers["content-type"] == "image/png"
    assert r.headers["etag"] == f'"{sample["sha256"]}"'
    assert "max-age" in r.headers["cache-control"]
    again = client.get(public, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/halls/north/attachments/1").status_code == 404

    guide = client.get("/api/v1/halls/demo/items/A01").json()
    first = guide["guide"]["materials"][0]
    assert first["files"] == [
        {
            "role": "sample",
            "id": sample["id"],
            "name": "公司登记（备案）申请书",
            "kind": "sample",
            "url": public,
            "content_type": "image/png",
        },
        {
            "role": "blank_form",
            "id": form_row["id"],
            "name": "空白申请书",
            "kind": "blank_form",
            "url": f"/api/v1/halls/demo/attachments/{form_row['id']}",
            "content_type": "application/pdf",
        },
    ]
    assert "files" not in guide["guide"]["materials"][1]
    # The demo's own: the 社会保障卡申领表 示范文本 is a PNG, the blank form a PDF.
    card = client.get("/api/v1/halls/demo/items/B03").json()["guide"]["materials"][2]
    assert [(f["role"], f["content_type"]) for f in card["files"]] == [("sample", "image/png")]
    form = client.get("/api/v1/halls/demo/items/A02").json()["guide"]["materials"][2]["files"][0]
    assert (form["role"], form["content_type"]) == ("blank_form", "application/pdf")
    pdf = client.get(form["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-1.4")
    assert pdf.content.rstrip().endswith(b"%%EOF")

    # The 一次性告知单 says where to see them.
    with hub.db.read() as s:
        hall = s.exec(select(t.Hall).where(t.Hall.code == "demo")).one()
        item = s.exec(select(t.ServiceItem).where(t.ServiceItem.code == "A01")).one()
        assert hall.id is not None
        lines = notice_document(
            hall, item, hub.now(), guide_with_files(s, hall.id, "demo", item.guide)
        ).lines
    assert lines[:3] == (
        "1. 公司登记（备案）申请书（原件1份）",
        "   示范文本：公司登记（备案）申请书（可在自助终端查看）",
        "   空白表格：空白申请书（可在自助终端查看）",
    )
    assert lines[3].startswith("2. 公司章程")


def test_a_guide_naming_an_attachment_the_hall_lacks_is_told_field_by_field(
    client: TestClient, login: Login, hub: Hub
) -> None:
    from server.services.attachments import check_material_refs

    row = upload(client, admin(login)).json()
    guide = {
        "materials": [
            {"name": "申请书", "sample": row["id"]},
            {"name": "章程", "blank_form": 9999},
            {"name": "照片", "sample": "x"},
            "身份证",
        ]
    }
    with hub.db.read() as s:
        problems = check_material_refs(s, 1, guide)
    assert [(p.field, p.code) for p in problems] == [
        ("guide.materials.1.blank_form", "ATTACHMENT_UNKNOWN"),
        ("guide.materials.2.sample", "NOT_A_NUMBER"),
    ]
