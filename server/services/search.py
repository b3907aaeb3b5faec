"""Finding a service item at the kiosk: Chinese words, aliases and keywords (营业执照,
社保卡), pinyin initials (bdc -> 不动产), full or partial pinyin (budongchan, budchan),
typos, English, and life events (一件事: the hall's bundles, services/life_events.py). The rules are server/domain/search.py; this
module loads the items and gives the rules each word's pinyin.

Better matches first; within a tier, hot items first: the items most ticketed in the last
weeks, then the hall's own ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from server.domain import search as rules
from server.domain.search import MAX_QUERY, Kind, normalise, pinyin_match
from server.store import catalogue as store
from server.store import halls as hall_store
from server.store import life_events as life_event_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store.db import Session

from .catalogue import item_summary
from .hub import Hub

__all__ = ["MAX_QUERY", "life_events", "normalise", "pinyin_match", "search", "syllables"]

RECENT_DAYS = 28

_LATIN_WORD = re.compile(r"[a-z]+|[0-9]")


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of ``text`` without tones; Latin words whole, digits one by one."""
    out: list[str] = []
    for chunk in lazy_pinyin(text):
        word = chunk.lower()
        if word.isascii() and word.isalpha():
            out.append(word)  # a syllable, or a Latin word (ID) typed like one
        else:
            out.extend(_LATIN_WORD.findall(word))
    return tuple(out)


@lru_cache(maxsize=8192)
def term(word: str, kind: Kind) -> rules.Term:
    return rules.Term(word=word, text=rules.clean(word), sounds=syllables(word), kind=kind)


def entry(item: t.ServiceItem, related: list[str]) -> rules.Entry:
    words = [
        (item.name, Kind.NAME),
        *((w, Kind.ALIAS) for w in item.aliases),
        *((w, Kind.KEYWORD) for w in item.keywords),
        *([(item.name_en, Kind.ENGLISH)] if item.name_en else []),
        *((w, Kind.RELATED) for w in related),
    ]
    return rules.Entry(
        terms=tuple(term(w, kind) for w, kind in words if w.strip()),
        initials=item.pinyin_initials.lower(),
    )


def query_of(text: str) -> rules.Query:
    q = normalise(text)
    return rules.Query(text=q, sounds=syllables(q) if any(map(rules.is_han, q)) else ())


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
    # Per item id, the names of the active life events it is in.
    events: dict[int, list[str]]


def _load(s: Session, hub: Hub, hall_code: str) -> _Loaded:
    hall = hall_store.hall_by_code(s, hall_code)
    assert hall.id is not None
    today = hall_store.calendar_of(hall).business_day(hub.now())
    items = store.active_items(s, hall.id)
    depts = {d.id: d for d in store.departments(s, hall.id) if d.id is not None}
    queues = {q.id: q for q in queue_store.queues(s, hall.id) if q.id is not None}
    events = life_event_store.names_by_item(s, hall.id)
    return _Loaded(hall, items, depts, queues, recent_tickets(s, hall.id, today), events)


def _hotness(data: _Loaded, item: t.ServiceItem) -> tuple[int, int]:
    assert item.id is not None
    return data.recent.get(item.id, 0), item.hot


def _summary(data: _Loaded, item: t.ServiceItem, hit: rules.Match | None = None) -> dict[str, Any]:
    assert item.id is not None
    out = item_summary(
        item,
        data.depts.get(item.department_id),
        data.queues.get(item.queue_id),
        data.events.get(item.id),
    )
    out["recent_tickets"] = data.recent.get(item.id, 0)
    if hit is not None:
        out["match"] = hit.label
        out["matched"] = hit.word
    return out


def search(hub: Hub, hall_code: str, query: str, *, limit: int = 30) -> dict[str, Any]:
    q = query_of(query)
    with hub.db.read() as s:
        data = _load(s, hub, hall_code)
    if not q.text:
        ranked = sorted(data.items, key=lambda i: (_hotness(data, i), i.code), reverse=True)
        return {"q": query, "items": [_summary(data, i) for i in ranked[:limit]]}
    found: list[tuple[tuple[int, int, int, int, str], rules.Match, t.ServiceItem]] = []
    for item in data.items:
        dept = data.depts.get(item.department_id)
        queue = data.queues.get(item.queue_id)
        assert item.id is not None
        related = [*data.events.get(item.id, [])]
        related += [dept.name] if dept else []
        related += [queue.name] if queue else []
        hit = rules.match(q, entry(item, related))
        if hit is not None:
            recent, hot = _hotness(data, item)
            found.append((rules.rank_key(hit, recent, hot, item.code), hit, item))
    found.sort(key=lambda f: f[0])
    return {
        "q": query,
        "items": [_summary(data, item, hit) for _, hit, item in found[:limit]],
    }


def life_events(hub: Hub, hall_code: str) -> list[dict[str, Any]]:
    """The hall's active life events (一件事) in kiosk order, each with its active items
    in the bundle's order and their notes; one with no active item is left out."""
    with hub.db.read() as s:
        data = _load(s, hub, hall_code)
        assert data.hall.id is not None
        bundles = life_event_store.events(s, data.hall.id, active_only=True)
        members = life_event_store.members(s, [e.id for e in bundles if e.id is not None])
    offered = {item.id for item in data.items}
    out = []
    for event in bundles:
        assert event.id is not None
        items = [
            {**_summary(data, item), "note": member.note}
            for member, item in members[event.id]
            if item.id in offered
        ]
        if items:
            out.append(
                {
                    "code": event.code,
                    "name": event.name,
                    "name_en": event.name_en or event.name,
                    "description": event.description,
                    "items": items,
                }
            )
    return out
