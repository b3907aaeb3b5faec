"""catalogue administration: departments get an order, a switch, a phone, a location
and a version; service items an order and a version; halls the share of the statutory
time limit a promised one may take (promised_share_percent, default 50)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("sort", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("phone", AutoString(length=40), nullable=False, server_default=""))
        batch.add_column(sa.Column("location", AutoString(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("serviceitem") as batch:
        batch.add_column(sa.Column("sort", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("hall") as batch:
        batch.add_column(
            sa.Column("promised_share_percent", sa.Integer(), nullable=False, server_default="50")
        )


def downgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.drop_column("promised_share_percent")
    with op.batch_alter_table("serviceitem") as batch:
        batch.drop_column("version")
        batch.drop_column("sort")
    with op.batch_alter_table("department") as batch:
        for name in ("version", "location", "phone", "active", "sort"):
            batch.drop_column(name)
