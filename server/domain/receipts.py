"""Receipt numbers (受理编号) of cases: unique per hall and year, in the hall's pattern.

A pattern is text with fields in braces: ``{year}`` (2026), ``{yy}`` (26), ``{hall}``
(the hall's code, upper case), ``{dept}`` (the department's code), ``{month}`` (01-12),
and ``{seq}`` or ``{seq:N}``: the case's number in the hall's year, at least N digits
(default 6). The default, ``{hall}{year}{seq:6}``, gives ``DEMO2026000123``. A pattern
has exactly one ``{seq}`` and a year (the sequence restarts every year, so the year
keeps numbers apart); the rest is letters, digits and ``-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import DomainError

DEFAULT_PATTERN = "{hall}{year}{seq:6}"
MAX_LENGTH = 32  # of a number made by the pattern
_FIELD = re.compile(r"\{([a-z]+)(?::(\d+))?\}")
_LITERAL = re.compile(r"^[A-Za-z0-9-]*$")
FIELDS = ("year", "yy", "hall", "dept", "month", "seq")
# A department or hall code longer than this is cut when it goes into a number.
CODE_PART = 8


@dataclass(frozen=True)
class ReceiptPattern:
    text: str

    @classmethod
    def parse(cls, text: str) -> ReceiptPattern:
        """The pattern, or RECEIPT_PATTERN_INVALID saying what is wrong."""
        fields = _FIELD.findall(text)
        names = [name for name, _ in fields]
        literal = _FIELD.sub("", text)
        problem: tuple[str, str] | None = None
        unknown = [n for n in names if n not in FIELDS]
        if not _LITERAL.match(literal):
            problem = (
                "字段以外只能用字母、数字和 -",
                "only letters, digits and - outside the fields",
            )
        elif unknown:
            problem = (
                "不认识的字段：" + "、".join(unknown),
                "unknown field: " + ", ".join(unknown),
            )
        elif names.count("seq") != 1:
            problem = ("须有且只有一个 {seq}", "exactly one {seq}")
        elif "year" not in names and "yy" not in names:
            problem = ("须含 {year} 或 {yy}", "a {year} or {yy}")
        elif any(width and not 1 <= int(width) <= 10 for name, width in fields if name == "seq"):
            problem = ("{seq:N} 的 N 为 1 至 10", "{seq:N} with N from 1 to 10")
        elif any(width for name, width in fields if name != "seq"):
            problem = ("只有 {seq} 可以指定位数", "only {seq} takes a width")
        if problem is None:
            longest = cls(text).format(
                year=9999, hall="X" * CODE_PART, dept="X" * CODE_PART, month=12, seq=99_999_999
            )
            if len(longest) > MAX_LENGTH:
                problem = (
                    f"编号可能超过 {MAX_LENGTH} 个字符",
                    f"a number longer than {MAX_LENGTH} characters",
                )
        if problem is not None:
            raise DomainError(
                "RECEIPT_PATTERN_INVALID", pattern=text, problem=problem[1], problem_zh=problem[0]
            )
        return cls(text)

    def format(self, *, year: int, hall: str, dept: str, month: int, seq: int) -> str:
        def field(m: re.Match[str]) -> str:
            name, width = m.group(1), m.group(2)
            if name == "seq":
                return str(seq).zfill(int(width or 6))
            return {
                "year": f"{year:04d}",
                "yy": f"{year % 100:02d}",
                "hall": hall.upper()[:CODE_PART],
                "dept": dept.upper()[:CODE_PART],
                "month": f"{month:02d}",
            }[name]

        return _FIELD.sub(field, self.text)


def receipt_number(pattern: ReceiptPattern, *, day: date, hall: str, dept: str, seq: int) -> str:
    """The number of the hall's ``seq``-th case of ``day``'s year."""
    if seq < 1:
        raise ValueError("seq starts at 1")
    return pattern.format(year=day.year, hall=hall, dept=dept, month=day.month, seq=seq)


def normalise(text: str) -> str:
    """A number as a citizen types it: spaces gone, letters upper case."""
    return re.sub(r"\s+", "", text).upper()
