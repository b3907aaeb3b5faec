"""per-hall rating timeout; merges the 0003, 0004 and 0005 branches

Revision ID: 0006
Revises: 0003, 0004, 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
# 0003, 0004 and 0005 each branched from 0002: this revision joins them into one head.
down_revision: str | Sequence[str] | None = ("0003", "0004", "0005")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: the hall uses the installation's default (HALL_RATING_TIMEOUT_SECONDS).
    with op.batch_alter_table("hall") as batch:
        batch.add_column(sa.Column("rating_timeout_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.drop_column("rating_timeout_seconds")
