"""The pinyin matcher behind kiosk search."""

from __future__ import annotations

import pytest

from server.services.search import normalise, pinyin_match, syllables

BDC = syllables("不动产登记资料查询")


def test_syllables_of_chinese_and_latin() -> None:
    assert BDC == ("bu", "dong", "chan", "deng", "ji", "zi", "liao", "cha", "xun")
    assert syllables("ID卡申领2") == ("id", "ka", "shen", "ling", "2")
    assert syllables("绿色通道") == ("lv", "se", "tong", "dao")
    # English words stay whole: a typo in one is measured against the word.
    assert syllables("Driving licence") == ("driving", "licence")
    assert syllables("driver's license") == ("driver", "s", "license")


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("bdc", 0),
        ("budongchan", 0),
        ("budchan", 0),
        ("bdchan", 0),
        ("bdcdjzlcx", 0),
        ("dongc", 1),
        ("djzl", 3),
        ("chaxun", 7),
        ("cx", 7),
    ],
)
def test_initials_full_and_mixed_pinyin(query: str, start: int) -> None:
    assert pinyin_match(query, BDC) == start


@pytest.mark.parametrize("query", ["bdx", "xunb", "budongchanx", "", "bcd", "dbc"])
def test_no_match_out_of_order_or_past_the_end(query: str) -> None:
    assert pinyin_match(query, BDC) is None


def test_queries_are_normalised() -> None:
    assert normalise("  BD C ") == "bdc"
    assert len(normalise("a" * 100)) == 32
