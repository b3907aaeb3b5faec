"""cases (办件): the case register, every step of each case, the yearly counter of
receipt numbers; the hall's receipt number pattern and warning share

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("hall") as batch:
        batch.add_column(
            sa.Column(
                "receipt_pattern",
                _str(length=64),
                nullable=False,
                server_default="{hall}{year}{seq:6}",
            )
        )
        batch.add_column(
            sa.Column("case_warning_percent", sa.Integer(), nullable=False, server_default="80")
        )
    op.create_table(
        "casefile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("receipt_no", _str(length=40), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("channel", _str(length=16), nullable=False),
        sa.Column("type", _str(length=16), nullable=False),
        sa.Column("state", _str(length=16), nullable=False),
        sa.Column("applicant_name", _str(length=100), nullable=False),
        sa.Column("id_hash", _str(length=64), nullable=True),
        sa.Column("id_masked", _str(length=18), nullable=True),
        sa.Column("phone_masked", _str(length=11), nullable=True),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column("clock_started", sa.Date(), nullable=True),
        sa.Column("clock_paused_since", sa.Date(), nullable=True),
        sa.Column("clock_paused_days", sa.Integer(), nullable=False),
        sa.Column("clock_stopped", sa.Date(), nullable=True),
        sa.Column("urgent_due", sa.Date(), nullable=True),
        sa.Column("reason", _str(length=500), nullable=False),
        sa.Column("received_at", _time(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["serviceitem.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["lead_id"], ["casefile.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.ForeignKeyConstraint(["window_id"], ["window.id"]),
        sa.ForeignKeyConstraint(["clerk_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "receipt_no"),
    )
    op.create_index("ix_casefile_hall_state", "casefile", ["hall_id", "state"])
    op.create_index("ix_casefile_lead_id", "casefile", ["lead_id"])
    op.create_table(
        "casestep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("action", _str(length=16), nullable=False),
        sa.Column("state", _str(length=16), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", _str(length=100), nullable=False),
        sa.Column("note", _str(length=500), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casefile.id"]),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_casestep_case_id", "casestep", ["case_id"])
    op.create_table(
        "caseseq",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("hall_id", "year"),
    )


def downgrade() -> None:
    op.drop_table("caseseq")
    op.drop_index("ix_casestep_case_id", table_name="casestep")
    op.drop_table("casestep")
    op.drop_index("ix_casefile_lead_id", table_name="casefile")
    op.drop_index("ix_casefile_hall_state", table_name="casefile")
    op.drop_table("casefile")
    with op.batch_alter_table("hall") as batch:
        batch.drop_column("case_warning_percent")
        batch.drop_column("receipt_pattern")
