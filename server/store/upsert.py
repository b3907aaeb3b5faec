"""INSERT … ON CONFLICT in the dialect of the session's database (one place decides)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert(s: Session, table: Any) -> Any:
    """An INSERT for ``table`` that takes ``on_conflict_do_nothing/do_update``."""
    if s.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
