"""Where phones reach the hub: the base of the links in tickets' QR codes.

Unset, it is derived from where the hub listens, so a demo on another port prints links
that work. A phone in the hall cannot reach a loopback address, so a hub that listens on
the hall's network but names 127.0.0.1 prints dead QR codes: `hall check-config` says so.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ALL_INTERFACES = {"0.0.0.0", "::", ""}


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _this_machine() -> str:
    """This machine's address on the hall's network, from its own name (no traffic)."""
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if not is_loopback(address):
                return address
    except OSError:
        pass
    return socket.gethostname()


def derived_public_url(host: str, port: int) -> str:
    """The URL a listener on ``host``:``port`` is reached at."""
    name = _this_machine() if host in ALL_INTERFACES else host
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return f"http://{name}:{port}"


def public_url_warnings(public_url: str | None, listen_host: str) -> list[str]:
    """What `hall check-config` warns about for HALL_PUBLIC_URL, Chinese first."""
    if not public_url:
        return [
            "未设置 HALL_PUBLIC_URL：号票二维码将指向本机监听地址，请设为群众手机可访问的地址"
            " / HALL_PUBLIC_URL is unset: ticket QR codes point to where the hub listens;"
            " set it to the address citizens' phones reach"
        ]
    host = urlsplit(public_url).hostname or ""
    if is_loopback(host) and not is_loopback(listen_host):
        return [
            f"HALL_PUBLIC_URL={public_url} 是本机回环地址，群众手机无法访问"
            f" / HALL_PUBLIC_URL={public_url} is a loopback address: phones cannot reach it"
            f" while the hub listens on {listen_host or 'all interfaces'}"
        ]
    return []
