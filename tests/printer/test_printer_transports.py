"""Transports: network, device node (through a pseudo-terminal), serial, file and USB lookup."""

from __future__ import annotations

import os
import socket
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from printer.transports.base import ConnectFailed, Disconnected
from printer.transports.device_file import DeviceTransport, FileSinkTransport, open_path
from printer.transports.network import NetworkTransport
from printer.transports.serial_port import SerialTransport
from printer.transports.usb import UsbTransport, find_usb_printer


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield sock
    sock.close()


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    # Raw mode: a real printer port passes bytes through, no line editing.
    tty.setraw(slave)
    path = os.ttyname(slave)
    yield master, path
    os.close(master)
    os.close(slave)


def test_network_refused() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(ConnectFailed, match="refused"):
        NetworkTransport("127.0.0.1", port, 0.5)


def test_network_read_timeout_then_close(listener: socket.socket) -> None:
    transport = NetworkTransport("127.0.0.1", listener.getsockname()[1], 0.5)
    peer, _ = listener.accept()
    started = time.monotonic()
    assert transport.read(0.1) == b""
    assert 0.08 < time.monotonic() - started < 0.5
    peer.sendall(b"\x12")
    assert transport.read(0.5) == b"\x12"
    transport.write(b"\x10\x04\x01", 0.5)
    assert peer.recv(3) == b"\x10\x04\x01"
    peer.close()
    with pytest.raises(Disconnected, match="closed"):
        transport.read(0.5)
    transport.close()


def test_network_connect_timeout_when_backlog_is_full() -> None:
    # A listener that never accepts: once its backlog is full the kernel
    # drops new SYNs, like a printer that has hung.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(0)
    port = sock.getsockname()[1]
    fillers = []
    try:
        with pytest.raises(ConnectFailed) as caught:
            for _ in range(8):
                fillers.append(NetworkTransport("127.0.0.1", port, 0.2))
        assert "within 0.2 s" in str(caught.value)
    finally:
        for filler in fillers:
            filler.close()
        sock.close()


def test_device_node_read_and_write(pty: tuple[int, str]) -> None:
    master, path = pty
    transport = open_path(path)
    assert isinstance(transport, DeviceTransport) and transport.duplex
    transport.write(b"\x1b@", 0.5)
    assert os.read(master, 16) == b"\x1b@"
    assert transport.read(0.05) == b""
    os.write(master, b"\x12")
    assert transport.read(0.5) == b"\x12"
    transport.close()


def test_device_node_missing() -> None:
    with pytest.raises(ConnectFailed, match="cannot open"):
        DeviceTransport("/dev/does-not-exist")


def test_serial_port(pty: tuple[int, str]) -> None:
    master, path = pty
    transport = SerialTransport(path, 115200)
    transport.write(b"\x10\x04\x04", 0.5)
    assert os.read(master, 16) == b"\x10\x04\x04"
    started = time.monotonic()
    assert transport.read(0.1) == b""
    assert time.monotonic() - started >= 0.08
    os.write(master, b"\x12\x00")
    time.sleep(0.02)
    assert transport.read(0.5) == b"\x12\x00"
    transport.close()
    with pytest.raises(ConnectFailed):
        SerialTransport("/dev/does-not-exist", 9600)


def test_regular_file_is_a_write_only_sink(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    transport = open_path(str(path))
    assert isinstance(transport, FileSinkTransport) and not transport.duplex
    transport.write(b"abc", 0.5)
    assert transport.read(0.5) == b""
    transport.close()
    assert path.read_bytes() == b"abc"


def _fake_sysfs(root: Path, vendor: str, product: str) -> None:
    device = root / "devices" / "pci0000:00" / "usb1" / "1-1"
    interface = device / "1-1:1.0"
    interface.mkdir(parents=True)
    (device / "idVendor").write_text(vendor + "\n")
    (device / "idProduct").write_text(product + "\n")
    lp = root / "class" / "usbmisc" / "lp3"
    lp.mkdir(parents=True)
    (lp / "device").symlink_to(interface)


def test_usb_printer_found_by_ids(tmp_path: Path) -> None:
    _fake_sysfs(tmp_path, "0416", "5011")
    assert find_usb_printer(0x0416, 0x5011, tmp_path) == Path("/dev/usb/lp3")
    with pytest.raises(ConnectFailed, match="0416:5012"):
        find_usb_printer(0x0416, 0x5012, tmp_path)


def test_usb_without_usblp(tmp_path: Path) -> None:
    with pytest.raises(ConnectFailed, match="usblp"):
        UsbTransport(0x0416, 0x5011, sysfs_root=tmp_path)


def test_usb_with_explicit_device(pty: tuple[int, str]) -> None:
    master, path = pty
    transport = UsbTransport(None, None, device=path)
    transport.write(b"x", 0.5)
    assert os.read(master, 1) == b"x"
    transport.close()
