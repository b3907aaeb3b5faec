"""the audit log: every configuration change and sign-in, append-only

The table refuses UPDATE and DELETE at the database itself (a trigger on each
backend), so no code path, query tool or mistaken migration can rewrite history
without first dropping the trigger. TRUNCATE is not guarded: it is what a test
database is emptied with, and no code of the hub issues it.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime

MESSAGE = "auditentry is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER auditentry_no_{verb.lower()} BEFORE {verb} ON auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_GUARD = [
    f"""CREATE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON auditentry
    FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=True),
        sa.Column("at", _time(), nullable=False),
        sa.Column("actor_kind", _str(length=16), nullable=False),
        sa.Column("actor_staff_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", _str(length=64), nullable=False),
        sa.Column("actor_name", _str(length=100), nullable=False),
        sa.Column("address", _str(length=64), nullable=False),
        sa.Column("action", _str(length=48), nullable=False),
        sa.Column("entity_kind", _str(length=24), nullable=False),
        sa.Column("entity_key", _str(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("result", _str(length=16), nullable=False),
        sa.Column("error_code", _str(length=48), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auditentry_hall_at", "auditentry", ["hall_id", "at"])
    op.create_index("ix_auditentry_at", "auditentry", ["at"])
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_GUARD if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table drops its triggers; PostgreSQL's function is a thing of its own.
    op.drop_index("ix_auditentry_at", table_name="auditentry")
    op.drop_index("ix_auditentry_hall_at", table_name="auditentry")
    op.drop_table("auditentry")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION auditentry_append_only()")
