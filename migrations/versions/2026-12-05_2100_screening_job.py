"""Screening jobs (#14): a partner's outreach screening run in the background by a worker.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=True),
        sa.Column("stage_index", sa.Integer(), server_default="0", nullable=False),
        sa.Column("stage_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("catalog_version", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("results_path", sa.String(length=300), nullable=True),
        sa.Column("aggregate_path", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_screening_job_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_job")),
    )
    with op.batch_alter_table("screening_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_job_partner_id"), ["partner_id"])
        batch_op.create_index(batch_op.f("ix_screening_job_status"), ["status"])
        batch_op.create_index(batch_op.f("ix_screening_job_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_screening_job_expires_at"), ["expires_at"])


def downgrade() -> None:
    with op.batch_alter_table("screening_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_job_expires_at"))
        batch_op.drop_index(batch_op.f("ix_screening_job_created_at"))
        batch_op.drop_index(batch_op.f("ix_screening_job_status"))
        batch_op.drop_index(batch_op.f("ix_screening_job_partner_id"))
    op.drop_table("screening_job")
