"""How well what a citizen types finds a service item, best first.

A query is compared with each of an item's words: its name, its aliases (what people
call it: 营业执照, 社保卡, 低保), its keywords (words that lead to it: 过户, 出国), its
English name, and the related words (life events, department, queue). Chinese words
match as typed (exact, start, inside, or the query says the whole word); Latin letters
as pinyin, in full or by syllable starts (sfz, shenfenzheng, shenfzh); typos within one
letter (pinyin, English) or one character (Chinese; any same-sounding character).

The services turn Chinese into pinyin (pypinyin) and pass each word's syllables in as
plain data: nothing here reads a dictionary. Ranking is by match quality (the tier);
popularity only breaks ties within a tier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

MAX_QUERY = 32
# Shorter Latin queries are initials or the start of a word: a typo cannot be told apart.
FUZZY_MIN_LETTERS = 4
# One wrong character in two is a different word.
FUZZY_MIN_HAN = 3
# Latin substrings shorter than this are too common to mean anything (English).
ENGLISH_MIN = 3


class Kind(Enum):
    NAME = "name"
    ALIAS = "alias"
    KEYWORD = "keyword"
    ENGLISH = "english"
    RELATED = "related"


# The tiers, best first, and the label each gives a result (the kiosk shows why it
# matched). Names and aliases are an item's names, so they come before keywords at
# each quality; pinyin spelling a whole word beats pinyin fitting the start of a name,
# which beats pinyin fitting its middle (short initials fit many names by chance).
TIERS: tuple[tuple[str, str], ...] = (
    ("name_exact", "name"),
    ("alias_exact", "alias"),
    ("name_start", "name"),
    ("alias_start", "alias"),
    ("name_part", "name"),
    ("alias_part", "alias"),
    ("keyword_exact", "keyword"),
    ("keyword_start", "keyword"),
    ("keyword_part", "keyword"),
    ("sounds_like", "fuzzy"),  # 社保咔, 低宝: a whole word, some characters same-sounding
    ("says_word", "keyword"),  # 我要办护照: the query holds a whole word; longer words first
    ("pinyin_whole", "pinyin"),
    ("pinyin_keyword_whole", "pinyin"),
    ("pinyin_start", "pinyin"),
    ("pinyin_keyword_start", "pinyin"),
    ("pinyin_part", "pinyin"),
    ("pinyin_keyword_part", "pinyin"),
    ("initials", "initials"),
    ("english", "english"),
    ("homophone", "fuzzy"),  # same-sounding characters inside a word
    ("fuzzy", "fuzzy"),
    ("related", "related"),
)
TIER = {name: rank for rank, (name, _) in enumerate(TIERS)}
LABELS = tuple(label for _, label in TIERS)

# Text tiers by (kind, how): names and the English name share the name tiers.
_TEXT_TIER = {
    (Kind.NAME, "exact"): "name_exact",
    (Kind.NAME, "start"): "name_start",
    (Kind.NAME, "part"): "name_part",
    (Kind.ALIAS, "exact"): "alias_exact",
    (Kind.ALIAS, "start"): "alias_start",
    (Kind.ALIAS, "part"): "alias_part",
    (Kind.KEYWORD, "exact"): "keyword_exact",
    (Kind.KEYWORD, "start"): "keyword_start",
    (Kind.KEYWORD, "part"): "keyword_part",
    (Kind.ENGLISH, "exact"): "alias_exact",
    (Kind.ENGLISH, "start"): "alias_start",
    (Kind.ENGLISH, "part"): "english",
}
_PINYIN_TIER = {
    (True, "whole"): "pinyin_whole",
    (True, "start"): "pinyin_start",
    (True, "part"): "pinyin_part",
    (False, "whole"): "pinyin_keyword_whole",
    (False, "start"): "pinyin_keyword_start",
    (False, "part"): "pinyin_keyword_part",
}

# Full-width Latin letters and digits (ＳＦＺ, typed with a Chinese input method).
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


@dataclass(frozen=True)
class Term:
    """One of an item's words: as shown, as compared (``clean``), and its sounds."""

    word: str
    text: str
    # Pinyin syllables of its Chinese characters, without tones; Latin words whole.
    sounds: tuple[str, ...]
    kind: Kind


