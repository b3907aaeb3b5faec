"""Turn a call ("ticket A023 to window 5") into the ordered clip names to play.

Pure: no I/O, no audio. The tables here are the single source of truth for
every spoken word; ``clips.py`` derives the generation catalogue from them so
a word cannot be used in a sentence without also being generated.

Reading rules (chosen for a government hall, documented for the hall staff):

* Ticket: letters are spoken as English letter names ("A" = "ei"), which is
  how halls across China read ticket prefixes; digits are read one by one so
  "A023" is A 零 二 三 and the zero padding is always heard.
* Window: a Chinese cardinal number, 1..999. 10 is 十 (not 一十), 11 is 十一,
  105 is 一百零五, 110 is 一百一十. 200 is read 二百 rather than the colloquial
  两百: it is the formal reading used in announcements and keeps the clip set
  small (no 两 clip). 一百 is one clip so the tone sandhi (yì bǎi) is right.
* English: "Number A zero two three, please go to window one hundred five"
  (American style, no "and").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]

#: Placeholders a phrasing template may contain.
TICKET = "{ticket}"
WINDOW = "{window}"

#: Synthesised (not spoken) clips, produced in Python by ``chime.py``.
CHIME = "chime"
PAUSE = "pause"

MAX_WINDOW = 999
MAX_REPEAT = 5


@dataclass(frozen=True)
class Word:
    """One clip that espeak-ng speaks.

    ``text`` is what espeak-ng is given: pinyin with tone numbers for Chinese
    (voice cmn-latn-pinyin), plain English otherwise. ``gloss`` is what a
    person reads (hanzi or English) and may be used in templates.
    """

    name: str
    text: str
    lang: Lang
    gloss: str


# Index = digit value.
ZH_DIGITS: tuple[Word, ...] = (
    Word("ling", "ling2", "zh", "零"),
    Word("yi", "yi1", "zh", "一"),
    Word("er", "er4", "zh", "二"),
    Word("san", "san1", "zh", "三"),
    Word("si", "si4", "zh", "四"),
    Word("wu", "wu3", "zh", "五"),
    Word("liu", "liu4", "zh", "六"),
    Word("qi", "qi1", "zh", "七"),
    Word("ba", "ba1", "zh", "八"),
    Word("jiu", "jiu3", "zh", "九"),
)

ZH_NUMBER_WORDS: tuple[Word, ...] = (
    Word("shi", "shi2", "zh", "十"),
    Word("bai", "bai3", "zh", "百"),
    # 一 before 百 changes tone (yì bǎi); one clip avoids a wrong-tone "yī bǎi".
    Word("yibai", "yi4 bai3", "zh", "一百"),
    # 幺: the "phone number" reading of 1, optional via Phrasing.one_as_yao.
    Word("yao", "yao1", "zh", "幺"),
)

ZH_PHRASES: tuple[Word, ...] = (
    Word("qing", "qing3", "zh", "请"),
    Word("hao", "hao4", "zh", "号"),
    Word("dao", "dao4", "zh", "到"),
    Word("chuangkou", "chuang1 kou3", "zh", "窗口"),
    Word("banli", "ban4 li3", "zh", "办理"),
    Word("zaici_hujiao", "zai4 ci4 hu1 jiao4", "zh", "再次呼叫"),
)

LETTERS: tuple[Word, ...] = tuple(
    Word(chr(c), chr(c), "en", chr(c)) for c in range(ord("A"), ord("Z") + 1)
)

_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

EN_NUMBER_WORDS: tuple[Word, ...] = tuple(
    Word(f"en_{w}", w, "en", w) for w in (*_EN_UNITS, *_EN_TEENS, *_EN_TENS, "hundred")
)

EN_PHRASES: tuple[Word, ...] = (
    Word("en_number", "Number", "en", "Number"),
    Word("en_please_go_to", "please go to", "en", "please go to"),
    Word("en_window", "window", "en", "window"),
    Word("en_calling_again", "Calling again", "en", "Calling again"),
)

WORDS: tuple[Word, ...] = (
    *ZH_DIGITS,
    *ZH_NUMBER_WORDS,
    *ZH_PHRASES,
    *LETTERS,
    *EN_NUMBER_WORDS,
    *EN_PHRASES,
)

#: Every clip name a sentence may contain, spoken or synthesised.
ALL_CLIP_NAMES: tuple[str, ...] = (CHIME, PAUSE, *(w.name for w in WORDS))

_BY_NAME: Mapping[str, Word] = {w.name: w for w in WORDS}
# Template tokens may be written as hanzi/English gloss ("请") or clip name
# ("qing"); glosses of letters/digits are excluded because they are ambiguous.
_BY_GLOSS: Mapping[str, str] = {w.gloss: w.name for w in (*ZH_PHRASES, *EN_PHRASES)}


# --- numbers -----------------------------------------------------------------


def zh_digits(digits: str, *, one_as_yao: bool = False) -> list[str]:
    """Digits read one by one: "023" -> 零 二 三."""
    out = []
    for ch in digits:
        d = _digit(ch)
        out.append("yao" if one_as_yao and d == 1 else ZH_DIGITS[d].name)
    return out


def zh_number(n: int) -> list[str]:
    """Chinese cardinal reading of 1..999 as clip names."""
    _check_window(n)
    hundreds, rest = divmod(n, 100)
    out: list[str] = []
    if hundreds:
        out += ["yibai"] if hundreds == 1 else [ZH_DIGITS[hundreds].name, "bai"]
        if rest == 0:
            return out
        if rest < 10:
            # 一百零五: the gap in the tens place is spoken as 零.
            return [*out, "ling", ZH_DIGITS[rest].name]
        # After a hundred the ten keeps its 一: 一百一十, not 一百十.
        tens, ones = divmod(rest, 10)
        out += [ZH_DIGITS[tens].name, "shi"]
        return out + ([ZH_DIGITS[ones].name] if ones else [])
    tens, ones = divmod(rest, 10)
    if tens:
        # Bare 10..19 drop the leading 一: 十, 十一.
        out += ["shi"] if tens == 1 else [ZH_DIGITS[tens].name, "shi"]
    if ones or not out:
        out.append(ZH_DIGITS[ones].name)
    return out


def en_digits(digits: str) -> list[str]:
    return [f"en_{_EN_UNITS[_digit(ch)]}" for ch in digits]


def en_number(n: int) -> list[str]:
    """English cardinal reading of 1..999: 105 -> one hundred five."""
    _check_window(n)
    hundreds, rest = divmod(n, 100)
    out: list[str] = []
    if hundreds:
        out += [f"en_{_EN_UNITS[hundreds]}", "en_hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        out.append(f"en_{_EN_TENS[tens - 2]}")
        if ones:
            out.append(f"en_{_EN_UNITS[ones]}")
    elif rest >= 10:
        out.append(f"en_{_EN_TEENS[rest - 10]}")
    elif rest or not out:
        out.append(f"en_{_EN_UNITS[rest]}")
    return out


def _digit(ch: str) -> int:
    if len(ch) != 1 or not "0" <= ch <= "9":
        raise ValueError(f"not a digit: {ch!r}")
    return ord(ch) - ord("0")


def _check_window(n: int) -> None:
    if not 1 <= n <= MAX_WINDOW:
        raise ValueError(f"window number must be 1..{MAX_WINDOW}, got {n}")


# --- tickets and windows ------------------------------------------------------

# ASCII only: str.isalnum() would also accept full-width and CJK characters.
_TICKET_RE = re.compile(r"[A-Za-z0-9]{1,12}")


def ticket_clips(ticket: str, lang: Lang, *, one_as_yao: bool = False) -> list[str]:
    """Letters as letter clips, digits one by one in ``lang``."""
    ticket = ticket.strip()
    if not _TICKET_RE.fullmatch(ticket):
        raise ValueError(f"ticket must be 1-12 ASCII letters/digits, got {ticket!r}")
    out: list[str] = []
    for ch in ticket.upper():
        if ch.isdigit():
            out += en_digits(ch) if lang == "en" else zh_digits(ch, one_as_yao=one_as_yao)
        else:
            out.append(ch)
    return out


def parse_window(window: int | str) -> int:
    """Accept 5, "5" or "05"; reject anything that is not 1..999."""
    if isinstance(window, bool):  # bool is an int subclass; True is not window 1
        raise ValueError("window must be a number")
    if isinstance(window, str):
        text = window.strip()
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"window must be a number, got {window!r}")
        window = int(text)
    _check_window(window)
    return window


# --- phrasing -------------------------------------------------------------------


@dataclass(frozen=True)
class Phrasing:
    """How a hall words a call: token sequences with ``{ticket}``/``{window}``.

    Tokens are clip names; build one from configuration text with
    :meth:`from_templates`.
    """

    chinese: tuple[str, ...] = ("qing", TICKET, "hao", "dao", WINDOW, "hao", "chuangkou", "banli")
    english: tuple[str, ...] = ("en_number", TICKET, "en_please_go_to", "en_window", WINDOW)
    #: Read ticket digit 1 as 幺 (yāo), as some halls do to avoid 一/七 mix-ups.
    one_as_yao: bool = False

    def __post_init__(self) -> None:
        for label, tokens in (("chinese", self.chinese), ("english", self.english)):
            if TICKET not in tokens:
                raise ValueError(f"{label} phrasing must contain {TICKET}")
            for tok in tokens:
                if tok not in (TICKET, WINDOW) and tok not in ALL_CLIP_NAMES:
                    raise ValueError(f"{label} phrasing: unknown clip {tok!r}")

    @classmethod
    def from_templates(
        cls, chinese: str, english: str | None = None, *, one_as_yao: bool = False
    ) -> Phrasing:
        """Parse whitespace-separated tokens, e.g. "请 {ticket} 号 到 {window} 号 窗口".

        A token is a placeholder, a clip name ("qing") or a phrase as written
        ("请", "窗口", "please go to" must be the clip name en_please_go_to
        because it contains spaces).
        """
        default = cls()
        return cls(
            chinese=_parse_template(chinese),
            english=_parse_template(english) if english is not None else default.english,
            one_as_yao=one_as_yao,
        )


def _parse_template(text: str) -> tuple[str, ...]:
    return tuple(_BY_GLOSS.get(tok, tok) for tok in text.split())


#: The standard call: 请 A023 号 到 5 号窗口办理 / Number A023, please go to window 5.
CALL = Phrasing()
#: Without 办理, for halls that prefer the shorter sentence.
CALL_SHORT = Phrasing(chinese=CALL.chinese[:-1])
#: A recall says so first: 再次呼叫，请 A023 号 … / Calling again. Number A023 …
RECALL = Phrasing(
    chinese=("zaici_hujiao", *CALL.chinese),
    english=("en_calling_again", *CALL.english),
)


def expand(tokens: Iterable[str], ticket: Sequence[str], window: Sequence[str]) -> list[str]:
    """Substitute placeholders in a phrasing token list."""
    out: list[str] = []
    for tok in tokens:
        if tok == TICKET:
            out += ticket
        elif tok == WINDOW:
            out += window
        else:
            out.append(tok)
    return out


def build_call(
    ticket: str,
    window: int | str,
    *,
    english: bool,
    repeat: int,
    phrasing: Phrasing = CALL,
    chime: bool = True,
) -> list[str]:
    """Clip names for one announcement.

    Layout: chime once, then ``repeat`` rounds of the Chinese sentence
    (followed by the English one if ``english``), with a ``pause`` clip
    between sentences so languages and rounds do not run together.
    """
    if not 1 <= repeat <= MAX_REPEAT:
        raise ValueError(f"repeat must be 1..{MAX_REPEAT}, got {repeat}")
    n = parse_window(window)
    zh = expand(
        phrasing.chinese,
        ticket_clips(ticket, "zh", one_as_yao=phrasing.one_as_yao),
        zh_number(n),
    )
    sentences = [zh]
    if english:
        sentences.append(expand(phrasing.english, ticket_clips(ticket, "en"), en_number(n)))
    out = [CHIME] if chime else []
    for i in range(repeat):
        for j, sentence in enumerate(sentences):
            if i or j:
                out.append(PAUSE)
            out += sentence
    return out


def build_recall(
    ticket: str, window: int | str, *, english: bool, repeat: int, chime: bool = True
) -> list[str]:
    """Same as :func:`build_call` with the "calling again" wording."""
    return build_call(ticket, window, english=english, repeat=repeat, phrasing=RECALL, chime=chime)


def word(name: str) -> Word:
    """Look up a spoken clip's table entry (KeyError for chime/pause/unknown)."""
    return _BY_NAME[name]
