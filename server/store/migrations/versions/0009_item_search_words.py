"""service items' aliases and keywords, for kiosk search

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The server default gives the items already there empty lists.
    with op.batch_alter_table("serviceitem") as batch:
        batch.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("serviceitem") as batch:
        batch.drop_column("keywords")
        batch.drop_column("aliases")
