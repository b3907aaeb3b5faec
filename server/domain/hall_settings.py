"""A hall's settings, checked before they are saved, and its open/closed lifecycle.

Every check returns the problems it found (fields.Problem), never stops at the first, so
a form shows every mistake at once. Values come as they are stored: times "HH:MM",
office hours ``{"1": [["09:00", "12:00"], ["13:30", "17:00"]], ...}``, dates
"YYYY-MM-DD".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import DomainError
from .fields import Problem
from .receipts import ReceiptPattern

LANGUAGES = ("zh", "en")
MAX_SPANS_PER_DAY = 4
# A year and a little of exceptions; older ones can go.
MAX_EXCEPTION_DATES = 400
CODE_MIN, CODE_MAX = 2, 32
_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_zones: frozenset[str] | None = None


def check_code(code: str) -> list[Problem]:
    ok = (
        CODE_MIN <= len(code) <= CODE_MAX
        and code[0].isascii()
        and code[0].isalpha()
        and set(code) <= _CODE_CHARS
        and not code.endswith("-")
    )
    return [] if ok else [Problem("code", "HALL_CODE_FORMAT")]


def _known_zones() -> frozenset[str]:
    global _zones
    if _zones is None:
        _zones = frozenset(available_timezones())
    return _zones


def check_timezone(name: str) -> list[Problem]:
    # Only names in the time zone database: ZoneInfo alone would also open file paths.
    if name not in _known_zones():
        return [Problem("timezone", "TIMEZONE_UNKNOWN")]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [Problem("timezone", "TIMEZONE_UNKNOWN")]
    return []


def parse_clock(text: object) -> time | None:
    """ "HH:MM" of a time that exists (00:00 to 23:59), else None."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        return None
    hh, mm = text[:2], text[3:]
    if not (hh.isascii() and hh.isdigit() and mm.isascii() and mm.isdigit()):
        return None
    if int(hh) > 23 or int(mm) > 59:
        return None
    return time(int(hh), int(mm))


