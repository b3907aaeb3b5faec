"""The catalogue's rules: departments (进驻部门) and service items with their public guide
(办事指南), whatever they come from (a form, the API, an imported row).

Plain data in, a list of Problems out (domain/fields.py), each naming its field by a path
such as ``guide.materials[2].copies``. An item that is 上线 (``active``) must have every
public element; a 下线 draft may be incomplete, but what it has must be right.

The time-limit rule: 承诺办结时限 is at most the hall's share (``promised_share_percent``)
of 法定办结时限, in working days, rounded down: 法定 15 at 50 % allows 承诺 up to 7. A 即办件
(settled on the spot) promises 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from .fields import Problem

CASE_TYPES = ("即办件", "承诺件", "联办件", "上报件")
INSTANT = "即办件"
MATERIAL_FORMS = ("原件", "复印件", "原件及复印件", "电子件")
# What the 收费标准 of an item without fees says; anything else is a fee, with its 收费依据.
FREE = frozenset({"不收费", "免费", "无"})

SHARE_MIN, SHARE_MAX, SHARE_DEFAULT = 1, 100, 50
DAYS_MAX = 3650
MAX_MATERIALS = 50
MAX_STEPS = 30
MAX_WORDS = 30
COPIES_MAX = 99

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PHONE = re.compile(r"^[0-9+][0-9 ()+\-转,，、/]{2,39}$")
URL = re.compile(r"^https?://[^\s]{3,}$")
PINYIN = re.compile(r"^[a-z0-9]{0,200}$")

# name -> (kind, max length / max value); the guide's elements, in the form's order.
TEXT = "text"
DAYS = "days"
GUIDE_ELEMENTS: dict[str, tuple[str, int]] = {
    "legal_basis": (TEXT, 2000),
    "conditions": (TEXT, 2000),
    "quantity_limits": (TEXT, 500),
    "materials": ("materials", MAX_MATERIALS),
    "procedure": ("steps", MAX_STEPS),
    "statutory_limit_days": (DAYS, DAYS_MAX),
    "promised_limit_days": (DAYS, DAYS_MAX),
    "case_type": ("choice", 0),
    "fees": (TEXT, 500),
    "fee_basis": (TEXT, 500),
    "location": (TEXT, 200),
    "hours": (TEXT, 200),
    "responsible": (TEXT, 100),
    "contact_phone": ("phone", 40),
    "complaint_phone": ("phone", 40),
    "online": ("bool", 0),
    "online_url": ("url", 500),
}
# What an item that is 上线 must show the public (fee_basis: when a fee is charged).
REQUIRED_ONLINE = (
    "legal_basis",
    "conditions",
    "quantity_limits",
    "materials",
    "procedure",
    "statutory_limit_days",
    "promised_limit_days",
    "case_type",
    "fees",
    "location",
    "hours",
    "responsible",
    "contact_phone",
    "complaint_phone",
)
MATERIAL_KEYS = ("name", "form", "copies", "required", "note", "sample", "blank_form")
# The item's own fields besides its guide, with their maximum lengths.
ITEM_TEXT = {"name": 200, "name_en": 300}


def promised_max(statutory: int, share_percent: int) -> int:
    """The longest promise the hall allows for this statutory limit: rounded down."""
    return statutory * share_percent // 100


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(field: str, value: Any, size: int, out: list[Problem]) -> None:
    if not isinstance(value, str):
        out.append(Problem(field, "NOT_TEXT"))
    elif len(value) > size:
        out.append(Problem(field, "TOO_LONG", {"max": size}))


def _int(field: str, value: Any, low: int, high: int, out: list[Problem]) -> bool:
    if not _is_int(value):
        out.append(Problem(field, "NOT_A_NUMBER"))
        return False
    if value < low:
        out.append(Problem(field, "TOO_SMALL", {"min": low}))
        return False
    if value > high:
        out.append(Problem(field, "TOO_LARGE", {"max": high}))
        return False
    return True


def _words(field: str, value: Any, out: list[Problem]) -> None:
    if not isinstance(value, list):
        out.append(Problem(field, "NOT_A_LIST"))
        return
    if len(value) > MAX_WORDS:
        out.append(Problem(field, "TOO_MANY", {"max": MAX_WORDS}))
    for n, word in enumerate(value):
        _text(f"{field}[{n}]", word, 50, out)


def check_department(values: Mapping[str, Any]) -> list[Problem]:
    """A department as it is to be saved (its whole row)."""
    out: list[Problem] = []
    code = values.get("code")
    if _blank(code):
        out.append(Problem("code", "REQUIRED"))
    elif not isinstance(code, str) or not CODE.match(code):
        out.append(Problem("code", "CATALOGUE_CODE_FORMAT", {"max": 32}))
    if _blank(values.get("name")):
        out.append(Problem("name", "REQUIRED"))
    else:
        _text("name", values["name"], 100, out)
    for key, size in (("name_en", 200), ("location", 200)):
        if values.get(key) is not None:
            _text(key, values[key], size, out)
    phone = values.get("phone")
    if phone:
        if not isinstance(phone, str):
            out.append(Problem("phone", "NOT_TEXT"))
        elif not PHONE.match(phone):
            out.append(Problem("phone", "PHONE_FORMAT"))
    if "sort" in values:
        _int("sort", values["sort"], -100000, 100000, out)
    if "active" in values and not isinstance(values["active"], bool):
        out.append(Problem("active", "NOT_A_BOOLEAN"))
    return out


def _materials(value: Any, out: list[Problem]) -> None:
    if not isinstance(value, list):
        out.append(Problem("guide.materials", "NOT_A_LIST"))
        return
    if len(value) > MAX_MATERIALS:
        out.append(Problem("guide.materials", "TOO_MANY", {"max": MAX_MATERIALS}))
    names: set[str] = set()
    for n, m in enumerate(value):
        at = f"guide.materials[{n}]"
        if not isinstance(m, dict):
            out.append(Problem(at, "NOT_AN_OBJECT"))
            continue
        for key in m:
            if key not in MATERIAL_KEYS:
                out.append(Problem(f"{at}.{key}", "UNKNOWN_FIELD"))
        name = m.get("name")
        if _blank(name):
            out.append(Problem(f"{at}.name", "REQUIRED"))
        else:
            _text(f"{at}.name", name, 200, out)
            if isinstance(name, str):
                if name.strip() in names:
                    out.append(Problem(f"{at}.name", "DUPLICATE"))
                names.add(name.strip())
        form = m.get("form")
        if _blank(form):
            out.append(Problem(f"{at}.form", "REQUIRED"))
        elif form not in MATERIAL_FORMS:
            out.append(
                Problem(f"{at}.form", "NOT_ALLOWED_OF", {"allowed": "、".join(MATERIAL_FORMS)})
            )
        if m.get("copies") is None:
            out.append(Problem(f"{at}.copies", "REQUIRED"))
        else:
            _int(f"{at}.copies", m["copies"], 1, COPIES_MAX, out)
        if "required" in m and not isinstance(m["required"], bool):
            out.append(Problem(f"{at}.required", "NOT_A_BOOLEAN"))
        if m.get("note") is not None:
            _text(f"{at}.note", m["note"], 200, out)
        for key in ("sample", "blank_form"):
            # Attachment ids (another table); whether the attachment exists is checked there.
            if m.get(key) is not None:
                _int(f"{at}.{key}", m[key], 1, 2**31 - 1, out)


def _steps(value: Any, out: list[Problem]) -> None:
    if not isinstance(value, list):
        out.append(Problem("guide.procedure", "NOT_A_LIST"))
        return
    if len(value) > MAX_STEPS:
        out.append(Problem("guide.procedure", "TOO_MANY", {"max": MAX_STEPS}))
    for n, step in enumerate(value):
        if _blank(step):
            out.append(Problem(f"guide.procedure[{n}]", "REQUIRED"))
        else:
            _text(f"guide.procedure[{n}]", step, 200, out)


def _element(key: str, value: Any, out: list[Problem]) -> None:
    kind, size = GUIDE_ELEMENTS[key]
    field = f"guide.{key}"
    if kind == TEXT:
        _text(field, value, size, out)
    elif kind == "materials":
        _materials(value, out)
    elif kind == "steps":
        _steps(value, out)
    elif kind == DAYS:
        _int(field, value, 0, size, out)
    elif kind == "choice":
        if value not in CASE_TYPES:
            out.append(Problem(field, "NOT_ALLOWED_OF", {"allowed": "、".join(CASE_TYPES)}))
    elif kind == "phone":
        if not isinstance(value, str):
            out.append(Problem(field, "NOT_TEXT"))
        elif value and not PHONE.match(value):
            out.append(Problem(field, "PHONE_FORMAT"))
    elif kind == "bool":
        if not isinstance(value, bool):
            out.append(Problem(field, "NOT_A_BOOLEAN"))
    elif kind == "url":
        if not isinstance(value, str):
            out.append(Problem(field, "NOT_TEXT"))
        elif value and (len(value) > size or not URL.match(value)):
            out.append(Problem(field, "URL_FORMAT"))


def check_guide(guide: Any, *, active: bool, share_percent: int) -> list[Problem]:
    """The guide's elements one by one, then together (the time limits, the fee basis)."""
    out: list[Problem] = []
    if not isinstance(guide, dict):
        return [Problem("guide", "NOT_AN_OBJECT")]
    for key, value in guide.items():
        if key not in GUIDE_ELEMENTS:
            out.append(Problem(f"guide.{key}", "UNKNOWN_FIELD"))
        elif not _blank(value) or isinstance(value, bool):
            _element(key, value, out)
    if active:
        for key in REQUIRED_ONLINE:
            value = guide.get(key)
            if _blank(value):
                out.append(Problem(f"guide.{key}", "REQUIRED_ONLINE"))
    bad = {p.field for p in out}
    statutory: Any = guide.get("statutory_limit_days")
    promised: Any = guide.get("promised_limit_days")
    fine = {"guide.statutory_limit_days", "guide.promised_limit_days"}.isdisjoint(bad)
    if fine and _is_int(statutory) and _is_int(promised):
        if guide.get("case_type") == INSTANT and promised != 0:
            out.append(Problem("guide.promised_limit_days", "INSTANT_PROMISES_ZERO"))
        elif promised > promised_max(statutory, share_percent):
            details = {
                "max": promised_max(statutory, share_percent),
                "statutory": statutory,
                "share": share_percent,
            }
            out.append(Problem("guide.promised_limit_days", "PROMISED_OVER_SHARE", details))
    fees = guide.get("fees")
    charged = isinstance(fees, str) and fees.strip() and fees.strip() not in FREE
    if charged and _blank(guide.get("fee_basis")):
        out.append(Problem("guide.fee_basis", "FEE_BASIS_REQUIRED"))
    if guide.get("online_url") and guide.get("online") is not True:
        out.append(Problem("guide.online", "ONLINE_URL_WITHOUT_ONLINE"))
    return out


