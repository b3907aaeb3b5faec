"""The search rules: which tier a query finds an item at, typo tolerance, ranking.

Sounds (pinyin) are written out by hand: the rules take them as data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from server.domain.search import (
    TIER,
    Entry,
    Kind,
    Match,
    Query,
    Term,
    clean,
    match,
    normalise,
    one_edit_prefix,
    one_wrong_char,
    pinyin_whole,
    rank_key,
)

SOUNDS = {
    "居民身份证换领": "ju min shen fen zheng huan ling",
    "临时身份证办理": "lin shi shen fen zheng ban li",
    "身份证": "shen fen zheng",
    "二手房转移登记": "er shou fang zhuan yi deng ji",
    "过户": "guo hu",
    "有限责任公司设立登记": "you xian ze ren gong si she li deng ji",
    "营业执照": "ying ye zhi zhao",
    "注册公司": "zhu ce gong si",
    "社会保障卡申领": "she hui bao zhang ka shen ling",
    "社保卡": "she bao ka",
    "补办社保卡": "bu ban she bao ka",
    "社保": "she bao",
    "普通护照签发": "pu tong hu zhao qian fa",
    "护照": "hu zhao",
    "出国": "chu guo",
    "买房": "mai fang",
    "不动产登记中心": "bu dong chan deng ji zhong xin",
    "结婚登记": "jie hun deng ji",
    "结婚": "jie hun",
    "退休": "tui xiu",
}


def term(word: str, kind: Kind) -> Term:
    sounds = SOUNDS.get(word, " ".join(clean(w) for w in word.split())).split()
    return Term(word=word, text=clean(word), sounds=tuple(sounds), kind=kind)


def item(
    name: str,
    *,
    en: str = "",
    aliases: Sequence[str] = (),
    keywords: Sequence[str] = (),
    related: Sequence[str] = (),
    initials: str = "",
) -> Entry:
    words = [(name, Kind.NAME), *((a, Kind.ALIAS) for a in aliases)]
    words += [(k, Kind.KEYWORD) for k in keywords]
    words += [(en, Kind.ENGLISH)] if en else []
    words += [(r, Kind.RELATED) for r in related]
    return Entry(terms=tuple(term(w, k) for w, k in words), initials=initials)


def query(text: str, sounds: str = "") -> Query:
    return Query(text=normalise(text), sounds=tuple(sounds.split()))


ID_CARD = item(
    "居民身份证换领",
    en="ID card renewal",
    keywords=["身份证"],
    related=["退休"],
    initials="jmsfzhl",
)
RESALE = item(
    "二手房转移登记",
    en="Resale housing transfer registration",
    aliases=["过户"],
    related=["买房", "不动产登记中心"],
    initials="eszfzydj",
)
COMPANY = item(
    "有限责任公司设立登记",
    en="Limited company registration",
    aliases=["营业执照", "注册公司"],
    initials="yxzrgssldj",
)
CARD = item("社会保障卡申领", aliases=["社保卡"], keywords=["补办社保卡"])
PASSPORT = item(
    "普通护照签发", en="Ordinary passport issuance", aliases=["护照"], keywords=["出国", "passport"]
)
MARRIAGE = item("结婚登记", en="Marriage registration", aliases=["结婚"])


@pytest.mark.parametrize(
    ("entry", "q", "sounds", "tier", "label", "word"),
    [
        # Chinese as typed: the name, then aliases, then keywords.
        (MARRIAGE, "结婚登记", "", "name_exact", "name", "结婚登记"),
        (COMPANY, "营业执照", "", "alias_exact", "alias", "营业执照"),
        (RESALE, "二手房", "", "name_start", "name", "二手房转移登记"),
        (COMPANY, "营业", "", "alias_start", "alias", "营业执照"),
        (ID_CARD, "身份证", "", "name_part", "name", "居民身份证换领"),
        (COMPANY, "执照", "", "alias_part", "alias", "营业执照"),
        (PASSPORT, "出国", "", "keyword_exact", "keyword", "出国"),
        (CARD, "补办", "", "keyword_start", "keyword", "补办社保卡"),
        (CARD, "办社保", "", "keyword_part", "keyword", "补办社保卡"),
        (PASSPORT, "我要办护照", "", "says_word", "keyword", "护照"),
        # Pinyin: a whole word before the start of a name, before its middle.
        (COMPANY, "yyzz", "", "pinyin_whole", "pinyin", "营业执照"),
        (ID_CARD, "sfz", "", "pinyin_keyword_whole", "pinyin", "身份证"),
        (ID_CARD, "shenfenzheng", "", "pinyin_keyword_whole", "pinyin", "身份证"),
        (MARRIAGE, "jhdj", "", "pinyin_whole", "pinyin", "结婚登记"),
        (RESALE, "ershou", "", "pinyin_start", "pinyin", "二手房转移登记"),
        (RESALE, "sfz", "", "pinyin_part", "pinyin", "二手房转移登记"),
        (ID_CARD, "jmsfz", "", "pinyin_start", "pinyin", "居民身份证换领"),
        (RESALE, "zfzy", "", "initials", "initials", "eszfzydj"),
        # English: the whole name or its start like an alias; inside it, weakly.
        (MARRIAGE, "Marriage registration", "", "alias_exact", "english", "Marriage registration"),
        (MARRIAGE, "marri", "", "alias_start", "english", "Marriage registration"),
        (ID_CARD, "card", "", "english", "english", "ID card renewal"),
        (PASSPORT, "passport", "", "keyword_exact", "keyword", "passport"),
        # Typos.
        (CARD, "社保咔", "she bao ka", "sounds_like", "fuzzy", "社保卡"),
        (ID_CARD, "身分证", "shen fen zheng", "sounds_like", "fuzzy", "身份证"),
        (PASSPORT, "户照", "hu zhao", "sounds_like", "fuzzy", "护照"),
        (ID_CARD, "民身分", "min shen fen", "homophone", "fuzzy", "居民身份证换领"),
        (COMPANY, "营业执造", "ying ye zhi zao", "fuzzy", "fuzzy", "营业执照"),
        (ID_CARD, "shengfenzheng", "", "fuzzy", "fuzzy", "居民身份证换领"),
        (COMPANY, "yingyezhizao", "", "fuzzy", "fuzzy", "营业执照"),
        (PASSPORT, "huzao", "", "fuzzy", "fuzzy", "普通护照签发"),
        (PASSPORT, "pasport", "", "fuzzy", "fuzzy", "passport"),
        (MARRIAGE, "jeihun", "", "fuzzy", "fuzzy", "结婚登记"),
        (MARRIAGE, "mariage", "", "fuzzy", "fuzzy", "Marriage registration"),
        # The life event, the department, the queue.
        (RESALE, "买房", "", "related", "related", "买房"),
        (RESALE, "bdc", "", "related", "related", "不动产登记中心"),
        (ID_CARD, "tx", "", "related", "related", "退休"),
    ],
)
def test_the_tier_and_label_of_a_match(
    entry: Entry, q: str, sounds: str, tier: str, label: str, word: str
) -> None:
    found = match(query(q, sounds), entry)
    assert found is not None
    assert (TIERS_BY_RANK[found.tier], found.label, found.word) == (tier, label, word)


TIERS_BY_RANK = {rank: name for name, rank in TIER.items()}


@pytest.mark.parametrize(
    ("entry", "q", "sounds"),
    [
        (MARRIAGE, "", ""),
        (MARRIAGE, "不存在的事项", "bu cun zai de shi xiang"),
        (MARRIAGE, "zzzzzz", ""),
        (COMPANY, "jhdj", ""),
        # A typo needs four letters or three characters: shorter, it is another word.
        (PASSPORT, "hzo", ""),
        (MARRIAGE, "结姻", "jie yin"),  # one wrong of two (not the same sound)
        # Two wrong characters, or two letters, are not one typo.
        (COMPANY, "营造执造", "ying zao zhi zao"),
        (PASSPORT, "hozao", ""),
        # One or two Latin letters are the start of pinyin, not of an English word.
        (PASSPORT, "pa", ""),
    ],
)
def test_no_match(entry: Entry, q: str, sounds: str) -> None:
    assert match(query(q, sounds), entry) is None


def ranked(q: str, entries: dict[str, tuple[Entry, int]], sounds: str = "") -> list[str]:
    found = []
    for code, (entry, hot) in entries.items():
        m = match(query(q, sounds), entry)
        if m is not None:
            found.append((rank_key(m, 0, hot, code), code))
    return [code for _, code in sorted(found)]


def test_sfz_finds_the_id_card_before_a_hotter_name_that_fits_by_chance() -> None:
    """二手房转移登记 fits s-f-z (shou fang zhuan) and is hotter; 身份证 is a whole word."""
    entries = {"C02": (RESALE, 92), "D01": (ID_CARD, 88)}
    assert ranked("sfz", entries) == ["D01", "C02"]


def test_popularity_breaks_ties_within_a_tier_only() -> None:
    twin = item("临时身份证办理", keywords=["身份证"])
    assert ranked("身份证", {"D01": (ID_CARD, 88), "D05": (twin, 58)}) == ["D01", "D05"]
    assert ranked("身份证", {"D01": (ID_CARD, 58), "D05": (twin, 88)}) == ["D05", "D01"]
    # A better match wins whatever the popularity.
    assert ranked("护照", {"D06": (PASSPORT, 1), "F01": (item("出国护照", keywords=[]), 99)}) == [
        "D06",
        "F01",
    ]


def test_a_sentence_finds_the_longest_word_it_says() -> None:
    entries = {"B03": (CARD, 10), "B01": (item("城乡居民养老保险参保登记", keywords=["社保"]), 90)}
    assert ranked("社保卡丢了", entries) == ["B03", "B01"]


def test_a_whole_word_that_sounds_alike_beats_a_word_the_query_holds() -> None:
    entries = {"B03": (CARD, 10), "B01": (item("城乡居民养老保险参保登记", keywords=["社保"]), 90)}
    assert ranked("社保咔", entries, "she bao ka") == ["B03", "B01"]


def test_rank_key_orders_tier_then_cover_then_recent_then_hot_then_code() -> None:
    says_long = Match(TIER["says_word"], "社保卡", "keyword", cover=3)
    says_short = Match(TIER["says_word"], "社保", "keyword", cover=2)
    exact = Match(TIER["name_exact"], "x", "name")
    keys = [
        rank_key(says_short, 9, 9, "A"),
        rank_key(says_long, 0, 0, "B"),
        rank_key(exact, 0, 0, "Z"),
        rank_key(exact, 1, 0, "Y"),
        rank_key(exact, 1, 5, "X"),
        rank_key(exact, 1, 5, "W"),
    ]
    assert [k[-1] for k in sorted(keys)] == ["W", "X", "Y", "Z", "B", "A"]


@pytest.mark.parametrize(
    ("q", "text", "typo"),
    [
        ("pasport", "passport", True),  # missing
        ("passsport", "passport", True),  # extra
        ("passpert", "passport", True),  # wrong
        ("psasport", "passport", True),  # swapped
        ("shenfenzhengg", "shenfenzheng", True),  # extra at the end
        ("huzao", "huzhaoban", True),  # the word goes on: its start counts
        ("passport", "passport", False),  # no typo
        ("pass", "passport", False),  # a start, no typo
        ("pasprt", "passport", False),  # two
        ("xassporx", "passport", False),
        ("", "passport", False),
    ],
)
def test_one_edit_prefix(q: str, text: str, typo: bool) -> None:
    assert one_edit_prefix(q, text) is typo


def test_one_wrong_char_and_whole_pinyin() -> None:
    assert one_wrong_char("营业执造", "个体户营业执照")
    assert not one_wrong_char("营业执照", "个体户营业执照")  # none wrong
    assert not one_wrong_char("营造执造", "营业执照")
    sounds = ("shen", "fen", "zheng")
    assert pinyin_whole("sfz", sounds) and pinyin_whole("shenfenzheng", sounds)
    assert pinyin_whole("shenfzh", sounds)
    assert not pinyin_whole("sf", sounds) and not pinyin_whole("fz", sounds)
    assert not pinyin_whole("sfzz", sounds) and not pinyin_whole("", sounds)


def test_normalise() -> None:
    assert normalise("  ＳＦＺ ") == "sfz"  # full-width, from a Chinese input method
    assert normalise("Driver's licence") == "driverslicence"
    assert normalise("lü") == "lv"
    assert normalise("身份证，丢了！") == "身份证丢了"
    assert len(normalise("啊" * 40)) == 32
