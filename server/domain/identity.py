"""Resident ID numbers (GB 11643-1999), mainland mobile numbers, ages and masking.

Pure rules: nothing here stores or logs a number. A kiosk may send an ID number so the
hall can offer the green channel (绿色通道) by age and limit tickets per person; the
hub keeps only a keyed hash and the masked forms (see services/tickets.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import DomainError

# GB 11643-1999: weights of the first 17 digits (2^(18-i) mod 11) and the check
# character for each remainder of the weighted sum mod 11.
ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
DIGITS = frozenset("0123456789")
# Second digit of a mainland mobile number (1[3-9]x xxxx xxxx).
MOBILE_SECOND_DIGITS = frozenset("3456789")
# The standard's own example was born in 1880.
EARLIEST_BIRTH_YEAR = 1870


@dataclass(frozen=True)
class ResidentId:
    number: str  # 18 characters, upper-case X
    birth_date: date

    @property
    def masked(self) -> str:
        return mask_id(self.number)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


def _digits(text: str) -> bool:
    # str.isdigit() also accepts full-width and superscript digits; only ASCII is valid.
    return bool(text) and all(c in DIGITS for c in text)


def id_check_char(first17: str) -> str:
    """The 18th character of an ID whose first 17 digits are ``first17``."""
    if len(first17) != 17 or not _digits(first17):
        raise ValueError("the first 17 characters of an ID number are digits")
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalise_id(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def parse_resident_id(raw: str, *, today: date) -> ResidentId:
    """Check an 18-character resident ID number; raise with a code saying what is wrong."""
    number = normalise_id(raw)
    if (
        len(number) != 18
        or not _digits(number[:17])
        or not (number[17] in DIGITS or number[17] == "X")
    ):
        raise DomainError("ID_NUMBER_FORMAT", length=len(number))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as err:
        raise DomainError("ID_NUMBER_BIRTH_DATE") from err
    if born.year < EARLIEST_BIRTH_YEAR or born > today:
        raise DomainError("ID_NUMBER_BIRTH_DATE")
    if id_check_char(number[:17]) != number[17]:
        raise DomainError("ID_NUMBER_CHECK_DIGIT")
    return ResidentId(number=number, birth_date=born)


def age_on(born: date, day: date) -> int:
    """Whole years completed on ``day``; someone born on 29 February turns a year older
    on 1 March in common years."""
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def normalise_phone(raw: str) -> str:
    number = raw.strip().replace(" ", "").replace("-", "")
    if number.startswith("+86"):
        number = number[3:]
    return number


def parse_mobile(raw: str) -> str:
    """A mainland mobile number, 11 digits 1[3-9]xxxxxxxxx; raise PHONE_INVALID if not."""
    number = normalise_phone(raw)
    if (
        len(number) != 11
        or not _digits(number)
        or number[0] != "1"
        or number[1] not in MOBILE_SECOND_DIGITS
    ):
        raise DomainError("PHONE_INVALID", length=len(number))
    return number


def mask(text: str, *, keep_start: int, keep_end: int) -> str:
    hidden = len(text) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(text)
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


def mask_id(number: str) -> str:
    """110***********1234: the region's first three digits and the last four."""
    return mask(number, keep_start=3, keep_end=4)


def mask_phone(number: str) -> str:
    """138****5678."""
    return mask(number, keep_start=3, keep_end=4)


def green_channel_allowed(age: int | None, min_age: int | None) -> bool:
    """The hall offers the green channel from ``min_age`` (None: not by age)."""
    return age is not None and min_age is not None and age >= min_age


def check_identity_limits(
    *, issued_today: int, daily_limit: int | None, waiting_in_queue: bool
) -> None:
    """Against scalping: one waiting ticket per person and queue, and a daily limit."""
    if waiting_in_queue:
        raise DomainError("ID_ALREADY_WAITING")
    if daily_limit is not None and issued_today >= daily_limit:
        raise DomainError("ID_DAILY_LIMIT", limit=daily_limit)
