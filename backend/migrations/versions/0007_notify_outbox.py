"""notifications become an outbox: ticket messages (N away, called), delivery state and retries

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="case_finished")
        )
        batch_op.add_column(
            sa.Column("to_sealed", sa.String(length=400), nullable=False, server_default="")
        )
        # rows written before the outbox were recorded and logged at once: they count as sent
        batch_op.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="sent")
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("next_attempt_at", backend.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("last_error", sa.String(length=400), nullable=True))
        batch_op.add_column(
            sa.Column("sent_at", backend.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_ticket_id_tickets"), "tickets", ["ticket_id"], ["id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_notifications_ticket_id"), ["ticket_id", "kind"]
        )
        batch_op.create_index("ix_notifications_due", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_due")
        batch_op.drop_constraint(batch_op.f("uq_notifications_ticket_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_ticket_id_tickets"), type_="foreignkey"
        )
        for column in (
            "sent_at",
            "last_error",
            "next_attempt_at",
            "attempts",
            "state",
            "to_sealed",
            "kind",
            "ticket_id",
        ):
            batch_op.drop_column(column)
