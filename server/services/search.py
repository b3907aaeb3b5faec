"""Finding a service item at the kiosk: Chinese words, pinyin initials (bdc -> 不动产),
full or partial pinyin (budongchan, budchan), English, and life events (一件事).

Hot items first: the items most ticketed in the last weeks, then the hall's own ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from server.store import catalogue as store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store.db import Session

from .catalogue import item_summary
from .hub import Hub

RECENT_DAYS = 28
MAX_QUERY = 32

# Common life events (一件事) in the order a kiosk offers them, with their English names.
# Items name their events in ServiceItem.life_events; events not listed here follow,
# under their Chinese name.
LIFE_EVENTS: tuple[tuple[str, str], ...] = (
    ("开办企业", "Starting a business"),
    ("买房", "Buying a home"),
    ("生育", "Having a baby"),
    ("退休", "Retiring"),
    ("结婚", "Getting married"),
    ("就业", "Getting a job"),
    ("迁居", "Moving house"),
    ("困难救助", "Hardship support"),
)
LIFE_EVENT_EN = dict(LIFE_EVENTS)
LIFE_EVENT_ORDER = {name: i for i, (name, _) in enumerate(LIFE_EVENTS)}

# How well an item matches, best first: (tier, label). The label tells the kiosk why.
NAME_EXACT, NAME_START, NAME_PART, PINYIN_START, PINYIN_PART, INITIALS, ENGLISH, RELATED = range(8)
MATCH_LABELS = (
    "name",
    "name",
    "name",
    "pinyin",
    "pinyin",
    "initials",
    "english",
    "related",
)


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of ``text`` without tones; other letters and digits one by one."""
    out: list[str] = []
    for chunk in lazy_pinyin(text):
        word = chunk.lower()
        if word.isascii() and word.isalpha():
            out.append(word)  # a syllable, or a Latin word (ID) typed like one
        else:
            out.extend(c for c in word if c.isascii() and c.isalnum())
    return tuple(out)


def pinyin_match(query: str, sylls: tuple[str, ...]) -> int | None:
    """Where ``query`` matches a run of syllables, each typed in full or by its start
    (bdc, budongchan, budchan, bdchan all find 不动产); the first syllable index or None."""
    n, m = len(sylls), len(query)
    if m == 0:
        return None
    # can[i][p]: the rest of the query from p can be typed with syllables from i on.
    can = [[False] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        can[i][m] = True
    for i in range(n - 1, -1, -1):
        syl = sylls[i]
        for p in range(m - 1, -1, -1):
            limit = min(len(syl), m - p)
            can[i][p] = any(
                query[p : p + k] == syl[:k] and can[i + 1][p + k] for k in range(1, limit + 1)
            )
    for start in range(n):
        if can[start][0]:
            return start
    return None


def normalise(query: str) -> str:
    return "".join(query.split()).lower()[:MAX_QUERY]


def match_tier(query: str, item: t.ServiceItem, related: list[str]) -> int | None:
    """The best tier at which ``query`` (normalised) finds ``item``; None if it doesn't."""
    name = item.name.lower()
    if query == name:
        return NAME_EXACT
    if name.startswith(query):
        return NAME_START
    if query in name:
        return NAME_PART
    if query.isascii() and query.isalnum():
        at = pinyin_match(query, syllables(item.name))
        if at is not None:
            return PINYIN_START if at == 0 else PINYIN_PART
        if query in item.pinyin_initials.lower():
            return INITIALS
        if len(query) >= 3 and query in item.name_en.lower().replace(" ", ""):
            return ENGLISH
    for text in related:
        if query in text.lower():
            return RELATED
        if query.isascii() and query.isalpha() and pinyin_match(query, syllables(text)) == 0:
            return RELATED
    return None


def recent_tickets(s: Session, hall_id: int, today: date) -> dict[int, int]:
    """Tickets issued per service item in the last RECENT_DAYS business days."""
    return ticket_store.ticket_counts_by_item(s, hall_id, after=today - timedelta(days=RECENT_DAYS))


@dataclass(frozen=True)
class _Loaded:
    hall: t.Hall
    items: list[t.ServiceItem]
    depts: dict[int, t.Department]
    queues: dict[int, t.Queue]
    recent: dict[int, int]


def _load(s: Session, hub: Hub, hall_code: str) -> _Loaded:
    hall = hall_store.hall_by_code(s, hall_code)
    assert hall.id is not None
    today = hall_store.calendar_of(hall).business_day(hub.now())
    items = store.active_items(s, hall.id)
    depts = {d.id: d for d in store.departments(s, hall.id) if d.id is not None}
    queues = {q.id: q for q in queue_store.queues(s, hall.id) if q.id is not None}
    return _Loaded(hall, items, depts, queues, recent_tickets(s, hall.id, today))


def _hotness(data: _Loaded, item: t.ServiceItem) -> tuple[int, int]:
    assert item.id is not None
    return data.recent.get(item.id, 0), item.hot


def _summary(data: _Loaded, item: t.ServiceItem, match: str | None = None) -> dict[str, Any]:
    assert item.id is not None
    out = item_summary(item, data.depts.get(item.department_id), data.queues.get(item.queue_id))
    out["recent_tickets"] = data.recent.get(item.id, 0)
    if match is not None:
        out["match"] = match
    return out


def search(hub: Hub, hall_code: str, query: str, *, limit: int = 30) -> dict[str, Any]:
    q = normalise(query)
    with hub.db.read() as s:
        data = _load(s, hub, hall_code)
    if not q:
        ranked = sorted(data.items, key=lambda i: (_hotness(data, i), i.code), reverse=True)
        return {"q": query, "items": [_summary(data, i) for i in ranked[:limit]]}
    found: list[tuple[int, tuple[int, int], str, t.ServiceItem]] = []
    for item in data.items:
        dept = data.depts.get(item.department_id)
        queue = data.queues.get(item.queue_id)
        related = [*item.life_events]
        related += [dept.name] if dept else []
        related += [queue.name] if queue else []
        tier = match_tier(q, item, related)
        if tier is not None:
            found.append((tier, _hotness(data, item), item.code, item))
    # Better matches first; within a tier, the hotter item; then the code, for stability.
    found.sort(key=lambda f: (f[0], -f[1][0], -f[1][1], f[2]))
    return {
        "q": query,
        "items": [_summary(data, item, MATCH_LABELS[tier]) for tier, _, _, item in found[:limit]],
    }


def life_events(hub: Hub, hall_code: str) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        data = _load(s, hub, hall_code)
    events: dict[str, list[t.ServiceItem]] = {}
    for item in data.items:
        for name in item.life_events:
            events.setdefault(name, []).append(item)
    order = sorted(events, key=lambda n: (LIFE_EVENT_ORDER.get(n, len(LIFE_EVENTS)), n))
    return [
        {
            "name": name,
            "name_en": LIFE_EVENT_EN.get(name, name),
            "items": [
                _summary(data, i)
                for i in sorted(
                    events[name], key=lambda i: (_hotness(data, i), i.code), reverse=True
                )
            ],
        }
        for name in order
    ]