@dataclass(frozen=True)
class Entry:
    """An item as search sees it."""

    terms: tuple[Term, ...]
    initials: str = ""  # the catalogue's own pinyin initials (yxzrgssldj)


@dataclass(frozen=True)
class Query:
    text: str  # normalise()d
    sounds: tuple[str, ...] = ()  # its pinyin, for same-sounding characters


@dataclass(frozen=True)
class Match:
    tier: int
    word: str  # the item's word that matched, as shown
    label: str  # why, for the kiosk: the tier's label, or "english" for the English name
    cover: int = 0  # says_word: how much of the query the word covers

    def quality(self) -> tuple[int, int]:
        """Lower is better."""
        return self.tier, -self.cover


def clean(text: str) -> str:
    """Lower case, half-width, ü as v, without spaces and punctuation."""
    text = text.translate(_FULL_WIDTH).lower().replace("ü", "v")
    return "".join(c for c in text if c.isalnum())


def normalise(query: str) -> str:
    return clean(query)[:MAX_QUERY]


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _typed_from(query: str, sounds: tuple[str, ...], *, to_end: bool) -> Callable[[int], bool]:
    """Whether ``query`` is typed by syllable i and the ones after it, each in full or by
    its start (and, ``to_end``, through the last syllable)."""
    m, n = len(query), len(sounds)
    failed: set[tuple[int, int]] = set()  # (p, i): query[p:] can't be typed from syllable i

    def fits(p: int, i: int) -> bool:
        if p == m:
            return i == n or not to_end
        if i == n or (p, i) in failed:
            return False
        syl = sounds[i]
        k, limit = 0, min(len(syl), m - p)
        while k < limit and query[p + k] == syl[k]:
            k += 1
            if fits(p + k, i + 1):
                return True
        failed.add((p, i))
        return False

    return lambda i: m > 0 and fits(0, i)


def pinyin_match(query: str, sounds: tuple[str, ...]) -> int | None:
    """Where ``query`` matches a run of syllables, each typed in full or by its start
    (bdc, budongchan, budchan, bdchan all find 不动产); the first syllable index or None."""
    typed_from = _typed_from(query, sounds, to_end=False)
    return next((i for i in range(len(sounds)) if typed_from(i)), None)


def pinyin_whole(query: str, sounds: tuple[str, ...]) -> bool:
    """``query`` spells every syllable, in order, each in full or by its start (sfz: 身份证)."""
    return bool(sounds) and _typed_from(query, sounds, to_end=True)(0)


def one_edit_prefix(query: str, text: str) -> bool:
    """``text`` starts with ``query`` typed with one letter wrong, missing or extra, or
    two neighbours swapped (not with ``query`` itself: that is no typo)."""
    m, n = len(query), len(text)
    j = 0
    while j < m and j < n and query[j] == text[j]:
        j += 1
    if j == m:
        return False
    if j == n:
        return m - j == 1
    # Each comparison holds only when its two slices are as long as it needs.
    return (
        query[j + 1 :] == text[j + 1 : m]  # wrong
        or query[j:] == text[j + 1 : m + 1]  # missing
        or query[j + 1 :] == text[j : m - 1]  # extra
        or (
            j + 1 < m
            and j + 1 < n
            and query[j] == text[j + 1]
            and query[j + 1] == text[j]
            and query[j + 2 :] == text[j + 2 : m]
        )
    )


def one_wrong_char(query: str, text: str) -> bool:
    """``text`` holds ``query`` with exactly one character different."""
    m = len(query)
    return any(
        sum(a != b for a, b in zip(query, text[i : i + m], strict=True)) == 1
        for i in range(len(text) - m + 1)
    )


