"""USB printers through the kernel's usblp driver (``/dev/usb/lpN``).

The device is found by vendor and product id in sysfs, so a printer that is
plugged into another port, and gets another lp number, is still found.
"""

from __future__ import annotations

from pathlib import Path

from printer.transports.base import ConnectFailed
from printer.transports.device_file import DeviceTransport

SYSFS_ROOT = Path("/sys")
DEV_ROOT = Path("/dev/usb")


def _read_hex(path: Path) -> int | None:
    try:
        return int(path.read_text().strip(), 16)
    except (OSError, ValueError):
        return None


def find_usb_printer(
    vendor_id: int, product_id: int, sysfs_root: Path = SYSFS_ROOT, dev_root: Path = DEV_ROOT
) -> Path:
    """The /dev/usb/lpN node of the printer with these ids."""
    class_dir = sysfs_root / "class" / "usbmisc"
    for entry in sorted(class_dir.glob("lp*")) if class_dir.is_dir() else []:
        # lpN/device is the USB interface; its parent holds the device's ids.
        usb_device = (entry / "device").resolve().parent
        if (
            _read_hex(usb_device / "idVendor") == vendor_id
            and _read_hex(usb_device / "idProduct") == product_id
        ):
            return dev_root / entry.name
    raise ConnectFailed(
        f"no USB printer {vendor_id:04x}:{product_id:04x} found"
        " (unplugged, or the usblp kernel module is not loaded)"
    )


class UsbTransport(DeviceTransport):
    def __init__(
        self,
        vendor_id: int | None,
        product_id: int | None,
        device: str | None = None,
        sysfs_root: Path = SYSFS_ROOT,
    ) -> None:
        if device is None:
            if vendor_id is None or product_id is None:
                raise ConnectFailed("USB printer needs vendor and product ids or a device path")
            device = str(find_usb_printer(vendor_id, product_id, sysfs_root))
        super().__init__(device)