def check_item(
    values: Mapping[str, Any],
    *,
    share_percent: int,
    departments: Collection[str],
    queues: Collection[str],
) -> list[Problem]:
    """An item as it is to be saved: ``values`` holds code, name, name_en, department and
    queue (codes), active, sort, hot, aliases, keywords, pinyin_initials and guide;
    ``departments``/``queues``: the hall's codes."""
    out: list[Problem] = []
    code = values.get("code")
    if _blank(code):
        out.append(Problem("code", "REQUIRED"))
    elif not isinstance(code, str) or not ITEM_CODE.match(code):
        out.append(Problem("code", "CATALOGUE_CODE_FORMAT", {"max": 64}))
    for key, size in ITEM_TEXT.items():
        value = values.get(key)
        if key == "name" and _blank(value):
            out.append(Problem(key, "REQUIRED"))
        elif value is not None:
            _text(key, value, size, out)
    for key, known, missing in (
        ("department", departments, "DEPARTMENT_UNKNOWN"),
        ("queue", queues, "QUEUE_UNKNOWN"),
    ):
        value = values.get(key)
        if _blank(value):
            out.append(Problem(key, "REQUIRED"))
        elif value not in known:
            out.append(Problem(key, missing, {"code": value}))
    active = values.get("active", True)
    if not isinstance(active, bool):
        out.append(Problem("active", "NOT_A_BOOLEAN"))
        active = True
    for key in ("sort", "hot"):
        if key in values:
            _int(key, values[key], 0 if key == "hot" else -100000, 100000, out)
    for key in ("aliases", "keywords"):
        if key in values:
            _words(key, values[key], out)
    initials = values.get("pinyin_initials")
    if initials and (not isinstance(initials, str) or not PINYIN.match(initials)):
        out.append(Problem("pinyin_initials", "PINYIN_FORMAT"))
    out.extend(check_guide(values.get("guide", {}), active=active, share_percent=share_percent))
    return out


