"""The demo's attachments, made at load time: two 示范文本 drawn as PNG (a filled-in
公司登记（备案）申请书 and 社会保障卡申领表, with made-up, obviously sample details), and a
blank 个体工商户登记申请书 as a small PDF written by hand.

Drawn once per process (cached): the test suite loads the demo hundreds of times."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from printer.fonts import FontNotFoundError, find_cjk_font, load_font

INK = (20, 60, 160)  # what the sample's applicant "wrote"
LINE = (40, 40, 40)
STAMP = (200, 30, 30)
WIDTH, HEIGHT = 900, 1200

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    try:
        return load_font(find_cjk_font(), size)
    except FontNotFoundError:
        return ImageFont.load_default(size)


def _form(title: str, rows: list[tuple[str, str]], footer: list[str]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2, 70), title, font=_font(40), fill=LINE, anchor="mm")
    left, right, top = 60, WIDTH - 60, 140
    label_width = 230
    height = 74
    for i, (label, value) in enumerate(rows):
        y = top + i * height
        draw.rectangle((left, y, right, y + height), outline=LINE, width=2)
        draw.line((left + label_width, y, left + label_width, y + height), fill=LINE, width=2)
        draw.text((left + 16, y + height // 2), label, font=_font(26), fill=LINE, anchor="lm")
        draw.text(
            (left + label_width + 18, y + height // 2), value, font=_font(28), fill=INK, anchor="lm"
        )
    y = top + len(rows) * height + 40
    for line in footer:
        draw.text((left, y), line, font=_font(24), fill=LINE)
        y += 40
    # The red 示范文本 mark, so nobody takes the sample for a real filing.
    stamp = Image.new("RGBA", (420, 150), (0, 0, 0, 0))
    mark = ImageDraw.Draw(stamp)
    mark.rounded_rectangle((4, 4, 416, 146), radius=18, outline=(*STAMP, 255), width=8)
    mark.text((210, 75), "示范文本", font=_font(72), fill=(*STAMP, 255), anchor="mm")
    stamp = stamp.rotate(18, expand=True)
    image.paste(stamp, (WIDTH - stamp.width - 40, HEIGHT - stamp.height - 60), stamp)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def company_registration_sample() -> bytes:
    return _form(
        "公司登记（备案）申请书",
        [
            ("名称", "杭州示例科技有限公司"),
            ("住所", "浙江省杭州市西湖区文三路100号"),
            ("法定代表人", "张三"),
            ("注册资本", "100 万元（人民币）"),
            ("公司类型", "有限责任公司（自然人投资或控股）"),
            ("经营范围", "技术开发、技术咨询、技术服务"),
            ("营业期限", "长期"),
            ("股东（发起人）", "张三 60%；李四 40%"),
            ("联系电话", "0571-8888 0000"),
            ("申请人签字", "张三　　2026 年 12 月 1 日"),
        ],
        [
            "填写说明：",
            "1. 名称应与名称自主申报结果一致；",
            "2. 经营范围按《经营范围规范表述目录》填写；",
            "3. 用黑色或蓝色墨水笔填写，字迹清楚，不得涂改。",
        ],
    )


@functools.lru_cache(maxsize=1)
def social_security_card_sample() -> bytes:
    return _form(
        "社会保障卡申领表",
        [
            ("姓名", "王小明"),
            ("性别 / 民族", "男　/　汉族"),
            ("出生日期", "1990 年 1 月 1 日"),
            ("公民身份号码", "330106 1990 0101 ****"),
            ("申领类型", "☑ 首次申领　☐ 补领　☐ 换领"),
            ("联系电话", "138 **** 0000"),
            ("通讯地址", "浙江省杭州市西湖区文三路100号"),
            ("照片", "近期免冠彩色照片（白底）1 张"),
            ("金融功能", "☑ 开通（就近网点）"),
            ("申请人签字", "王小明　　2026 年 12 月 1 日"),
        ],
        [
            "填写说明：",
            "1. 公民身份号码应与身份证一致（示范中已隐去部分数字）；",
            "2. 未满16周岁的由监护人代为签字。",
        ],
    )


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


@functools.lru_cache(maxsize=1)
def sole_proprietor_blank_form() -> bytes:
    """A one-page A4 PDF: the title and empty boxes. Its Chinese is in Adobe's
    STSong-Light with the UniGB-UCS2-H encoding, which readers supply themselves (no
    font is embedded: the file stays at about a kilobyte)."""
    labels = ["经营者姓名", "公民身份号码", "个体工商户名称", "经营场所", "经营范围", "联系电话"]
    ops = ["BT /F1 22 Tf 150 780 Td <{}> Tj ET".format(_utf16("个体工商户登记（备案）申请书"))]
    ops.append(
        "BT /F1 12 Tf 60 750 Td <{}> Tj ET".format(_utf16("（空白表格，请用黑色墨水笔填写）"))
    )
    y = 700
    for label in labels:
        ops.append(f"60 {y} 475 44 re S 200 {y} m 200 {y + 44} l S")
        ops.append(f"BT /F1 14 Tf 70 {y + 16} Td <{_utf16(label)}> Tj ET")
        y -= 44
    ops.append(f"BT /F1 14 Tf 60 {y - 30} Td <{_utf16('经营者签字：　　　　　　日期：')}> Tj ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# key, name, kind, filename, the file
def demo_files() -> list[tuple[str, str, str, str, bytes]]:
    return [
        (
            "company",
            "公司登记（备案）申请书",
            "sample",
            "公司登记申请书-示范文本.png",
            company_registration_sample(),
        ),
        (
            "sscard",
            "社会保障卡申领表",
            "sample",
            "社会保障卡申领表-示范文本.png",
            social_security_card_sample(),
        ),
        (
            "sole",
            "个体工商户登记（备案）申请书",
            "blank_form",
            "个体工商户登记申请书.pdf",
            sole_proprietor_blank_form(),
        ),
    ]


# (item code, material index) -> {role: attachment key}
MATERIAL_FILES: dict[tuple[str, int], dict[str, str]] = {
    ("A01", 0): {"sample": "company"},
    ("B03", 2): {"sample": "sscard"},
    ("A02", 2): {"blank_form": "sole"},
}
