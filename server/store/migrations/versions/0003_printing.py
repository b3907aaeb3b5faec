"""print jobs and device alerts

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "printjob",
        sa.Column("id", _str(length=32), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("kind", _str(length=16), nullable=False),
        sa.Column("device_code", _str(length=32), nullable=True),
        sa.Column("printer_id", _str(length=64), nullable=False),
        sa.Column("fallback_printer_id", _str(length=64), nullable=True),
        sa.Column("current_printer_id", _str(length=64), nullable=False),
        sa.Column("state", _str(length=16), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", _str(length=32), nullable=True),
        sa.Column("detail", _str(length=300), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.Column("finished_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_printjob_hall_state", "printjob", ["hall_id", "state"])
    op.create_table(
        "devicealert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("device", _str(length=64), nullable=False),
        sa.Column("kind", _str(length=24), nullable=False),
        sa.Column("level", _str(length=16), nullable=False),
        sa.Column("message_zh", _str(length=300), nullable=False),
        sa.Column("message_en", _str(length=300), nullable=False),
        sa.Column("detail", _str(length=300), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("raised_at", _time(), nullable=False),
        sa.Column("last_at", _time(), nullable=False),
        sa.Column("cleared_at", _time(), nullable=True),
        sa.Column("acked_at", _time(), nullable=True),
        sa.Column("acked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["acked_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_devicealert_hall_device", "devicealert", ["hall_id", "device", "kind"])


def downgrade() -> None:
    op.drop_index("ix_devicealert_hall_device", table_name="devicealert")
    op.drop_table("devicealert")
    op.drop_index("ix_printjob_hall_state", table_name="printjob")
    op.drop_table("printjob")
