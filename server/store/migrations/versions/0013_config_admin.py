"""configuration by admins: versions of queues, staff and devices, a window's settings
version (its row version moves with every call, so an admin's edit checks its own),
staff titles, allowed windows, temporary passwords, failed sign-ins and lockouts, staff
photos (stored in the database: every hub process serves them)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _version() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("version", sa.Integer(), nullable=False, server_default="1")


def upgrade() -> None:
    with op.batch_alter_table("queue") as batch:
        batch.add_column(_version())
    with op.batch_alter_table("window") as batch:
        batch.add_column(sa.Column("config_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("device") as batch:
        batch.add_column(_version())
    with op.batch_alter_table("staff") as batch:
        batch.add_column(_version())
        batch.add_column(sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False, server_default=""))
        batch.add_column(sa.Column("windows", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    staff = sa.table("staff", sa.column("windows", sa.JSON()))
    op.get_bind().execute(staff.update().values(windows=[]))
    with op.batch_alter_table("staff") as batch:
        batch.alter_column("windows", nullable=False)
    op.create_table(
        "staffphoto",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("staff_id"),
    )


def downgrade() -> None:
    op.drop_table("staffphoto")
    with op.batch_alter_table("staff") as batch:
        for name in ("locked_until", "failed_logins", "must_change_password", "windows", "title", "version"):
            batch.drop_column(name)
    with op.batch_alter_table("device") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("window") as batch:
        batch.drop_column("config_version")
    with op.batch_alter_table("queue") as batch:
        batch.drop_column("version")
