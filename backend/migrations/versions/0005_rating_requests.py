"""open rating requests per service

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("leg_id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", backend.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_rating_requests_hall_id_halls")
        ),
        sa.ForeignKeyConstraint(
            ["leg_id"], ["tickets.id"], name=op.f("fk_rating_requests_leg_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_rating_requests_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_rating_requests_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"], ["windows.id"], name=op.f("fk_rating_requests_window_id_windows")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_requests")),
    )
    with op.batch_alter_table("rating_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_requests_hall_id"), ["hall_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_rating_requests_ticket_id"), ["ticket_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rating_requests_window_id"), ["window_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rating_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_requests_window_id"))
        batch_op.drop_index(batch_op.f("ix_rating_requests_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_rating_requests_hall_id"))

    op.drop_table("rating_requests")
