"""kiosk case-lookup guard per number and device

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_guards",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("misses", sa.Integer(), nullable=False),
        sa.Column("since", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", backend.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_lookup_guards_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("hall_id", "scope", "key", name=op.f("pk_lookup_guards")),
    )


def downgrade() -> None:
    op.drop_table("lookup_guards")
