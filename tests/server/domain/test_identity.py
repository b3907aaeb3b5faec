"""Resident ID numbers, mobile numbers, ages, masking and the per-person limits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import DomainError
from server.domain.identity import (
    age_on,
    check_identity_limits,
    green_channel_allowed,
    id_check_char,
    mask_id,
    mask_phone,
    parse_mobile,
    parse_resident_id,
)

TODAY = date(2026, 11, 23)
# The two worked examples printed in GB 11643-1999 itself.
STANDARD_EXAMPLES = ["11010519491231002X", "440524188001010014"]


def code_of(raw: str) -> str:
    with pytest.raises(DomainError) as err:
        parse_resident_id(raw, today=TODAY)
    return err.value.code


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_the_standards_own_examples_are_valid(number: str) -> None:
    rid = parse_resident_id(number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def test_lower_case_x_and_spaces_are_accepted() -> None:
    assert parse_resident_id(" 110105 19491231 002x ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "ID_NUMBER_CHECK_DIGIT"),  # X expected
        ("440524188001010015", "ID_NUMBER_CHECK_DIGIT"),  # 4 expected
        ("44052418800101001", "ID_NUMBER_FORMAT"),  # 17 characters
        ("4405241880010100144", "ID_NUMBER_FORMAT"),  # 19
        ("44052418800101001A", "ID_NUMBER_FORMAT"),
        ("X40524188001010014", "ID_NUMBER_FORMAT"),
        ("４40524188001010014", "ID_NUMBER_FORMAT"),  # full-width digit
        ("", "ID_NUMBER_FORMAT"),
        ("110105194902300000", "ID_NUMBER_BIRTH_DATE"),  # 30 February
        ("110105194913010000", "ID_NUMBER_BIRTH_DATE"),  # month 13
        ("110105186912310000", "ID_NUMBER_BIRTH_DATE"),  # before 1870
        ("110105202612010000", "ID_NUMBER_BIRTH_DATE"),  # born after today
    ],
)
def test_invalid_numbers_say_what_is_wrong(raw: str, code: str) -> None:
    assert code_of(raw) == code


def _number(region: int, born: date, serial: int) -> str:
    first17 = f"{region:06d}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


numbers = st.builds(
    _number,
    st.integers(110000, 659999),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(numbers)
def test_generated_numbers_are_valid(number: str) -> None:
    assert parse_resident_id(number, today=TODAY).number == number


@given(numbers, st.integers(0, 17), st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(number: str, position: int, delta: int) -> None:
    """MOD 11-2 detects every single-character substitution."""
    chars = list(number)
    old = 10 if chars[position] == "X" else int(chars[position])
    new = (old + delta) % 10
    chars[position] = str(new)
    changed = "".join(chars)
    if changed == number:
        return
    try:
        parse_resident_id(changed, today=TODAY)
    except DomainError as err:
        assert err.code in {"ID_NUMBER_CHECK_DIGIT", "ID_NUMBER_BIRTH_DATE"}
    else:
        pytest.fail(f"{changed} accepted after changing {number}")


@given(numbers, st.integers(0, 16))
def test_swapped_neighbours_are_caught(number: str, position: int) -> None:
    a, b = number[position], number[position + 1]
    if a == b or "X" in (a, b):
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(DomainError):
        parse_resident_id(swapped, today=TODAY)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1956, 11, 23), TODAY, 70),  # birthday today
        (date(1956, 11, 24), TODAY, 69),  # tomorrow
        (date(1956, 11, 22), TODAY, 70),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
    ],
)
def test_age_on_a_day(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


def test_age_from_an_id_and_the_green_channel_threshold() -> None:
    seventy = parse_resident_id(_number(330106, date(1956, 11, 23), 12), today=TODAY)
    younger = parse_resident_id(_number(330106, date(1956, 11, 24), 12), today=TODAY)
    assert seventy.age_on(TODAY) == 70 and younger.age_on(TODAY) == 69
    assert green_channel_allowed(seventy.age_on(TODAY), 70)
    assert not green_channel_allowed(younger.age_on(TODAY), 70)
    assert not green_channel_allowed(None, 70)
    assert not green_channel_allowed(90, None)


def test_masking_keeps_only_the_ends() -> None:
    assert mask_id("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert parse_resident_id("440524188001010014", today=TODAY).masked == "440***********0014"


@pytest.mark.parametrize(
    "raw", ["13812345678", "19912345678", "+86 138 1234 5678", "138-1234-5678"]
)
def test_mobile_numbers(raw: str) -> None:
    assert parse_mobile(raw) in {"13812345678", "19912345678"}


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "23812345678",
        "1381234567a",
        "",
        "１３８12345678",
    ],
)
def test_malformed_mobile_numbers(raw: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_mobile(raw)
    assert err.value.code == "PHONE_INVALID"


def test_per_person_limits() -> None:
    check_identity_limits(issued_today=2, daily_limit=3, waiting_in_queue=False)
    check_identity_limits(issued_today=50, daily_limit=None, waiting_in_queue=False)
    with pytest.raises(DomainError) as err:
        check_identity_limits(issued_today=3, daily_limit=3, waiting_in_queue=False)
    assert err.value.code == "ID_DAILY_LIMIT" and err.value.details == {"limit": 3}
    with pytest.raises(DomainError) as err:
        check_identity_limits(issued_today=0, daily_limit=3, waiting_in_queue=True)
    assert err.value.code == "ID_ALREADY_WAITING"
