"""What printing tells people: the citizen at the kiosk, and the supervisors.

Tables, not if-chains: a message is looked up by the job's state and situation, or by
the alert's kind. Chinese first, English too; ``code`` is stable for the kiosk UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from server.domain.print_job import JobState
from server.services.device_alerts import AlertText
from server.services.print_jobs import JobRecord

# (state, situation) -> (code, Chinese, English). {number}: the ticket; {where}: the
# other kiosk or printer; {windows}: the windows that serve the ticket.
TICKET_TEXT: dict[tuple[str, str], tuple[str, str, str]] = {
    ("queued", ""): ("PRINT_QUEUED", "正在打印号票，请稍候", "Printing your ticket, one moment"),
    ("printing", ""): ("PRINTING", "正在打印号票，请稍候", "Printing your ticket, one moment"),
    ("printed", ""): ("PRINTED", "请取走您的号票", "Please take your ticket"),
    ("printed", "reprint"): (
        "PRINTED_REPRINT",
        "请取走标有“补打”的号票，残缺的小票请丢弃",
        "Please take the ticket marked 补打 (reprint); discard any partial ticket",
    ),
    ("printed", "elsewhere"): (
        "PRINTED_ELSEWHERE",
        "本机打印机故障，您的号票 {number} 已在{where}补打，请到那里取票",
        "This printer failed; your ticket {number} was reprinted at {where_en}; collect it there",
    ),
    ("retrying", ""): (
        "PRINT_RETRYING",
        "打印机暂未响应，正在重试。请记住您的号码 {number}，或拍下屏幕上的二维码",
        "The printer is not responding; retrying. Remember your number {number} "
        "or photograph the QR code on the screen",
    ),
    ("failed_over", ""): (
        "PRINT_FAILED_OVER",
        "本机打印机故障，正在{where}补打。请记住您的号码 {number}，或拍下屏幕上的二维码",
        "This printer failed; reprinting at {where_en}. Remember your number {number} "
        "or photograph the QR code on the screen",
    ),
    ("failed", ""): (
        "PRINT_FAILED",
        "打印机故障，请拍下屏幕上的二维码并记住号码 {number}，留意叫号屏，到{windows}办理",
        "The printer failed. Photograph the QR code on the screen and remember your number "
        "{number}; watch the board and go to {windows_en} when called",
    ),
}

NOTICE_TEXT: dict[tuple[str, str], tuple[str, str, str]] = {
    ("queued", ""): ("PRINT_QUEUED", "正在打印告知单，请稍候", "Printing the notice, one moment"),
    ("printing", ""): ("PRINTING", "正在打印告知单，请稍候", "Printing the notice, one moment"),
    ("printed", ""): ("PRINTED", "请取走告知单", "Please take the notice"),
    ("printed", "reprint"): (
        "PRINTED_REPRINT",
        "请取走标有“补打”的告知单",
        "Please take the notice marked 补打 (reprint)",
    ),
    ("printed", "elsewhere"): (
        "PRINTED_ELSEWHERE",
        "本机打印机故障，告知单已在{where}打印，请到那里领取",
        "This printer failed; the notice was printed at {where_en}; collect it there",
    ),
    ("retrying", ""): (
        "PRINT_RETRYING",
        "打印机暂未响应，正在重试。您也可以拍下屏幕上的材料清单",
        "The printer is not responding; retrying. You can also photograph the list on screen",
    ),
    ("failed_over", ""): (
        "PRINT_FAILED_OVER",
        "本机打印机故障，正在{where}打印告知单",
        "This printer failed; printing the notice at {where_en}",
    ),
    ("failed", ""): (
        "PRINT_FAILED",
        "打印机故障，请拍下屏幕上的材料清单",
        "The printer failed; please photograph the list on the screen",
    ),
}


@dataclass(frozen=True)
class KioskMessage:
    code: str
    message_zh: str
    message_en: str


def _situation(job: JobRecord) -> str:
    if job.state != JobState.PRINTED:
        return ""
    if job.current_printer != job.printer_id:
        return "elsewhere"
    return "reprint" if job.reprint else ""


def kiosk_message(job: JobRecord, kiosk_of_printer: Mapping[str, str]) -> KioskMessage:
    """What the kiosk shows the citizen for this job, as it is now."""
    table = TICKET_TEXT if job.kind == "ticket" else NOTICE_TEXT
    code, zh, en = table[(job.state, _situation(job))]
    kiosk = kiosk_of_printer.get(job.current_printer)
    numbers = [w.removesuffix("号") for w in job.windows]
    values = {
        "number": job.number,
        # A trailing space: the Latin code must not run into the Chinese that follows.
        "where": f"旁边的取号机 {kiosk} " if kiosk else f"打印机 {job.current_printer} ",
        "where_en": f"kiosk {kiosk} nearby" if kiosk else f"printer {job.current_printer}",
        "windows": "、".join(job.windows) + "窗口" if numbers else "叫号屏所示窗口",
        "windows_en": "window " + ", ".join(numbers) if numbers else "the window shown",
    }
    return KioskMessage(code, zh.format(**values), en.format(**values))


# Alert kind -> (level, Chinese, English); {device}: the printer, {kiosk}: who uses it.
ALERT_TEXT: dict[str, tuple[str, str, str]] = {
    "paper_near_end": (
        "warning",
        "{kiosk}打印机 {device} 纸将用完，请尽快换纸",
        "Printer {device}{kiosk_en} is running out of paper; load a new roll soon",
    ),
    "paper_out": (
        "error",
        "{kiosk}打印机 {device} 缺纸，请立即换纸",
        "Printer {device}{kiosk_en} is out of paper; load a new roll now",
    ),
    "cover_open": (
        "error",
        "{kiosk}打印机 {device} 纸仓盖未关好",
        "Printer {device}{kiosk_en}: the cover is open",
    ),
    "offline": (
        "error",
        "{kiosk}打印机 {device} 无响应（断电、断线或故障）",
        "Printer {device}{kiosk_en} does not answer (power, cable or fault)",
    ),
    "failed_over": (  # an event, not a condition: see MOMENTARY
        "warning",
        "{kiosk}打印机 {device} 打印失败，号票已转到 {to} 打印",
        "Printer {device}{kiosk_en} failed; tickets went to {to}",
    ),
    "print_failed": (
        "error",
        "{kiosk}打印机 {device} 打印失败，市民只拿到屏幕上的号码",
        "Printer {device}{kiosk_en} failed; the citizen only has the number on the screen",
    ),
    "not_started": (
        "error",
        "打印机 {device} 无法启动，请检查设备配置",
        "Printer {device} could not be started; check devices.toml",
    ),
}


# Alerts about something that happened (listed until acknowledged), not a condition.
MOMENTARY = ("failed_over", "print_failed")


def alert_text(kind: str, device: str, kiosk: str | None, to: str = "") -> AlertText:
    level, zh, en = ALERT_TEXT[kind]
    values = {
        "device": device,
        "kiosk": f"取号机 {kiosk} 的" if kiosk else "",
        "kiosk_en": f" (kiosk {kiosk})" if kiosk else "",
        "to": to,
    }
    return AlertText(level, zh.format(**values), en.format(**values))


# PrinterStatus.state -> (Chinese, English): the CLI and the admin page.
PRINTER_STATE_TEXT: dict[str, tuple[str, str]] = {
    "ok": ("正常", "online"),
    "paper_near_end": ("纸将用完", "paper near end"),
    "paper_out": ("缺纸", "paper out"),
    "cover_open": ("纸仓盖打开", "cover open"),
    "offline": ("脱机", "offline"),
    "unreachable": ("无法连接", "unreachable"),
    "unknown": ("尚未检查", "not checked yet"),
}


def printer_state_text(state: str, paper_near_end: bool = False) -> str:
    zh, en = PRINTER_STATE_TEXT[state]
    text = f"{zh} {en}"
    if paper_near_end and state != "paper_near_end":
        text += ", 纸将用完 paper near end"
    return text
