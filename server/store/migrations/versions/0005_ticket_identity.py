"""ticket identity (keyed ID hash, masked ID and phone), request ids, hall identity settings

Revision ID: 0005
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.add_column(sa.Column("green_channel_age", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("id_daily_limit", sa.Integer(), nullable=True))
    op.execute("UPDATE hall SET green_channel_age = 70, id_daily_limit = 3")
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(
            sa.Column("id_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.add_column(
            sa.Column("id_masked", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True)
        )
        batch.add_column(
            sa.Column("phone_masked", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True)
        )
        batch.create_index(batch.f("ix_ticket_id_hash"), ["id_hash"], unique=False)
    op.create_table(
        "ticketrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"]),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "key"),
    )
    op.create_table(
        "hallsecret",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("identity_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("hall_id"),
    )


def downgrade() -> None:
    op.drop_table("hallsecret")
    op.drop_table("ticketrequest")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index(batch.f("ix_ticket_id_hash"))
        batch.drop_column("phone_masked")
        batch.drop_column("id_masked")
        batch.drop_column("id_hash")
    with op.batch_alter_table("hall") as batch:
        batch.drop_column("id_daily_limit")
        batch.drop_column("green_channel_age")
