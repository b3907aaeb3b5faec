"""Every screen's script lives in a file the hub serves: a template carries at most a
JSON configuration block inline (what a strict Content-Security-Policy will allow), and
every script a page names is served as JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(
    p
    for folder in ("server/web/templates", "kiosk_ui/templates", "display_board/templates")
    for p in (ROOT / folder).glob("*.html")
)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def scripts(path: Path) -> list[tuple[str, str]]:
    return SCRIPT.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_inline_script_beyond_a_json_block(template: Path) -> None:
    for attrs, body in scripts(template):
        if 'type="application/json"' in attrs:
            assert "src=" not in attrs
            continue
        assert "src=" in attrs and not body.strip(), f"inline script in {template.name}"
        assert 'type="module"' in attrs, f"{template.name}: the kit is ES modules"
    assert not INLINE_HANDLER.search(template.read_text(encoding="utf-8")), template.name


def test_the_templates_were_found() -> None:
    names = {p.name for p in TEMPLATES}
    assert {
        "clerk.html",
        "rate_tablet.html",
        "supervisor_ratings.html",
        "kiosk.html",
        "hall.html",
    } <= names


def test_every_script_a_page_names_is_served(client: TestClient) -> None:
    named = {
        m.group(1)
        for template in TEMPLATES
        for attrs, _ in scripts(template)
        if (m := re.search(r'src="([^"]+)"', attrs))
    }
    assert "/static/clerk.js" in named
    for src in sorted(named):
        r = client.get(src)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript"), src


def test_every_module_import_is_served(client: TestClient) -> None:
    """A module imports others by absolute path (/static/kit/…) or beside itself."""
    folders = {
        "/static/": ROOT / "server/web/static",
        "/static/kit/": ROOT / "server/web/static/kit",
        "/kiosk/static/": ROOT / "kiosk_ui/static",
        "/board/static/": ROOT / "display_board/static",
    }
    imports = re.compile(r'^import [^;]*? from "([^"]+)";', re.M | re.S)
    checked = 0
    for prefix, folder in folders.items():
        for module in folder.glob("*.js"):
            for target in imports.findall(module.read_text(encoding="utf-8")):
                url = prefix + target[2:] if target.startswith("./") else target
                r = client.get(url)
                assert r.status_code == 200, f"{module.name} imports {target}"
                checked += 1
    assert checked > 20
    assert client.get("/static/kit/realtime.js").headers["cache-control"] == "no-cache"
    assert client.get("/static/kit/..%2Fclerk.js").status_code == 404
