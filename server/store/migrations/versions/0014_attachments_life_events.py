"""attachments (示范文本, blank forms) kept in the database

Revision ID: 0014
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


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


def downgrade() -> None:
    op.drop_index("ix_attachment_hall", table_name="attachment")
    op.drop_table("attachment")
