"""`hall demo` loads the demo hall once."""

from __future__ import annotations

from server.demo.load import load_demo
from server.services.hub import Hub


def test_loading_the_demo_twice_keeps_the_hall(hub: Hub) -> None:
    assert load_demo(hub.db).created
    again = load_demo(hub.db)
    assert not again.created and again.device_tokens == {}
