"""hall administration: office hours per weekday with breaks, ticket hours, languages,
好差评 and ticket notice settings, closing a hall, a settings version; the national
calendar (holidaycalendar)

Each hall's open_weekdays/opens/closes become its office hours: the same hours on the
same weekdays, with no break, so a hall behaves as before until someone edits it.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence
from datetime import time
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    "region",
    "office_hours",
    "ticket_hours",
    "ticket_notice",
    "languages",
    "unrated_stays_unrated",
    "closed_at",
    "closed_reason",
    "version",
)


def _clock(text: Any, fallback: str) -> str:
    try:
        time.fromisoformat(str(text))
    except ValueError:
        return fallback
    return str(text)[:5]


def office_hours_of(open_weekdays: str, opens: str, closes: str) -> dict[str, list[list[str]]]:
    start, end = _clock(opens, "09:00"), _clock(closes, "17:00")
    if end <= start:
        start, end = "09:00", "17:00"
    days = sorted({c for c in str(open_weekdays or "") if c in "1234567"})
    return {d: [[start, end]] for d in days}


def upgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.add_column(sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.add_column(sa.Column("office_hours", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("ticket_hours", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("ticket_notice", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("unrated_stays_unrated", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("closed_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))

    bind = op.get_bind()
    hall = sa.table(
        "hall",
        sa.column("id", sa.Integer()),
        sa.column("open_weekdays", sa.String()),
        sa.column("opens", sa.String()),
        sa.column("closes", sa.String()),
        sa.column("region", sa.String()),
        sa.column("office_hours", sa.JSON()),
        sa.column("ticket_hours", sa.JSON()),
        sa.column("ticket_notice", sa.String()),
        sa.column("languages", sa.JSON()),
        sa.column("unrated_stays_unrated", sa.Boolean()),
        sa.column("closed_reason", sa.String()),
        sa.column("version", sa.Integer()),
    )
    rows = bind.execute(sa.select(hall.c.id, hall.c.open_weekdays, hall.c.opens, hall.c.closes))
    for hall_id, weekdays, opens, closes in list(rows):
        bind.execute(
            hall.update()
            .where(hall.c.id == hall_id)
            .values(
                region="",
                office_hours=office_hours_of(weekdays, opens, closes),
                ticket_hours={},
                ticket_notice="",
                languages=["zh", "en"],
                unrated_stays_unrated=True,
                closed_reason="",
                version=1,
            )
        )

    with op.batch_alter_table("hall") as batch:
        for name in NEW_COLUMNS:
            if name != "closed_at":
                batch.alter_column(name, nullable=False)
        batch.drop_column("open_weekdays")
        batch.drop_column("opens")
        batch.drop_column("closes")

    op.create_table(
        "holidaycalendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "day"),
    )
    op.create_index("ix_holidaycalendar_day", "holidaycalendar", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_holidaycalendar_day", table_name="holidaycalendar")
    op.drop_table("holidaycalendar")
    with op.batch_alter_table("hall") as batch:
        batch.add_column(sa.Column("open_weekdays", sa.String(length=7), nullable=True))
        batch.add_column(sa.Column("opens", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("closes", sa.String(length=5), nullable=True))
    bind = op.get_bind()
    hall = sa.table(
        "hall",
        sa.column("id", sa.Integer()),
        sa.column("office_hours", sa.JSON()),
        sa.column("open_weekdays", sa.String()),
        sa.column("opens", sa.String()),
        sa.column("closes", sa.String()),
    )
    for hall_id, week in list(bind.execute(sa.select(hall.c.id, hall.c.office_hours))):
        week = week or {}
        spans = [span for day in week.values() for span in day]
        bind.execute(
            hall.update()
            .where(hall.c.id == hall_id)
            .values(
                open_weekdays="".join(sorted(k for k, v in week.items() if v)),
                # Breaks cannot be kept: the day runs from the first opening to the last closing.
                opens=min((s[0] for s in spans), default="09:00"),
                closes=max((s[1] for s in spans), default="17:00"),
            )
        )
    with op.batch_alter_table("hall") as batch:
        batch.alter_column("open_weekdays", nullable=False)
        batch.alter_column("opens", nullable=False)
        batch.alter_column("closes", nullable=False)
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
