"""an index for the closer's look at due rating requests across halls

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_ratingrequest_due", "ratingrequest", ["status", "deadline"])


def downgrade() -> None:
    op.drop_index("ix_ratingrequest_due", table_name="ratingrequest")
