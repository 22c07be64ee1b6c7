"""audit hash chain: seals per hall

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


SEAL_GUARD_SQL = {
    "sqlite": [
        "CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals "
        "BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END",
        "CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals "
        "BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION audit_seals_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'audit_seals is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_seals_no_change BEFORE UPDATE OR DELETE ON audit_seals "
        "FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "audit_seals",
        sa.Column("hall_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("audit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hall_key", "seq", name=op.f("pk_audit_seals")),
        sa.UniqueConstraint("audit_id", name=op.f("uq_audit_seals_audit_id")),
    )
    for statement in SEAL_GUARD_SQL[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_seals_no_update")
        op.execute("DROP TRIGGER audit_seals_no_delete")
    else:
        op.execute("DROP TRIGGER audit_seals_no_change ON audit_seals")
        op.execute("DROP FUNCTION audit_seals_append_only()")
    op.drop_table("audit_seals")
