"""The sentence builder: Chinese/English number reading, tickets, layout."""

from __future__ import annotations

import pytest

from server.voice.sentence import (
    ALL_CLIP_NAMES,
    CALL,
    CALL_SHORT,
    CHIME,
    LETTERS,
    MAX_REPEAT,
    PAUSE,
    RECALL,
    WORDS,
    Phrasing,
    build_call,
    build_recall,
    en_number,
    parse_window,
    ticket_clips,
    zh_number,
)


@pytest.mark.parametrize(
    ("n", "reading"),
    [
        (1, "yi"),
        (2, "er"),
        (5, "wu"),
        (9, "jiu"),
        (10, "shi"),
        (11, "shi yi"),
        (19, "shi jiu"),
        (20, "er shi"),
        (21, "er shi yi"),
        (99, "jiu shi jiu"),
        (100, "yibai"),
        (101, "yibai ling yi"),
        (105, "yibai ling wu"),
        (110, "yibai yi shi"),
        (111, "yibai yi shi yi"),
        (120, "yibai er shi"),
        (200, "er bai"),
        (201, "er bai ling yi"),
        (210, "er bai yi shi"),
        (305, "san bai ling wu"),
        (999, "jiu bai jiu shi jiu"),
    ],
)
def test_zh_window_numbers(n: int, reading: str) -> None:
    assert zh_number(n) == reading.split()


