"""Fixtures for the printer tests: a fake network printer and short timeouts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

# The test modules import the ESC/POS reader that lives beside them, under
# either of pytest's import modes.
sys.path.insert(0, str(Path(__file__).parent))

from printer.document import NoticeData, TicketData
from printer.fake import FakePrinterServer

STATUS_URL = "http://127.0.0.1:8000/t/2f6c1e0a9b7d4e21"


@pytest.fixture
def ticket() -> TicketData:
    return TicketData(
        hall_name="XX市政务服务中心",
        queue_name="社保医保综合业务",
        number="A023",
        people_ahead=5,
        wait_minutes=15,
        windows=("3号窗口", "4号窗口"),
        issued_at=datetime(2026, 11, 23, 9, 31, 5),
        status_url=STATUS_URL,
    )


@pytest.fixture
def notice() -> NoticeData:
    return NoticeData(
        title="城乡居民医保参保登记",
        lines=(
            "1. 居民身份证原件（未成年人提供户口簿）；",
            "2. 近期一寸免冠彩色照片1张，白底、正面，照片背面写上姓名和身份证号码。",
            "3. 《参保登记表》一式两份。",
        ),
        hall_name="XX市政务服务中心",
        issued_at=datetime(2026, 11, 23, 9, 40),
        footer="咨询电话：12345",
    )


@pytest.fixture
def fake_printer() -> Iterator[FakePrinterServer]:
    with FakePrinterServer() as server:
        yield server


@pytest.fixture
def second_fake_printer() -> Iterator[FakePrinterServer]:
    with FakePrinterServer() as server:
        yield server
