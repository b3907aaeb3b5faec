"""`hall create-admin`, `hall device-token` and `hall catalogue` against a hub's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.cli import main
from server.demo.load import DemoResult
from server.services import accounts, audit, catalogue_admin
from server.services.audit import Actor
from server.services.halls import hall_id
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


def test_the_catalogue_is_exported_and_imported_from_the_command_line(
    hub_database: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export, a bad row (exit 1, every problem printed, nothing saved), then a good import,
    recorded in the audit log as the command line's."""
    xlsx, csv_file = tmp_path / "catalogue.xlsx", tmp_path / "catalogue.csv"
    assert main(["catalogue", "export", str(xlsx), "--hall", "demo"]) == 0
    assert main(["catalogue", "export", str(csv_file), "--hall", "demo"]) == 0
    assert csv_file.read_bytes().startswith("\ufeff事项编码".encode())
    assert main(["catalogue", "import", str(xlsx), "--hall", "demo", "--dry-run"]) == 0
    assert "未变 unchanged 42" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    header = "事项编码,事项名称,部门编码,队列编码,办理时间,承诺办结时限（工作日）,上线\n"
    bad.write_text(
        header + "A01,有限责任公司设立登记,SCJG,A,周一至周六,14,是\nZ9,新事项,NOPE,A,,,否\n",
        encoding="utf-8-sig",
    )
    for extra in (["--dry-run"], []):
        assert main(["catalogue", "import", str(bad), "--hall", "demo", *extra]) == 1
        err = capsys.readouterr().err
        assert "导入文件有 2 处错误，未导入任何内容" in err, err
        assert "事项 第2行 row 2 承诺办结时限（工作日）（guide.promised_limit_days）" in err
        assert "[PROMISED_OVER_SHARE]" in err and "[DEPARTMENT_UNKNOWN]" in err
    item = catalogue_admin.item_row(hub_database, hall_id=hall_id(hub_database, "demo"), code="A01")
    assert item["guide"]["hours"] != "周一至周六"  # nothing saved

    good = tmp_path / "good.csv"
    good.write_text(
        header + "A01,有限责任公司设立登记,SCJG,A,周一至周六,1,是\n", encoding="utf-8-sig"
    )
    assert main(["catalogue", "import", str(good), "--hall", "demo"]) == 0
    assert "更新事项 updated 1" in capsys.readouterr().out
    item = catalogue_admin.item_row(hub_database, hall_id=hall_id(hub_database, "demo"), code="A01")
    assert item["guide"]["hours"] == "周一至周六"
    wanted = audit.query(hub_database, hall_ids=None, action="catalogue.import")
    [entry] = audit.page(hub_database, wanted, limit=10).entries
    assert entry.actor_kind == "cli" and entry.after == {
        "departments_created": 0,
        "departments_updated": 0,
        "items_created": 0,
        "items_updated": 1,
        "unchanged": 0,
    }
    assert main(["catalogue", "export", str(tmp_path / "x.txt"), "--hall", "demo"]) == 2
    assert main(["catalogue", "export", str(xlsx), "--hall", "nohall"]) == 2
