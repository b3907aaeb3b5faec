"""The queue, window, staff and device pages as served: a sign-in first, the hall's own
rows for its admin, an installation admin's choice of hall."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from server.errors import HubError
from server.services.accounts import Role, StaffPrincipal
from server.services.hub import Hub
from server.web.auth import devices_hall, page_hall


def admin_session(client: TestClient, page: str, staff_no: str = "admin") -> None:
    r = client.post(
        "/admin/login",
        data={"hall": "demo", "staff_no": staff_no, "password": "admin1234", "next": page},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == page, r.text


PAGES = ["/admin/queues", "/admin/windows", "/admin/staff", "/admin/devices"]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_asks_for_a_sign_in_then_shows_the_halls_rows(
    client: TestClient, page: str
) -> None:
    r = client.get(page)
    assert r.status_code == 401 and 'name="staff_no"' in r.text
    assert f'value="{page}"' in r.text  # back here after the sign-in
    admin_session(client, page)
    r = client.get(page)
    assert r.status_code == 200, r.text
    assert 'id="records"' in r.text and 'aria-current="page"' in r.text
    assert "/static/admin_config.js" in r.text and 'name="hall"' not in r.text


def test_the_rows_carry_their_versions_and_states(client: TestClient) -> None:
    admin_session(client, "/admin/staff")
    r = client.get("/admin/staff")
    assert 'data-key="C001"' in r.text and 'data-key="sysadmin"' not in r.text
    r = client.get("/admin/devices")
    assert 'data-key="K01"' in r.text and "从未" in r.text
    r = client.get("/admin/windows")
    assert 'data-key="1"' in r.text and 'data-queue="F"' in r.text


def test_an_installation_admin_chooses_the_hall(
    client: TestClient, login: Callable[..., dict[str, str]]
) -> None:
    root = login("sysadmin", password="admin1234")
    r = client.post("/api/v1/admin/halls", json={"code": "north", "name": "北区"}, headers=root)
    assert r.status_code == 201
    admin_session(client, "/admin/queues", "sysadmin")
    r = client.get("/admin/queues", params={"hall": "north"})
    assert r.status_code == 200 and 'name="hall"' in r.text
    assert 'data-key="A"' not in r.text and "/api/v1/admin/halls/north/queues" in r.text
    assert 'data-key="A"' in client.get("/admin/queues").text  # the first hall, demo


def test_a_locked_admin_is_told_on_the_sign_in_page(client: TestClient) -> None:
    form = {"hall": "demo", "staff_no": "admin", "password": "wrong", "next": "/admin/staff"}
    for _ in range(4):
        r = client.post("/admin/login", data=form)
        assert r.status_code == 401 and "工号或密码不正确" in r.text
    r = client.post("/admin/login", data=form)
    assert r.status_code == 423 and "账号已锁定" in r.text
    r = client.post("/admin/login", data={**form, "password": "admin1234"})
    assert r.status_code == 423 and "账号已锁定" in r.text


ALL_HALL_PAGES = [*PAGES, "/admin/departments", "/admin/items", "/admin/catalogue"]
ALL_HALL_PAGES += ["/admin/attachments", "/admin/life-events"]


@pytest.mark.parametrize("page", ALL_HALL_PAGES)
def test_every_admin_page_follows_one_rule_for_its_hall(client: TestClient, page: str) -> None:
    """A hall's admin: her own hall, another asked for is refused; the installation's
    admin: the hall asked for, never another in place of one that does not exist."""
    admin_session(client, page)
    assert client.get(page, params={"hall": "demo"}).status_code == 200
    r = client.get(page, params={"hall": "north"})
    assert r.status_code == 403 and "不能操作其他大厅" in r.text, r.text
    client.cookies.clear()
    admin_session(client, page, staff_no="sysadmin")
    assert client.get(page).status_code == 200  # the first hall
    r = client.get(page, params={"hall": "nowhere"})
    assert r.status_code == 404 and "没有这个大厅" in r.text


def test_before_any_hall_exists_the_pages_say_so(hub: Hub) -> None:
    root = StaffPrincipal(
        staff_id=1,
        hall_id=None,
        role=Role.ADMIN,
        name="root",
        staff_no="root",
        window_id=None,
        window_number=None,
        token_id=1,
    )
    with pytest.raises(HubError) as err:
        page_hall(hub, root, None)
    assert err.value.code == "NO_HALL_YET" and err.value.status == 404
    assert devices_hall(hub, root, None, []) is None
