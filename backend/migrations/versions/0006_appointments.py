"""appointments and slot counters

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_slot_counts",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_appointment_slot_counts_hall_id_halls")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["service_items.id"],
            name=op.f("fk_appointment_slot_counts_item_id_service_items"),
        ),
        sa.PrimaryKeyConstraint(
            "hall_id", "item_id", "slot_start", name=op.f("pk_appointment_slot_counts")
        ),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("manage_token_hash", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_start", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("slot_end", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("name_sealed", sa.String(length=400), nullable=False),
        sa.Column("name_masked", sa.String(length=40), nullable=False),
        sa.Column("phone_sealed", sa.String(length=400), nullable=False),
        sa.Column("phone_masked", sa.String(length=24), nullable=False),
        sa.Column("phone_last4", sa.String(length=4), nullable=False),
        sa.Column("phone_digest", sa.String(length=64), nullable=False),
        sa.Column("id_sealed", sa.String(length=400), nullable=False),
        sa.Column("id_masked", sa.String(length=24), nullable=False),
        sa.Column("id_digest", sa.String(length=64), nullable=False),
        sa.Column("booked_at", backend.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", backend.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", backend.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("no_show_at", backend.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_appointments_hall_id_halls")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["service_items.id"], name=op.f("fk_appointments_item_id_service_items")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_appointments_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("hall_id", "code", name=op.f("uq_appointments_hall_id")),
        sa.UniqueConstraint("manage_token_hash", name=op.f("uq_appointments_manage_token_hash")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_day", ["hall_id", "day", "state"], unique=False)
        batch_op.create_index(
            "ix_appointments_id_digest", ["hall_id", "id_digest", "state"], unique=False
        )
        batch_op.create_index(
            "ix_appointments_phone", ["hall_id", "phone_digest", "state"], unique=False
        )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("slot_start", backend.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_tickets_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_tickets_appointment_id_appointments", "appointments", ["appointment_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint("fk_tickets_appointment_id_appointments", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tickets_appointment_id"))
        batch_op.drop_column("slot_start")
        batch_op.drop_column("appointment_id")

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_phone")
        batch_op.drop_index("ix_appointments_id_digest")
        batch_op.drop_index("ix_appointments_day")

    op.drop_table("appointments")
    op.drop_table("appointment_slot_counts")
