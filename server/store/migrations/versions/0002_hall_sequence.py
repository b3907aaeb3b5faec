"""hall change sequence for realtime boards; voice repeat

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hallseq",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("hall_id"),
    )
    with op.batch_alter_table("hall") as batch:
        batch.add_column(
            sa.Column("voice_repeat", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.drop_column("voice_repeat")
    op.drop_table("hallseq")
