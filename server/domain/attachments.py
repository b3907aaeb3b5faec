"""What a hall may publish as an attachment: PDF, PNG or JPEG, told by the file's first
bytes (a name can say anything), at most MAX_BYTES; and the guide materials that name
one (``sample``: the 示范文本, ``blank_form``: the 空白表格)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from .fields import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_NAME = 100
KINDS = ("sample", "blank_form", "other")
# Which keys of a guide material name an attachment, in the order a kiosk offers them.
MATERIAL_ROLES = ("sample", "blank_form")

# content type, the bytes a file of that type starts with
_MAGIC: tuple[tuple[str, bytes], ...] = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
)
CONTENT_TYPES = tuple(kind for kind, _ in _MAGIC)


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, or None when they are none of the allowed ones."""
    for content_type, magic in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def check_name(name: str, field: str = "name") -> list[Problem]:
    if not name.strip():
        return [Problem(field, "REQUIRED")]
    if len(name) > MAX_NAME:
        return [Problem(field, "TOO_LONG", {"max": MAX_NAME})]
    return []


def check_kind(kind: str) -> list[Problem]:
    return [] if kind in KINDS else [Problem("kind", "NOT_ALLOWED")]


def check_file(data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's content type, or the reasons it is refused."""
    if not data:
        return None, [Problem("file", "REQUIRED")]
    if len(data) > MAX_BYTES:
        return None, [Problem("file", "ATTACHMENT_TOO_LARGE", {"max": MAX_BYTES // (1024 * 1024)})]
    content_type = sniff(data)
    if content_type is None:
        return None, [Problem("file", "ATTACHMENT_TYPE")]
    return content_type, []


def material_refs(guide: Mapping[str, Any]) -> list[tuple[int, str, Any]]:
    """(material index, role, the value given) for every attachment a guide names."""
    out = []
    for i, material in enumerate(guide.get("materials") or []):
        if not isinstance(material, Mapping):
            continue
        for role in MATERIAL_ROLES:
            value = material.get(role)
            if value is not None:
                out.append((i, role, value))
    return out


def referenced_ids(guide: Mapping[str, Any]) -> set[int]:
    return {v for _, _, v in material_refs(guide) if isinstance(v, int) and not isinstance(v, bool)}


def check_refs(guide: Mapping[str, Any], known: Set[int]) -> list[Problem]:
    """Each attachment a guide's materials name must be one of the hall's (``known``)."""
    problems = []
    for i, role, value in material_refs(guide):
        field = f"guide.materials.{i}.{role}"
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(Problem(field, "NOT_A_NUMBER"))
        elif value not in known:
            problems.append(Problem(field, "ATTACHMENT_UNKNOWN", {"id": value}))
    return problems
