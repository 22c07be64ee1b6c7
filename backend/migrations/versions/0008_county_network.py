"""the county network: halls in a tree (level, parent) and case referrals between halls

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import backend.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("halls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=16), nullable=False, server_default="town")
        )
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_halls_parent_id_halls"), "halls", ["parent_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_halls_parent_id"), ["parent_id"], unique=False)
    when = backend.db.types.UTCDateTime(timezone=True)
    op.create_table(
        "case_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("from_hall_id", sa.Integer(), nullable=False),
        sa.Column("from_case_id", sa.Integer(), nullable=False),
        sa.Column("to_hall_id", sa.Integer(), nullable=False),
        sa.Column("to_unit", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sent_at", when, nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("due_at", when, nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("to_case_id", sa.Integer(), nullable=True),
        sa.Column("return_reason", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_case_referrals_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_case_id"], ["cases.id"], name=op.f("fk_case_referrals_from_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["from_hall_id"], ["halls.id"], name=op.f("fk_case_referrals_from_hall_id_halls")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by"], ["users.id"], name=op.f("fk_case_referrals_sent_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_case_id"], ["cases.id"], name=op.f("fk_case_referrals_to_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["to_hall_id"], ["halls.id"], name=op.f("fk_case_referrals_to_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_referrals")),
    )
    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_referrals_from_case_id"), ["from_case_id"], unique=False
        )
        batch_op.create_index("ix_case_referrals_to", ["to_hall_id", "state"], unique=False)
        batch_op.create_index("ix_case_referrals_from", ["from_hall_id", "state"], unique=False)


def downgrade() -> None:
    op.drop_table("case_referrals")
    with op.batch_alter_table("halls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_halls_parent_id"))
        batch_op.drop_constraint(batch_op.f("fk_halls_parent_id_halls"), type_="foreignkey")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("level")
