"""device status shared by the process that drives a hall's devices

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "devicestatus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("role", _str(length=16), nullable=False),
        sa.Column("owner", _str(length=120), nullable=False),
        sa.Column("every_seconds", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "role"),
    )


def downgrade() -> None:
    op.drop_table("devicestatus")
