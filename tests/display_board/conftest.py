"""Browser fixtures for the boards: one hub process and one chromium per test module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suite imports test modules by path (--import-mode=importlib): make the shared
# helpers importable by name.
sys.path.insert(0, str(Path(__file__).parent))

from livehub import LiveHub, running_hub


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("livehub")) as hub:
        yield hub