@pytest.mark.parametrize(
    ("n", "reading"),
    [
        (1, "one"),
        (5, "five"),
        (10, "ten"),
        (11, "eleven"),
        (19, "nineteen"),
        (20, "twenty"),
        (21, "twenty one"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (110, "one hundred ten"),
        (115, "one hundred fifteen"),
        (200, "two hundred"),
        (999, "nine hundred ninety nine"),
    ],
)
def test_en_window_numbers(n: int, reading: str) -> None:
    assert en_number(n) == [f"en_{w}" for w in reading.split()]


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_window_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        zh_number(n)
    with pytest.raises(ValueError):
        en_number(n)


@pytest.mark.parametrize(
    ("given", "expected"), [(5, 5), ("5", 5), ("05", 5), (" 12 ", 12), (999, 999)]
)
def test_parse_window_accepts(given: int | str, expected: int) -> None:
    assert parse_window(given) == expected


@pytest.mark.parametrize("given", [0, 1000, "0", "", "A5", "5号", "１２", "1.5", True, -3])
def test_parse_window_rejects(given: int | str) -> None:
    with pytest.raises(ValueError):
        parse_window(given)


@pytest.mark.parametrize(
    ("ticket", "zh", "en"),
    [
        ("A001", "A ling ling yi", "A zero zero one"),
        ("A010", "A ling yi ling", "A zero one zero"),
        ("A100", "A yi ling ling", "A one zero zero"),
        ("A023", "A ling er san", "A zero two three"),
        ("b789", "B qi ba jiu", "B seven eight nine"),
        ("023", "ling er san", "zero two three"),
        ("VIP4", "V I P si", "V I P four"),
        ("Z", "Z", "Z"),
    ],
)
def test_ticket_reading(ticket: str, zh: str, en: str) -> None:
    assert ticket_clips(ticket, "zh") == zh.split()
    expected_en = [w if len(w) == 1 and w.isupper() else f"en_{w}" for w in en.split()]
    assert ticket_clips(ticket, "en") == expected_en


def test_ticket_one_as_yao() -> None:
    assert ticket_clips("A101", "zh", one_as_yao=True) == ["A", "yao", "ling", "yao"]
    # English is unaffected: "yao" is a Chinese-only habit.
    assert ticket_clips("A1", "en") == ["A", "en_one"]


@pytest.mark.parametrize("ticket", ["", " ", "A-01", "A 01", "Ａ01", "甲01", "A０1", "A" * 13])
def test_ticket_rejects(ticket: str) -> None:
    with pytest.raises(ValueError):
        ticket_clips(ticket, "zh")


def words(text: str) -> list[str]:
    """Expected clip lists are easier to read as one string."""
    return text.split()


ZH_A023_5 = words("qing A ling er san hao dao wu hao chuangkou banli")
EN_A023_5 = words("en_number A en_zero en_two en_three en_please_go_to en_window en_five")


def test_call_chinese_only() -> None:
    assert build_call("A023", 5, english=False, repeat=1) == [CHIME, *ZH_A023_5]


def test_call_with_english() -> None:
    assert build_call("A023", "5", english=True, repeat=1) == [
        CHIME,
        *ZH_A023_5,
        PAUSE,
        *EN_A023_5,
    ]


@pytest.mark.parametrize("repeat", range(1, MAX_REPEAT + 1))
@pytest.mark.parametrize("english", [False, True])
def test_repeat_count(repeat: int, english: bool) -> None:
    names = build_call("A023", 5, english=english, repeat=repeat)
    assert names.count(CHIME) == 1, "the chime is heard once, before the first round"
    assert names.count("qing") == repeat
    assert names.count("en_number") == (repeat if english else 0)
    sentences = repeat * (2 if english else 1)
    assert names.count(PAUSE) == sentences - 1
    one_round = [CHIME, *ZH_A023_5] + ([PAUSE, *EN_A023_5] if english else [])
    assert names == one_round + [PAUSE, *one_round[1:]] * (repeat - 1)


@pytest.mark.parametrize("repeat", [0, -1, MAX_REPEAT + 1])
def test_repeat_out_of_range(repeat: int) -> None:
    with pytest.raises(ValueError):
        build_call("A023", 5, english=False, repeat=repeat)


def test_no_chime() -> None:
    assert build_call("A023", 5, english=False, repeat=1, chime=False) == ZH_A023_5


def test_short_and_recall_phrasing() -> None:
    short = build_call("A023", 5, english=False, repeat=1, phrasing=CALL_SHORT)
    assert short == [CHIME, *ZH_A023_5[:-1]]
    recall = build_recall("A023", 5, english=True, repeat=1)
    assert recall == [CHIME, "zaici_hujiao", *ZH_A023_5, PAUSE, "en_calling_again", *EN_A023_5]
    assert build_call("A023", 5, english=True, repeat=1, phrasing=RECALL) == recall


def test_templates_from_configuration() -> None:
    # Hanzi and clip names can be mixed; spacing is free.
    p = Phrasing.from_templates("请 {ticket} hao  到 {window} 号 窗口")
    assert p.chinese == CALL_SHORT.chinese
    assert p.english == CALL.english
    p = Phrasing.from_templates(
        "{ticket} 号 请 到 {window} 号 窗口 办理", "en_number {ticket} en_window {window}"
    )
    assert build_call("A1", 12, english=True, repeat=1, phrasing=p) == [
        CHIME,
        *words("A yi hao qing dao shi er hao chuangkou banli"),
        PAUSE,
        *words("en_number A en_one en_window en_twelve"),
    ]


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("请 {ticket} 号 到 {window} 号 柜台", None),  # 柜台 has no clip
        ("请 到 {window} 号 窗口", None),  # no ticket
        ("请 {ticket} 号", "please {ticket}"),
        ("请 {ticket} 号 ../etc", None),
    ],
)
def test_templates_rejected(chinese: str, english: str | None) -> None:
    with pytest.raises(ValueError):
        Phrasing.from_templates(chinese, english)


def test_every_built_name_is_a_known_clip() -> None:
    known = set(ALL_CLIP_NAMES)
    # 12 characters at most per ticket; together these cover every letter and digit.
    tickets = ["ABCDEFGHIJKL", "MNOPQRSTUVWX", "YZ0123456789"]
    for window in range(1, 1000):
        for phrasing in (CALL, RECALL, Phrasing(one_as_yao=True)):
            names = build_call(
                tickets[window % 3], window, english=True, repeat=1, phrasing=phrasing
            )
            assert set(names) <= known, window


def test_clip_names_unique_ignoring_case() -> None:
    # Override lookup ignores case (files copied from Windows), which is only
    # safe if no two clips differ by case alone.
    lowered = [n.lower() for n in ALL_CLIP_NAMES]
    assert len(lowered) == len(set(lowered))


def test_tables_have_tone_numbers_and_letters() -> None:
    assert [w.name for w in LETTERS] == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    for w in WORDS:
        if w.lang == "zh":
            for syllable in w.text.split():
                assert syllable[-1] in "12345", f"{w.name}: {syllable} lacks a tone number"
        else:
            assert not any(ch.isdigit() for ch in w.text), w.name