def check_share(share_percent: int, guides: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """A new share for the hall, against its online items' guides (by item code): each
    promise must still fit, or the change is refused naming the items that do not."""
    over = [
        code
        for code, g in guides.items()
        if _is_int(g.get("statutory_limit_days"))
        and _is_int(g.get("promised_limit_days"))
        and g["promised_limit_days"] > promised_max(g["statutory_limit_days"], share_percent)
    ]
    if not over:
        return []
    shown = "、".join(sorted(over)[:10]) + ("……" if len(over) > 10 else "")
    details = {"items": shown, "count": len(over)}
    return [Problem("promised_share_percent", "SHARE_BELOW_PROMISES", details)]


def _clean_material(m: dict[str, Any]) -> dict[str, Any]:
    out = {
        "name": m["name"].strip(),
        "form": m["form"],
        "copies": m["copies"],
        "required": m.get("required", True),
    }
    if m.get("note"):
        out["note"] = m["note"].strip()
    out["sample"] = m.get("sample")
    out["blank_form"] = m.get("blank_form")
    return out


def normalised_guide(guide: Mapping[str, Any]) -> dict[str, Any]:
    """A checked guide as it is stored: blanks left out, texts trimmed, each material with
    every key (``required`` true unless said otherwise), in the elements' order."""
    out: dict[str, Any] = {}
    for key in GUIDE_ELEMENTS:
        value: Any = guide.get(key)
        if _blank(value) and not isinstance(value, bool):
            continue
        if isinstance(value, str):
            value = value.strip()
        elif key == "materials":
            value = [_clean_material(m) for m in value]
        elif key == "procedure":
            value = [step.strip() for step in value]
        out[key] = value
    if out.get("online") is False:
        del out["online"]
    return out