def parse_iso_date(text: object) -> date | None:
    """ "YYYY-MM-DD" of a date that exists, else None (date.fromisoformat alone takes
    "20261001" and other forms too)."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


Spans = list[tuple[time, time]]


def check_week(value: object, name: str) -> tuple[dict[int, Spans], list[Problem]]:
    """Spans per weekday, each ordered and apart from the others; the gaps are breaks."""
    if not isinstance(value, Mapping):
        return {}, [Problem(name, "NOT_AN_OBJECT")]
    week: dict[int, Spans] = {}
    problems: list[Problem] = []
    for key, spans in value.items():
        where = f"{name}.{key}"
        if str(key) not in {"1", "2", "3", "4", "5", "6", "7"}:
            problems.append(Problem(where, "WEEKDAY_UNKNOWN"))
            continue
        if not isinstance(spans, Sequence) or isinstance(spans, str):
            problems.append(Problem(where, "NOT_A_LIST"))
            continue
        if len(spans) > MAX_SPANS_PER_DAY:
            problems.append(Problem(where, "TOO_MANY_SPANS", {"max": MAX_SPANS_PER_DAY}))
            continue
        day: Spans = []
        for n, span in enumerate(spans):
            at = f"{where}.{n}"
            if not isinstance(span, Sequence) or isinstance(span, str) or len(span) != 2:
                problems.append(Problem(at, "SPAN_FORMAT"))
                continue
            start, end = parse_clock(span[0]), parse_clock(span[1])
            bad = [i for i, t in enumerate((start, end)) if t is None]
            for i in bad:
                problems.append(Problem(f"{at}.{i}", "TIME_INVALID", {"value": str(span[i])}))
            if start is None or end is None:
                continue
            if end <= start:
                problems.append(Problem(at, "SPAN_EMPTY"))
                continue
            if day and start <= day[-1][1]:
                problems.append(Problem(at, "SPANS_OVERLAP"))
                continue
            day.append((start, end))
        if day:
            week[int(key)] = day
    return week, problems


def check_ticket_hours(
    value: object, office: Mapping[int, Spans], unsure: frozenset[int] = frozenset()
) -> list[Problem]:
    """Ticket hours per weekday: only on days the hall opens, ending by closing time
    (they may begin before the doors open: people wait inside). Weekdays in ``unsure``
    (whose office hours are wrong themselves) are not compared with them."""
    week, problems = check_week(value, "ticket_hours")
    for weekday, spans in week.items():
        where = f"ticket_hours.{weekday}"
        if weekday in unsure:
            continue
        if weekday not in office:
            problems.append(Problem(where, "TICKET_HOURS_ON_DAY_OFF"))
            continue
        closes = office[weekday][-1][1]
        for n, (_start, end) in enumerate(spans):
            if end > closes:
                problems.append(
                    Problem(
                        f"{where}.{n}", "TICKET_HOURS_AFTER_CLOSING", {"closes": f"{closes:%H:%M}"}
                    )
                )
    return problems


def check_dates(value: object, name: str) -> tuple[list[date], list[Problem]]:
    if not isinstance(value, list):
        return [], [Problem(name, "NOT_A_LIST")]
    if len(value) > MAX_EXCEPTION_DATES:
        return [], [Problem(name, "TOO_MANY_DATES", {"max": MAX_EXCEPTION_DATES})]
    seen: list[date] = []
    problems: list[Problem] = []
    for n, text in enumerate(value):
        day = parse_iso_date(text)
        if day is None:
            problems.append(Problem(f"{name}.{n}", "DATE_INVALID", {"value": str(text)}))
        elif day in seen:
            problems.append(Problem(f"{name}.{n}", "DUPLICATE", {"value": str(text)}))
        else:
            seen.append(day)
    return seen, problems


def check_languages(value: object) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem("languages", "NOT_A_LIST")]
    problems = []
    for n, lang in enumerate(value):
        if lang not in LANGUAGES:
            problems.append(Problem(f"languages.{n}", "LANGUAGE_UNKNOWN", {"value": str(lang)}))
        elif value.index(lang) != n:
            problems.append(Problem(f"languages.{n}", "DUPLICATE"))
    if "zh" not in value:
        problems.append(Problem("languages", "LANGUAGE_ZH_REQUIRED"))
    return problems


def check_hall(values: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a hall's settings. ``values``: the whole hall as it would be
    saved (an edit is checked merged with what it does not change: ticket hours that
    fitted the old office hours may not fit the new)."""
    problems: list[Problem] = []
    if "code" in values:
        problems += check_code(str(values["code"]))
    if "timezone" in values:
        problems += check_timezone(str(values["timezone"]))
    office, found = check_week(values.get("office_hours", {}), "office_hours")
    problems += found
    # "office_hours.3.1.0" -> 3: the weekdays whose office hours are wrong.
    unsure = frozenset(
        int(parts[1]) for p in found if len(parts := p.field.split(".")) > 1 and parts[1].isdigit()
    )
    if "ticket_hours" in values:
        problems += check_ticket_hours(values["ticket_hours"], office, unsure)
    if "languages" in values:
        problems += check_languages(values["languages"])
    closed, found = check_dates(values.get("closed_dates", []), "closed_dates")
    problems += found
    problems += check_dates(values.get("open_dates", []), "open_dates")[1]
    for n, text in enumerate(values.get("open_dates") or []):
        if parse_iso_date(text) in closed:
            problems.append(Problem(f"open_dates.{n}", "DATE_IN_BOTH", {"value": str(text)}))
    if "receipt_pattern" in values:
        try:
            ReceiptPattern.parse(str(values["receipt_pattern"]))
        except DomainError as err:
            problems.append(
                Problem(
                    "receipt_pattern",
                    "RECEIPT_PATTERN",
                    {"problem": err.details["problem"], "problem_zh": err.details["problem_zh"]},
                )
            )
    return problems


def normalised(values: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values as they are stored: dates in order, weekdays without spans left
    out (a weekday not listed is a day off, or has no ticket hours of its own)."""
    out = dict(values)
    for key in ("closed_dates", "open_dates"):
        if key in out:
            out[key] = sorted(set(out[key]))
    for key in ("office_hours", "ticket_hours"):
        if key in out:
            out[key] = {
                str(k): [list(span) for span in v] for k, v in sorted(out[key].items()) if v
            }
    return out


# ---- open / closed ---------------------------------------------------------------------


def check_close(is_closed: bool) -> None:
    """Closing takes the hall off every kiosk and board until reopened; its data stays."""
    if is_closed:
        raise DomainError("HALL_ALREADY_CLOSED")


def check_reopen(is_closed: bool) -> None:
    if not is_closed:
        raise DomainError("HALL_NOT_CLOSED")
