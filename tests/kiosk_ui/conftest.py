"""Browser fixtures for the kiosk: one hub process for the session, one chromium per module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Test modules are imported by path (--import-mode=importlib): the helpers by name.
sys.path.insert(0, str(Path(__file__).parent))

from kiosk_hub import KioskHub, running_hub


@pytest.fixture(scope="session")
def kiosk_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskHub]:
    with running_hub(tmp_path_factory.mktemp("kioskhub")) as hub:
        yield hub
