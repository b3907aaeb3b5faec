"""Executable house rules: the engine stays pure; printer/ and the window-bus library
stand alone; devices.toml has one reader; migrations match."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, create_engine

import server.store.tables  # noqa: F401
from server.store.db import normalise_url

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_ALLOWED = {
    "__future__",
    "dataclasses",
    "datetime",
    "enum",
    "typing",
    "collections",
    "math",
    "statistics",
    "types",
    "zoneinfo",
    "server",
}


SOURCE = ("server", "printer", "kiosk_ui", "display_board")


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1]
            found.add(".".join(base + ([node.module] if node.module else [])))
    return found


def source_files() -> list[Path]:
    return [path for top in SOURCE for path in (ROOT / top).rglob("*.py")]


def test_domain_imports_nothing_but_the_standard_library() -> None:
    for path in (ROOT / "server" / "domain").glob("*.py"):
        for module in imports_of(path):
            top = module.split(".")[0]
            assert top in DOMAIN_ALLOWED, f"{path.name} imports {module}"
            if top == "server":
                assert module.startswith("server.domain"), f"{path.name} imports {module}"


def test_printer_package_does_not_import_the_hub() -> None:
    for path in (ROOT / "printer").rglob("*.py"):
        assert not any(m.split(".")[0] == "server" for m in imports_of(path)), path


def test_the_window_bus_library_does_not_import_the_hub() -> None:
    """It is to become a top-level peer of printer/: a rename must be all it takes."""
    library = ROOT / "server" / "devices" / "windowbus"
    paths = list(library.rglob("*.py"))
    assert len(paths) > 10
    for path in paths:
        for module in imports_of(path):
            if module.split(".")[0] == "server":
                assert module.startswith("server.devices.windowbus"), f"{path} imports {module}"


def test_the_hardware_configuration_uses_the_libraries_not_the_hub() -> None:
    """server/hardware.py is read by devices/ and web/: it takes the printer and bus
    entries from their libraries' public packages, and nothing else from the hub."""
    found = imports_of(ROOT / "server" / "hardware.py")
    assert {m for m in found if m.split(".")[0] in {"server", "printer"}} == {
        "printer.config",
        "server.devices.windowbus",
    }


def test_relative_imports_are_resolved() -> None:
    """The rule above holds only if ``from ..x import`` is seen as what it imports."""
    found = imports_of(ROOT / "server" / "devices" / "windowbus" / "config.py")
    assert "server.devices.windowbus.codec" in found
    assert "server.services.hub" in imports_of(ROOT / "server" / "devices" / "window_devices.py")


def test_devices_toml_is_read_by_one_loader() -> None:
    """server/hardware.py parses it; the app reads it once, the CLI for its commands."""
    parsers = {
        path.relative_to(ROOT).as_posix()
        for path in source_files()
        if imports_of(path) & {"tomllib", "tomli", "toml", "tomlkit"}
    }
    assert parsers == {"server/hardware.py"}
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in source_files()
        if "devices_file" in path.read_text(encoding="utf-8")
    }
    assert readers == {"server/config.py", "server/web/app.py", "server/cli.py"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_the_tables(backend: str, request: pytest.FixtureRequest) -> None:
    url = (
        request.getfixturevalue("pg_url")
        if backend == "postgresql"
        else f"sqlite:///{request.getfixturevalue('sqlite_template')}"
    )
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


# One clock: the hub's "now" comes from server/clock.py (the HALL_CLOCK setting), so every
# process of an installation, or of a test, agrees on the date. A call to the machine's
# clock anywhere else is a second clock.
WALL_CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
                    ("date", "today"), ("time", "time"), ("time", "time_ns")}  # fmt: skip
CLOCK_HOME = ROOT / "server" / "clock.py"


def wall_clock_calls(path: Path) -> list[str]:
    found = []
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in WALL_CLOCK_CALLS
        ):
            found.append(f"{where}:{node.lineno} {node.func.value.id}.{node.func.attr}()")
    return found


def test_only_the_clock_module_reads_the_machines_clock() -> None:
    found = [
        call
        for top in ("server", "printer", "kiosk_ui", "display_board")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != CLOCK_HOME and "migrations" not in path.parts
        for call in wall_clock_calls(path)
    ]
    assert found == []


def test_the_wall_clock_check_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import time\nfrom datetime import date\nx = (time.time(), date.today())\n")
    found = [c.split(" ")[1] for c in wall_clock_calls(sample)]
    assert found == ["time.time()", "date.today()"]


def test_screens_show_the_hubs_time_not_the_pcs() -> None:
    """``new Date()`` is the PC's clock: screens take the hub's (HubClock, Kiosk.hubNow).
    The launcher is the exception: it is what a screen shows while no hub answers."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for top in ("kiosk_ui", "display_board", "server/web")
        for path in sorted((ROOT / top).rglob("*"))
        if path.suffix in {".js", ".html"} and path.name != "launcher.html"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"new Date\(\s*\)", line)
    ]
    assert found == []


SQL_LIBRARIES = {"sqlalchemy", "sqlmodel", "psycopg"}
# Modules that still import a SQL library outside server/store/ (issue 10, item 1, not
# finished): this list may only shrink. A module that is not on it and imports one fails.
SQL_NOT_YET_MOVED = {
    "kiosk_ui/routes.py",
    "server/devices/owner.py",
    "server/devices/windowbus_state.py",
    "server/realtime/remote.py",
    "server/realtime/state.py",
    "server/services/daycycle.py",
    "server/services/device_status.py",
    "server/services/live.py",
    "server/services/reports.py",
}


def _sql_importers() -> set[str]:
    found = set()
    for package in ("server", "kiosk_ui", "display_board", "printer"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("server/store/"):
                continue
            if any(m.split(".")[0] in SQL_LIBRARIES for m in imports_of(path)):
                found.add(rel)
    return found


def test_only_the_store_imports_a_sql_library() -> None:
    importers = _sql_importers()
    assert importers - SQL_NOT_YET_MOVED == set(), "queries belong in server/store/"
    # A module moved off the list must be taken off it, so the list keeps shrinking.
    assert SQL_NOT_YET_MOVED - importers == set()
