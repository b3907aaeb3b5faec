"""attachments (示范文本, blank forms) kept in the database; life events (一件事) as
bundles of service items

Every distinct name in ServiceItem.life_events becomes a hall's bundle (lifeevent) with
its items (lifeeventitem), the English name and order from the list the kiosk used
(services/search.py LIFE_EVENTS, copied here as it was), the items in the order the
kiosk showed them (the hall's ranking, then code); then the column goes. A bundle of
one item stays as it was, active: the kiosk offered it; an admin who edits it is told
an active bundle needs two.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime

# name, English name, code: services/search.py LIFE_EVENTS in its order, as of 0011.
KNOWN_EVENTS: tuple[tuple[str, str, str], ...] = (
    ("开办企业", "Starting a business", "start-business"),
    ("买房", "Buying a home", "buy-home"),
    ("生育", "Having a baby", "baby"),
    ("退休", "Retiring", "retire"),
    ("结婚", "Getting married", "marriage"),
    ("就业", "Getting a job", "job"),
    ("迁居", "Moving house", "move-house"),
    ("困难救助", "Hardship support", "hardship"),
)

item_table = sa.table(
    "serviceitem",
    sa.column("id", sa.Integer()),
    sa.column("hall_id", sa.Integer()),
    sa.column("code", sa.String()),
    sa.column("hot", sa.Integer()),
    sa.column("life_events", sa.JSON()),
)
event_table = sa.table(
    "lifeevent",
    sa.column("id", sa.Integer()),
    sa.column("hall_id", sa.Integer()),
    sa.column("code", sa.String()),
    sa.column("name", sa.String()),
    sa.column("name_en", sa.String()),
    sa.column("description", sa.String()),
    sa.column("sort", sa.Integer()),
    sa.column("active", sa.Boolean()),
    sa.column("version", sa.Integer()),
)
member_table = sa.table(
    "lifeeventitem",
    sa.column("event_id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("note", sa.String()),
)


def bundles_of(items: list[tuple[int, str, int, Any]]) -> list[tuple[str, str, str, list[int]]]:
    """(code, name, English name, item ids in order) of one hall's events, in kiosk
    order, from its items' (id, code, hot, life_events)."""
    known = {name: (i, en, code) for i, (name, en, code) in enumerate(KNOWN_EVENTS)}
    members: dict[str, list[tuple[int, str, int]]] = {}
    for item_id, code, hot, names in items:
        for name in dict.fromkeys(n.strip() for n in names or [] if isinstance(n, str)):
            if name:
                members.setdefault(name, []).append((item_id, code, hot or 0))
    order = sorted(members, key=lambda n: (known.get(n, (len(KNOWN_EVENTS),))[0], n))
    out = []
    others = 0
    for name in order:
        if name in known:
            _, en, code = known[name]
        else:
            others += 1
            code, en = f"event-{others}", name
        ranked = sorted(members[name], key=lambda m: (-m[2], m[1]))
        out.append((code, name[:100], en, [m[0] for m in ranked]))
    return out


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=100), nullable=False),
        sa.Column("kind", _str(length=16), nullable=False),
        sa.Column("filename", _str(length=200), nullable=False),
        sa.Column("content_type", _str(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", _str(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attachment_hall", "attachment", ["hall_id"], unique=False)

    op.create_table(
        "lifeevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("code", _str(length=32), nullable=False),
        sa.Column("name", _str(length=100), nullable=False),
        sa.Column("name_en", _str(length=200), nullable=False),
        sa.Column("description", _str(length=500), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "code"),
    )
    op.create_index("ix_lifeevent_hall_id", "lifeevent", ["hall_id"], unique=False)
    op.create_table(
        "lifeeventitem",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", _str(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["lifeevent.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["serviceitem.id"]),
        sa.PrimaryKeyConstraint("event_id", "item_id"),
    )
    op.create_index("ix_lifeeventitem_item_id", "lifeeventitem", ["item_id"], unique=False)

    bind = op.get_bind()
    halls: dict[int, list[tuple[int, str, int, Any]]] = {}
    rows = bind.execute(
        sa.select(
            item_table.c.id,
            item_table.c.hall_id,
            item_table.c.code,
            item_table.c.hot,
            item_table.c.life_events,
        ).order_by(item_table.c.id)
    )
    for item_id, hall_id, code, hot, names in list(rows):
        halls.setdefault(hall_id, []).append((item_id, code, hot, names))
    for hall_id, items in sorted(halls.items()):
        for sort, (code, name, name_en, members) in enumerate(bundles_of(items)):
            event_id = bind.execute(
                event_table.insert()
                .values(
                    hall_id=hall_id,
                    code=code,
                    name=name,
                    name_en=name_en[:200],
                    description="",
                    sort=sort,
                    active=True,
                    version=1,
                )
                .returning(event_table.c.id)
            ).scalar_one()
            for position, item_id in enumerate(members):
                bind.execute(
                    member_table.insert().values(
                        event_id=event_id, item_id=item_id, position=position, note=""
                    )
                )

    with op.batch_alter_table("serviceitem") as batch:
        batch.drop_column("life_events")


def downgrade() -> None:
    with op.batch_alter_table("serviceitem") as batch:
        batch.add_column(sa.Column("life_events", sa.JSON(), nullable=True))
    bind = op.get_bind()
    names: dict[int, list[str]] = {}
    rows = bind.execute(
        sa.select(member_table.c.item_id, event_table.c.name)
        .select_from(member_table.join(event_table, member_table.c.event_id == event_table.c.id))
        .order_by(event_table.c.sort, event_table.c.id)
    )
    for item_id, name in list(rows):
        names.setdefault(item_id, []).append(name)
    for (item_id,) in list(bind.execute(sa.select(item_table.c.id))):
        bind.execute(
            item_table.update()
            .where(item_table.c.id == item_id)
            .values(life_events=names.get(item_id, []))
        )
    with op.batch_alter_table("serviceitem") as batch:
        batch.alter_column("life_events", nullable=False)
    op.drop_index("ix_lifeeventitem_item_id", table_name="lifeeventitem")
    op.drop_table("lifeeventitem")
    op.drop_index("ix_lifeevent_hall_id", table_name="lifeevent")
    op.drop_table("lifeevent")
    op.drop_index("ix_attachment_hall", table_name="attachment")
    op.drop_table("attachment")
