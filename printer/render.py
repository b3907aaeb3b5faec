"""Turning a document into the complete ESC/POS byte stream of one job."""

from __future__ import annotations

from pathlib import Path

from printer.commands import CommandWriter
from printer.config import PrinterConfig
from printer.document import Document
from printer.fonts import find_cjk_font
from printer.layout import Block, Feed, Page, QrCode, TextLine, layout_document
from printer.raster import qr_image, render_lines


def page_for(config: PrinterConfig) -> Page:
    return Page(columns=config.columns, dots=config.paper_dots, encoding=config.encoding)


def _qr(writer: CommandWriter, block: QrCode, native: bool) -> None:
    writer.align("center")
    if native:
        writer.native_qr(block.payload, block.module_dots)
    else:
        writer.raster(qr_image(block.payload, block.module_dots, writer.paper_dots))


def _text_mode(writer: CommandWriter, blocks: list[Block], native_qr: bool) -> None:
    for block in blocks:
        if isinstance(block, TextLine):
            writer.align(block.align)
            writer.style(block.scale, block.bold)
            writer.chinese_line(block.text)
        elif isinstance(block, Feed):
            writer.feed_dots(block.dots)
        else:
            writer.style()
            _qr(writer, block, native_qr)


def _image_mode(writer: CommandWriter, blocks: list[Block], native_qr: bool, font: Path) -> None:
    pending: list[TextLine | Feed] = []

    def flush() -> None:
        if pending:
            writer.align("left")
            writer.raster(render_lines(pending, writer.paper_dots, font))
            pending.clear()

    for block in blocks:
        if isinstance(block, QrCode):
            flush()
            _qr(writer, block, native_qr)
        else:
            pending.append(block)
    flush()


def render_blocks(
    blocks: list[Block],
    page: Page,
    *,
    mode: str = "text",
    native_qr: bool = True,
    font_path: Path | None = None,
) -> bytes:
    writer = CommandWriter(page.dots, page.encoding)
    writer.initialize()
    if mode == "image":
        _image_mode(writer, blocks, native_qr, find_cjk_font(font_path))
    else:
        _text_mode(writer, blocks, native_qr)
    writer.style()
    writer.align("left")
    writer.cut()
    return writer.output


def render_document(document: Document, config: PrinterConfig) -> bytes:
    """All bytes of one ticket or notice for this printer, from ESC @ to the cut."""
    page = page_for(config)
    return render_blocks(
        layout_document(document, page),
        page,
        mode=config.mode,
        native_qr=config.native_qr,
        font_path=config.font_path,
    )
