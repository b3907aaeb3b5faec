"""Byte-level tests of printed tickets and notices, read back with the tests' own reader."""

from __future__ import annotations

import dataclasses

import pytest
import qrcode
import qrcode.constants
from escpos_reader import Printout, columns, qr_matrix_in, read_escpos, stacked

from printer.config import PrinterConfig
from printer.document import NoticeData, TicketData
from printer.render import render_document

PAPERS = [(58, 384, 32), (80, 576, 48)]


def config(paper: int, mode: str = "text", **changes: object) -> PrinterConfig:
    return PrinterConfig.model_validate(
        {"id": "P1", "driver": "virtual", "paper_width": paper, "mode": mode, **changes}
    )


def printed(document: TicketData | NoticeData, cfg: PrinterConfig) -> Printout:
    out = read_escpos(render_document(document, cfg), cfg.encoding)
    assert out.initialized
    assert out.cuts == 1
    assert out.order[-1] == "cut", "nothing may be printed after the cut"
    assert not out.after_cut
    return out


def expected_qr(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


@pytest.mark.parametrize(("paper", "dots", "cols"), PAPERS)
def test_text_mode_ticket_reads_back(ticket: TicketData, paper: int, dots: int, cols: int) -> None:
    out = printed(ticket, config(paper))

    # Every line with Chinese in it was sent in Chinese mode and fits the paper.
    for line in out.lines:
        assert line.chinese_mode, line.text
        assert columns(line) <= cols, line.text
    assert out.find("XX市政务服务中心").align == "center"
    assert out.find("社保医保综合业务")
    number = out.find("A023")
    assert number.text.strip() == "A023"
    # The number is the biggest thing on the ticket: 6x on 58 mm, 8x on 80 mm.
    assert number.width == number.height == (6 if paper == 58 else 8)
    assert all(line.height <= number.height for line in out.lines)
    assert number.align == "center" and number.bold
    assert "前面还有 5 人等候" in out.text
    assert "约 15 分钟" in out.text
    assert "3号窗口、4号窗口" in out.text
    assert "2026-11-23 09:31:05" in out.text
    assert out.find("过号请重新取号").align == "center"
    assert "补打" not in out.text
    assert out.qr_payloads == [ticket.status_url]
    assert out.qr_ec == 1  # level M
    assert 3 <= out.qr_module <= 8
    assert not out.rasters


@pytest.mark.parametrize(("paper", "dots", "cols"), PAPERS)
def test_image_mode_ticket_is_rasters_and_native_qr(
    ticket: TicketData, paper: int, dots: int, cols: int
) -> None:
    out = printed(ticket, config(paper, "image"))

    assert not [line for line in out.lines if line.text.strip()], "image mode sends no text"
    assert out.rasters and all(r.width == dots for r in out.rasters)
    assert all(r.height <= 128 for r in out.rasters), "bands keep printer buffers small"
    assert out.qr_payloads == [ticket.status_url]
    # Text above the QR code and text below it.
    first_qr = out.order.index("qr")
    assert "raster" in out.order[:first_qr] and "raster" in out.order[first_qr:]
    ink_rows = sum(r.height for r in out.rasters)
    assert ink_rows > 300


@pytest.mark.parametrize(("paper", "dots", "cols"), PAPERS)
def test_image_qr_when_printer_has_no_native_qr(
    ticket: TicketData, paper: int, dots: int, cols: int
) -> None:
    out = printed(ticket, config(paper, native_qr=False))

    assert out.qr_payloads == []
    code = stacked(out.rasters)
    assert code.width == dots
    assert qr_matrix_in(code, expected_qr(ticket.status_url))
    assert not qr_matrix_in(code, expected_qr(ticket.status_url + "x"))


@pytest.mark.parametrize(("paper", "dots", "cols"), PAPERS)
def test_image_mode_without_native_qr_has_no_qr_command(
    ticket: TicketData, paper: int, dots: int, cols: int
) -> None:
    out = printed(ticket, config(paper, "image", native_qr=False))
    assert out.qr_payloads == []
    assert all(r.width == dots for r in out.rasters)


@pytest.mark.parametrize("mode", ["text", "image"])
def test_reprint_is_marked(ticket: TicketData, mode: str) -> None:
    first = render_document(ticket, config(58, mode))
    again = render_document(ticket.as_reprint(), config(58, mode))
    assert first != again
    if mode == "text":
        banner = read_escpos(again).lines[0]
        assert "补打" in banner.text and banner.height >= 2
    else:
        # The banner is drawn: the reprint is taller by the banner's rows.
        rows = sum(r.height for r in read_escpos(again).rasters)
        assert rows > sum(r.height for r in read_escpos(first).rasters) + 40


def test_unknown_wait_and_nobody_ahead(ticket: TicketData) -> None:
    unknown = printed(dataclasses.replace(ticket, wait_minutes=None, windows=()), config(80))
    assert "预计等待：暂无法估计" in unknown.text
    assert "请留意叫号屏" in unknown.text
    quiet = printed(dataclasses.replace(ticket, people_ahead=0, wait_minutes=0), config(80))
    assert "前面无人等候" in quiet.text
    assert "预计等待" not in quiet.text  # not "about 0 minutes"


def test_chinese_punctuation_alone_is_sent_as_chinese(ticket: TicketData) -> None:
    # A line of Chinese punctuation only must still go out as GB18030 in
    # Chinese mode (a plain text shortcut would print "???").
    odd = dataclasses.replace(ticket, note="，。、！")
    raw = render_document(odd, config(58))
    assert b"\x1c&" + "，。、！".encode("gb18030") + b"\x1c." in raw
    assert b"?" not in raw.split(b"\x1d(k")[0]


def test_control_characters_in_data_cannot_inject_commands(ticket: TicketData) -> None:
    evil = dataclasses.replace(ticket, hall_name="大厅\x1bi\x1dV\x00", queue_name="综合\n窗口")
    out = printed(evil, config(58))  # the reader fails on any unexpected command
    assert "大厅iV" in out.text


def test_long_names_wrap_within_the_paper(ticket: TicketData) -> None:
    long = dataclasses.replace(
        ticket,
        hall_name="某某省某某市某某区人民政府政务服务中心（市民之家）",
        windows=tuple(f"{n}号窗口" for n in range(1, 15)),
    )
    for paper, _dots, cols in PAPERS:
        out = printed(long, config(paper))
        assert all(columns(line) <= cols for line in out.lines)
        joined = "".join(line.text.strip() for line in out.lines)
        assert "人民政府政务服务中心（市民之家）" in joined
        assert "14号窗口" in joined


def test_configured_encoding_is_used(ticket: TicketData) -> None:
    taipei = dataclasses.replace(ticket, hall_name="臺北市政府服務大廳")
    raw = render_document(taipei, config(58, encoding="big5"))
    assert b"\x1c&" + "臺北市政府服務大廳".encode("big5") + b"\x1c." in raw
    assert "臺北市政府服務大廳".encode("gb18030") not in raw
    assert read_escpos(raw, "big5").find("臺北市政府服務大廳").chinese_mode


@pytest.mark.parametrize(("paper", "dots", "cols"), PAPERS)
def test_notice_reads_back(notice: NoticeData, paper: int, dots: int, cols: int) -> None:
    out = printed(notice, config(paper))
    assert "一次性告知单" in out.text
    assert out.find("城乡居民医保参保登记").bold
    joined = "".join(line.text.strip() for line in out.lines)
    for item in notice.lines:
        assert item.replace(" ", "") in joined.replace(" ", "")
    assert all(line.chinese_mode and columns(line) <= cols for line in out.lines)
    assert out.qr_payloads == []
    assert "补打" in read_escpos(render_document(notice.as_reprint(), config(paper))).text


@pytest.mark.parametrize("paper", [58, 80])
def test_notice_in_image_mode(notice: NoticeData, paper: int) -> None:
    out = printed(notice, config(paper, "image"))
    assert out.rasters and all(r.width == (384 if paper == 58 else 576) for r in out.rasters)
    assert not [line for line in out.lines if line.text.strip()]
