"""Column counting, wrapping and the ticket layout."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from printer.document import TicketData
from printer.layout import (
    Page,
    QrCode,
    TextLine,
    clean_text,
    fit_scale,
    layout_ticket,
    qr_module_dots,
    text_columns,
    wrap,
)

PAGE_58 = Page(columns=32, dots=384)
PAGE_80 = Page(columns=48, dots=576)


def test_columns_follow_the_encoded_width() -> None:
    assert text_columns("A023", "gb18030") == 4
    assert text_columns("前面还有", "gb18030") == 8
    assert text_columns("：，", "gb18030") == 4  # full-width punctuation is double
    assert text_columns("𠀀", "gb18030") == 2  # four-byte GB18030 is one double cell


def test_wrap_keeps_closing_punctuation_off_line_starts() -> None:
    lines = wrap("一二三四五，六七", 10, "gb18030")
    assert lines == ["一二三四", "五，六七"]


def test_wrap_indents_continuations() -> None:
    lines = wrap("1. 一二三四五六七八九十", 12, "gb18030", indent=3)
    assert lines[0] == "1. 一二三四"
    assert all(line.startswith("   ") for line in lines[1:])


@given(
    st.text(alphabet=st.sampled_from("政务服务中心ABC 12，。（）-"), max_size=120),
    st.integers(4, 48),
)
def test_wrap_never_overflows_and_loses_nothing(text: str, width: int) -> None:
    lines = wrap(text, width, "gb18030")
    assert all(text_columns(line, "gb18030") <= width for line in lines)
    assert "".join(lines).replace(" ", "") == clean_text(text).replace(" ", "")


def test_clean_text_drops_control_characters() -> None:
    assert clean_text("A\x1b@B\x00\x1dV\tC\n") == "A@BV C"


def test_fit_scale() -> None:
    assert fit_scale("A023", PAGE_58, 8) == 6
    assert fit_scale("A023", PAGE_80, 8) == 8
    assert fit_scale("VIP0001", PAGE_58, 8) == 4
    assert fit_scale("一个很长很长很长很长很长的名称", PAGE_58, 2) == 1


def test_qr_is_about_half_the_paper() -> None:
    for page in (PAGE_58, PAGE_80):
        module = qr_module_dots("http://127.0.0.1:8000/t/2f6c1e0a9b7d4e21", page)
        assert 3 <= module <= 8
        assert module * 33 <= page.dots * 0.6


def test_ticket_blocks(ticket: TicketData) -> None:
    blocks = layout_ticket(ticket, PAGE_58)
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    assert texts[0] == "XX市政务服务中心"
    assert next(b for b in blocks if isinstance(b, QrCode)).payload == ticket.status_url
    biggest = max((b for b in blocks if isinstance(b, TextLine)), key=lambda b: b.scale)
    assert biggest.text == "A023"
    reprint = layout_ticket(ticket.as_reprint(), PAGE_58)
    assert isinstance(reprint[0], TextLine) and "补打" in reprint[0].text
