"""What is wrong with one field of a form or one cell of an import: a stable code, and
its message in Chinese and English.

The API answers them as ``INVALID_REQUEST`` with ``details.fields`` (server/web/errors.py
turns the request parser's own refusals into the same codes), so a page can put each
message beside its field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# code -> (Chinese, English); ``{name}`` is filled from the problem's details. The codes
# are part of the API: never rename one.
FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    # Any field (the request parser's refusals, server/web/errors.py).
    "REQUIRED": ("必须填写", "Required"),
    "UNKNOWN_FIELD": ("不认识的字段", "Unknown field"),
    "TOO_LONG": ("太长了，最多 {max} 个", "Too long: at most {max}"),
    "TOO_SHORT": ("太短了，至少 {min} 个", "Too short: at least {min}"),
    "TOO_SMALL": ("不能小于 {min}", "Must be at least {min}"),
    "TOO_LARGE": ("不能大于 {max}", "Must be at most {max}"),
    "NOT_A_NUMBER": ("应填写整数", "Must be a whole number"),
    "NOT_A_BOOLEAN": ("应为是或否", "Must be true or false"),
    "NOT_TEXT": ("应填写文字", "Must be text"),
    "NOT_A_LIST": ("应为列表", "Must be a list"),
    "NOT_AN_OBJECT": ("应为对象（键值）", "Must be an object"),
    "NOT_ALLOWED": ("不是可选的值", "Not one of the allowed values"),
    "FORMAT": ("格式不正确", "Wrong format"),
    "JSON_INVALID": ("不是有效的 JSON", "Not valid JSON"),
    "INVALID": ("内容不正确", "Not valid"),
    # Queues' issue hours (web/schemas/bodies.py).
    "HOURS_FORMAT": (
        "时段应写成 开始-结束，如 08:30-12:00，结束晚于开始",
        "Write a span as start-end, e.g. 08:30-12:00, ending after it starts",
    ),
    # Halls (hall_settings.py).
    "HALL_CODE_FORMAT": (
        "大厅编码应为2至32位小写字母、数字或连字符，以字母开头，如 east-1",
        "A hall code has 2 to 32 lowercase letters, digits or hyphens and starts with a "
        "letter, e.g. east-1",
    ),
    "TIMEZONE_UNKNOWN": (
        "不是有效的时区名称，如 Asia/Shanghai",
        "Not a time zone name such as Asia/Shanghai",
    ),
    "RECEIPT_PATTERN": (
        "受理编号格式有误（{problem_zh}）：可用 {{hall}} {{year}} {{yy}} {{month}} {{dept}} {{seq:6}}，"
        "须含一个 {{seq}} 和年份",
        "Not a receipt number pattern ({problem}): use {{hall}} {{year}} {{yy}} {{month}} "
        "{{dept}} {{seq:6}}, with one {{seq}} and a year",
    ),
    "WEEKDAY_UNKNOWN": ("星期应为 1（周一）至 7（周日）", "Weekdays are 1 (Monday) to 7 (Sunday)"),
    "SPAN_FORMAT": (
        '时段应写成 [开始, 结束]，如 ["09:00", "12:00"]',
        'A span is [start, end], e.g. ["09:00", "12:00"]',
    ),
    "TIME_INVALID": (
        "时间应写成 HH:MM，如 09:00（00:00 至 23:59）",
        "Write times as HH:MM, e.g. 09:00 (00:00 to 23:59)",
    ),
    "SPAN_EMPTY": ("结束时间应晚于开始时间", "A span must end after it starts"),
    "SPANS_OVERLAP": (
        "时段重叠或顺序颠倒：午休应在上午结束之后、下午开始之前",
        "Spans overlap or are out of order: a lunch break lies between the morning's end "
        "and the afternoon's start",
    ),
    "TOO_MANY_SPANS": ("每天最多 {max} 个时段", "At most {max} spans a day"),
    "TICKET_HOURS_ON_DAY_OFF": (
        "这一天不办公，不能设置取号时间",
        "The hall does not open this weekday: it cannot have ticket hours",
    ),
    "TICKET_HOURS_AFTER_CLOSING": (
        "取号时间不能晚于当天的下班时间（{closes}）",
        "Ticket hours cannot end after the day's closing time ({closes})",
    ),
    "LANGUAGE_UNKNOWN": ("语言只能是 zh（中文）或 en（英文）", "Languages are zh or en"),
    "LANGUAGE_ZH_REQUIRED": ("必须提供中文服务", "Chinese (zh) must be offered"),
    "DUPLICATE": ("重复了", "Listed twice"),
    "DATE_INVALID": (
        "日期应写成 YYYY-MM-DD，且是存在的日期，如 2026-10-01",
        "Write dates as YYYY-MM-DD, and a date that exists, e.g. 2026-10-01",
    ),
    "DATE_IN_BOTH": (
        "同一天不能既是休息日又是工作日",
        "A date cannot be both a closed day and an open day",
    ),
    "TOO_MANY_DATES": ("最多 {max} 个日期", "At most {max} dates"),
    # The national calendar and its import (holidays.py).
    "DATE_OTHER_YEAR": ("日期不在 {year} 年", "The date is not in {year}"),
    "KIND_INVALID": (
        "类型应为“放假”或“上班”",
        "The kind is 放假 (holiday) or 上班 (working day)",
    ),
    "WORKDAY_ON_WEEKDAY": (
        "调休上班日应为周六或周日，请核对日期",
        "A swapped working day (调休) falls on a Saturday or Sunday; check the date",
    ),
    "COLUMN_MISSING": (
        "缺少“{column}”列（第一行应为列名：日期、类型、名称）",
        "The column {column} is missing (the first row names the columns: 日期, 类型, 名称)",
    ),
    "FILE_EMPTY": ("文件里没有数据", "The file holds no rows"),
    "FILE_UNREADABLE": (
        "无法读取文件，请上传 CSV 或 XLSX 文件",
        "The file cannot be read: upload a CSV or XLSX file",
    ),
    "FILE_TOO_LARGE": ("文件太大，最大 {max} KB", "The file is too large: at most {max} KB"),
    "TOO_MANY_ROWS": ("行数太多，最多 {max} 行", "Too many rows: at most {max}"),
    # Attachments (attachments.py) and life events (life_events.py).
    "ATTACHMENT_TOO_LARGE": (
        "文件太大，最大 {max} MB",
        "The file is too large: at most {max} MB",
    ),
    "ATTACHMENT_TYPE": (
        "只能上传 PDF、PNG 或 JPEG 文件（按文件内容判断，不看扩展名）",
        "Only PDF, PNG or JPEG files (told by the content, not the file name)",
    ),
    "ATTACHMENT_TITLE_UNKNOWN": (
        "本大厅没有标题为“{title}”的附件，请先在“附件”页上传",
        "The hall has no attachment titled {title}: upload it on the attachments page first",
    ),
    "ATTACHMENT_TITLE_AMBIGUOUS": (
        "本大厅有多个标题为“{title}”的附件，请改用附件编号",
        "The hall has several attachments titled {title}: use the attachment's number",
    ),
    "ATTACHMENT_UNKNOWN": (
        "本大厅没有编号为 {id} 的附件",
        "The hall has no attachment {id}",
    ),
    "LIFE_EVENT_CODE_FORMAT": (
        "编码应为2至32位小写字母、数字或连字符，以字母开头，如 start-business",
        "A code has 2 to 32 lowercase letters, digits or hyphens and starts with a letter, "
        "e.g. start-business",
    ),
    "ITEM_UNKNOWN": ("本大厅没有这个事项：{item}", "The hall has no service item {item}"),
    "BUNDLE_TOO_SMALL": (
        "启用的“一件事”至少要包含 {min} 个事项",
        "An active life event bundles at least {min} service items",
    ),
    # The catalogue: departments, service items and their guides (guide.py), its import.
    "TOO_MANY": ("太多了，最多 {max} 项", "Too many: at most {max}"),
    "CATALOGUE_CODE_FORMAT": (
        "编码应为字母或数字开头，由字母、数字、点、下划线或连字符组成，最多 {max} 位",
        "A code starts with a letter or digit and has letters, digits, dots, underscores "
        "or hyphens, at most {max}",
    ),
    "PHONE_FORMAT": (
        "电话号码格式不正确，如 0571-12345678 或 12345",
        "Not a phone number such as 0571-12345678 or 12345",
    ),
    "URL_FORMAT": (
        "网址应以 http:// 或 https:// 开头",
        "A web address starts with http:// or https://",
    ),
    "NOT_ALLOWED_OF": ("应为以下之一：{allowed}", "Must be one of: {allowed}"),
    "REQUIRED_ONLINE": (
        "上线的事项必须填写（下线的草稿可以暂不填写）",
        "Required for an item that is online (a draft taken off line may leave it empty)",
    ),
    "INSTANT_PROMISES_ZERO": (
        "即办件当场办结，承诺办结时限应为 0",
        "An on-the-spot case (即办件) promises 0 days",
    ),
    "PROMISED_OVER_SHARE": (
        "承诺办结时限不能超过法定办结时限的 {share}%：法定 {statutory} 个工作日 × {share}% "
        "= 最多 {max} 个工作日（不足一天的部分舍去）",
        "The promised time limit may be at most {share}% of the statutory one: {statutory} "
        "working days × {share}% = at most {max} (rounded down)",
    ),
    "FEE_BASIS_REQUIRED": (
        "收费的事项必须填写收费依据",
        "An item that charges a fee must state the basis of the fee",
    ),
    "ONLINE_URL_WITHOUT_ONLINE": (
        "填写了网上办理地址，请勾选“可网上办理”",
        "A web address is given: tick “can be done online”",
    ),
    "SHARE_BELOW_PROMISES": (
        "有 {count} 个上线事项的承诺办结时限会超过这个比例（{items}），请先修改这些事项",
        "The promised limits of {count} online items would exceed this share ({items}): "
        "change those items first",
    ),
    "DEPARTMENT_UNKNOWN": ("本大厅没有编码为 {code} 的部门", "This hall has no department {code}"),
    "QUEUE_UNKNOWN": ("本大厅没有编码为 {code} 的队列", "This hall has no queue {code}"),
    "PINYIN_FORMAT": (
        "拼音首字母只能是小写字母和数字，如 bdcdj",
        "Pinyin initials are lowercase letters and digits, e.g. bdcdj",
    ),
    "YES_NO": ("应填写“是”或“否”", "Write 是 (yes) or 否 (no)"),
    "MATERIAL_LINE": (
        "材料应每行一项，写成 名称|形式|份数|必需或可选|备注，如 居民身份证|原件|1|必需",
        "One material a line: name|form|copies|必需 or 可选|note, e.g. 居民身份证|原件|1|必需",
    ),
    "CATALOGUE_COLUMN_MISSING": (
        "缺少“{column}”列（第一行为中文列名，请使用导入模板）",
        "The column {column} is missing (the first row holds the Chinese column names: use "
        "the template)",
    ),
    "SHEET_UNKNOWN": (
        "工作表“{sheet}”不认识：应为“事项”或“部门”",
        "Unknown sheet {sheet}: the sheets are 事项 (items) and 部门 (departments)",
    ),
}


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Problem:
    """``field``: a dotted path (``office_hours.1.0``); ``row``: a file's row number."""

    field: str
    code: str
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    row: int | None = None

    @property
    def messages(self) -> tuple[str, str]:
        zh, en = FIELD_MESSAGES[self.code]
        values = _Keep(self.details)
        return zh.format_map(values), en.format_map(values)

    def as_dict(self) -> dict[str, Any]:
        zh, en = self.messages
        out: dict[str, Any] = {
            "field": self.field,
            "code": self.code,
            "problem": en,
            "message_zh": zh,
            "message_en": en,
        }
        if self.row is not None:
            out["row"] = self.row
        return out

    def __post_init__(self) -> None:
        if self.code not in FIELD_MESSAGES:
            raise KeyError(f"unknown field problem code {self.code!r}")
