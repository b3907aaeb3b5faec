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
    "re",
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


# The layers, lowest first. A module imports from its own layer and the layers below it,
# never from one above (a longest-prefix match names a module's layer). Libraries that
# stand alone, the engine and plain helpers at the bottom; the CLI, which wires
# everything, at the top. Imports inside functions count: they hid the one cycle there was.
LAYERS: dict[str, int] = {
    "server.domain": 0,
    "server.clock": 0,
    "server.errors": 0,
    "server.public_url": 0,
    "server.voice": 0,
    "printer": 0,
    # The window-bus library is printer/'s peer in all but its folder: the fixed top
    # level (server/, kiosk_ui/, display_board/, printer/, tests/) has no place for a
    # sixth package, so it lives at server/devices/windowbus/ and stands alone (above).
    "server.devices.windowbus": 0,
    # Templates and static files only: their routes are server/web/kiosk.py, boards.py.
    "kiosk_ui": 0,
    "display_board": 0,
    "server.config": 1,
    "server.hardware": 1,
    "server.store": 2,
    "server.realtime": 3,
    "server.services": 4,
    "server.devices": 5,
    "server.demo": 5,
    "server.web": 6,
    "server.cli": 7,
    "server": 7,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    best = None
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best)
        ):
            best = prefix
    return None if best is None else LAYERS[best]


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in source_files()
        if "migrations" not in path.relative_to(ROOT).parts
    }


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The project's modules ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks
    left out, imports inside functions kept): ``from pkg import mod`` names ``pkg.mod``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(
                    package[: len(package) - node.level + 1]
                    + ([node.module] if node.module else [])
                )
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: runtime_imports(path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer() -> None:
    assert [m for m in project_modules() if layer_of(m) is None] == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if (layer_of(target) or 0) > (layer_of(module) or 0)
    ]


def test_no_upward_imports() -> None:
    assert upward_imports(import_graph()) == []


# web/ and devices/ translate: they ask services, never the store's queries. What they may
# take from store/ is named here, each for its reason.
STORE_FOR_TRANSLATORS = {
    "server.store.db": "web/errors.py turns the database's errors into answers; owner.py's "
    "election asks which database it runs on",
    "server.store.leases": "the owner election's lease is a database lock held on a "
    "connection of its own, not a query",
}


def test_web_and_devices_ask_services_not_the_store() -> None:
    found = {
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.startswith(("server.web", "server.devices"))
        for target in targets
        if target.startswith("server.store") and target not in STORE_FOR_TRANSLATORS
    }
    assert found == set()


def test_the_layer_checks_can_fail() -> None:
    """The checks above see a cycle, an upward import and a function's import."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("server.web.app") == 6 and layer_of("server.devices.windowbus.codec") == 0
    assert upward_imports(
        {"server.store.x": {"server.services.y"}, "server.web.z": {"printer"}}
    ) == ["server.store.x (layer 2) imports server.services.y (layer 4)"]
    graph = import_graph()
    # server/cli.py imports inside its commands (a fast start); those imports count.
    assert "server.demo.load" in graph["server.cli"]
    assert "server.services.hub" in graph["server.web.kiosk"]


def test_kiosk_and_board_folders_hold_no_routes() -> None:
    """Their pages are served by server/web/ (the layer that translates HTTP)."""
    for top in ("kiosk_ui", "display_board"):
        assert [p.name for p in (ROOT / top).rglob("*.py")] == ["__init__.py"]


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


def _sql_importers(*, store_too: bool = False) -> set[str]:
    found = set()
    for package in ("server", "kiosk_ui", "display_board", "printer"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("server/store/") and not store_too:
                continue
            if any(m.split(".")[0] in SQL_LIBRARIES for m in imports_of(path)):
                found.add(rel)
    return found


def test_only_the_store_imports_a_sql_library() -> None:
    assert _sql_importers() == set(), "queries belong in server/store/"
    # The check sees the imports it is there to forbid.
    assert {"server/store/db.py", "server/store/tickets.py"} <= _sql_importers(store_too=True)