def sounds_inside(query: tuple[str, ...], sounds: tuple[str, ...]) -> bool:
    """The query's syllables are a run of the word's: same sounds, other characters."""
    m = len(query)
    return any(sounds[i : i + m] == query for i in range(len(sounds) - m + 1))


def _hit(tier: str, term: Term, cover: int = 0) -> Match:
    rank = TIER[tier]
    label = "english" if term.kind is Kind.ENGLISH and tier != "fuzzy" else LABELS[rank]
    return Match(rank, term.word, label, cover)


def _text(q: str, term: Term, latin: bool) -> Match | None:
    text = term.text
    how = "exact" if q == text else "start" if text.startswith(q) else "part" if q in text else None
    if how is None or (latin and how != "exact" and len(q) < ENGLISH_MIN):
        return None  # a letter or two is the start of pinyin, not of an English word
    if latin and how == "part":
        return _hit("english", term)  # inside an English word: weak
    return _hit(_TEXT_TIER[term.kind, how], term)


def _pinyin(q: str, term: Term) -> Match | None:
    at = pinyin_match(q, term.sounds)
    if at is None:
        return None
    how = "whole" if at == 0 and pinyin_whole(q, term.sounds) else "start" if at == 0 else "part"
    return _hit(_PINYIN_TIER[term.kind is not Kind.KEYWORD, how], term)


def _fuzzy_latin(q: str, term: Term) -> Match | None:
    sounds = term.sounds
    for start in range(len(sounds)):
        if one_edit_prefix(q, "".join(sounds[start:])):
            return _hit("fuzzy", term)
    return None


def _fuzzy_han(query: Query, term: Term) -> Match | None:
    q = query.text
    if len(query.sounds) == len(q) >= 2:
        if query.sounds == term.sounds:
            return _hit("sounds_like", term)
        if sounds_inside(query.sounds, term.sounds):
            return _hit("homophone", term)
    if len(q) >= FUZZY_MIN_HAN and one_wrong_char(q, term.text):
        return _hit("fuzzy", term)
    return None


def _related(q: str, term: Term, latin: bool) -> Match | None:
    if q in term.text or (latin and q.isalpha() and pinyin_match(q, term.sounds) == 0):
        return _hit("related", term)
    return None


def _term_matches(query: Query, term: Term, latin: bool, han: bool) -> list[Match | None]:
    q = query.text
    if term.kind is Kind.RELATED:
        return [_related(q, term, latin)]
    found = [_text(q, term, latin)]
    if found[0] is not None and found[0].tier < TIER["says_word"]:
        return found  # nothing else can beat it
    if not latin and len(term.text) >= 2 and term.text in q:
        found.append(_hit("says_word", term, cover=len(term.text)))
    if latin and any(map(is_han, term.word)):  # an English word's "syllables" are no pinyin
        found.append(_pinyin(q, term))
    if latin and len(q) >= FUZZY_MIN_LETTERS:
        found.append(_fuzzy_latin(q, term))
    if han:
        found.append(_fuzzy_han(query, term))
    return found


def match(query: Query, entry: Entry) -> Match | None:
    """The best way ``query`` finds ``entry``; None if it doesn't."""
    q = query.text
    if not q:
        return None
    latin = q.isascii() and q.isalnum()
    han = all(is_han(c) for c in q)
    found = [m for term in entry.terms for m in _term_matches(query, term, latin, han) if m]
    if latin and q in entry.initials:
        found.append(Match(TIER["initials"], entry.initials, "initials"))
    return min(found, key=Match.quality) if found else None


def rank_key(found: Match, recent: int, hot: int, code: str) -> tuple[int, int, int, int, str]:
    """Better matches first; within a tier, the item ticketed most lately, then the
    hall's own ranking (hot), then the code, for a stable order."""
    return found.tier, -found.cover, -recent, -hot, code
