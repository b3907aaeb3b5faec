"""A new installation has no hall yet: its admin signs in without one; nobody else can."""

from __future__ import annotations

import pytest

from server.demo.load import DemoResult
from server.errors import HubError
from server.services import accounts
from server.services.audit import Actor
from server.services.hub import Hub


def sign_in(hub: Hub, staff_no: str, password: str, window: int | None = None) -> object:
    return accounts.login(
        hub,
        hall_code="",
        staff_no=staff_no,
        password=password,
        window_number=window,
        actor=Actor.anonymous("10.0.0.9"),
    )


def test_only_an_installation_admin_signs_in_without_a_hall(hub: Hub, demo: DemoResult) -> None:
    _, root = sign_in(hub, "sysadmin", "admin1234")  # type: ignore[misc]
    assert root.hall_id is None and root.role is accounts.Role.ADMIN
    # A hall's own admin and clerks need their hall, whatever the password.
    for staff_no, password in (("admin", "admin1234"), ("C001", "demo1234")):
        with pytest.raises(HubError) as err:
            sign_in(hub, staff_no, password)
        assert err.value.code == "BAD_CREDENTIALS"
    with pytest.raises(HubError) as err:
        sign_in(hub, "sysadmin", "admin1234", window=1)
    assert err.value.code == "HALL_REQUIRED"
    with pytest.raises(HubError) as err:
        sign_in(hub, "sysadmin", "wrong")
    assert err.value.code == "BAD_CREDENTIALS"
