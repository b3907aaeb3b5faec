"""`hall create-admin` and `hall device-token` against a hub's database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from server.cli import main
from server.demo.load import DemoResult
from server.services import accounts
from server.services.audit import Actor
from server.services.hub import Hub


@pytest.fixture
def hub_database(hub: Hub, demo: DemoResult, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    """The commands read DATABASE_URL (the monkeypatch puts it back afterwards) and leave
    their hub's connections to the end of the process: the test closes them."""
    monkeypatch.setenv("DATABASE_URL", hub.settings.database_url)
    made: list[Hub] = []
    create = Hub.create

    def tracked(*args: Any, **kwargs: Any) -> Hub:
        made.append(create(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(Hub, "create", tracked)
    yield hub
    for other in made:
        other.db.dispose()


def test_an_admin_created_for_a_hall_signs_in(hub_database: Hub) -> None:
    command = ["create-admin", "--hall", "demo", "--staff-no", "A9", "--password", "long enough"]
    assert main(command) == 0
    _, admin = accounts.login(
        hub_database,
        hall_code="demo",
        staff_no="A9",
        password="long enough",
        window_number=None,
        actor=Actor.anonymous("test"),
    )
    assert admin.role is accounts.Role.ADMIN and admin.hall_id is not None


def test_a_new_device_token_replaces_the_old_one(
    hub_database: Hub, demo: DemoResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["device-token", "--hall", "demo", "--device", "K01"]) == 0
    token = capsys.readouterr().out.strip()
    assert accounts.device_from_token(hub_database, token).code == "K01"
    with pytest.raises(accounts.HubError):
        accounts.device_from_token(hub_database, demo.device_tokens["K01"])


def test_workdays_prints_the_due_date_cases_are_timed_by(
    hub_database: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo hall has the 2026 national calendar: 国庆 1-7 Oct off, Saturday 10 Oct worked.
    assert main(["workdays", "--hall", "demo", "--from", "2026-09-30", "--days", "3"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-10"
    # 0 days from a day off: the next working day, as a case accepted that day is due.
    assert main(["workdays", "--hall", "demo", "--from", "2026-10-03", "--days", "0"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-08"
    assert main(["workdays", "--hall", "demo", "--from", "2026-13-01", "--days", "1"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["workdays", "--hall", "nowhere", "--from", "2026-10-01", "--days", "1"]) == 2
    assert "没有这个大厅" in capsys.readouterr().err
    assert main(["workdays", "--hall", "demo", "--from", "2026-10-01", "--days", "-1"]) == 2
