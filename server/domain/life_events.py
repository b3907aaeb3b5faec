"""A life event (一件事) as a bundle of a hall's service items: the rules an admin's
edit must meet. Items are named by code, in the order they are done, each at most once;
an active bundle has at least MIN_ITEMS (a bundle of one is not a 一件事)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from .fields import Problem

MIN_ITEMS = 2
MAX_ITEMS = 50
NAME_MAX = 100
NAME_EN_MAX = 200
DESCRIPTION_MAX = 500
NOTE_MAX = 200
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_CODE_CHARS = _LETTERS | frozenset("0123456789-")


@dataclass(frozen=True)
class Member:
    item: str  # the service item's code
    note: str = ""


def check_code(code: str) -> list[Problem]:
    """2 to 32 lowercase letters, digits or hyphens, a letter first: start-business."""
    ok = 2 <= len(code) <= 32 and code[0] in _LETTERS and set(code) <= _CODE_CHARS
    return [] if ok else [Problem("code", "LIFE_EVENT_CODE_FORMAT")]


def check_text(field: str, value: str, most: int, *, required: bool = False) -> list[Problem]:
    if required and not value.strip():
        return [Problem(field, "REQUIRED")]
    if len(value) > most:
        return [Problem(field, "TOO_LONG", {"max": most})]
    return []


def check_members(members: Sequence[Member], known: Set[str], *, active: bool) -> list[Problem]:
    """``known``: the codes of the hall's service items."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, member in enumerate(members):
        if member.item not in known:
            problems.append(Problem(f"items.{i}.item", "ITEM_UNKNOWN", {"item": member.item}))
        elif member.item in seen:
            problems.append(Problem(f"items.{i}.item", "DUPLICATE"))
        seen.add(member.item)
        problems += check_text(f"items.{i}.note", member.note, NOTE_MAX)
    if len(members) > MAX_ITEMS:
        problems.append(Problem("items", "TOO_LARGE", {"max": MAX_ITEMS}))
    if active and len(seen & set(known)) < MIN_ITEMS:
        problems.append(Problem("items", "BUNDLE_TOO_SMALL", {"min": MIN_ITEMS}))
    return problems
