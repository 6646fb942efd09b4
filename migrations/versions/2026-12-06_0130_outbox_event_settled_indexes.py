"""Outbox retention: index given_up_at and skipped_at (delivered_at has one since 0007), so
``hanaro webhooks purge`` finds the events settled before its cut-off by a range scan of each
column's index (one statement per column) instead of reading the whole table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_event_given_up_at"), ["given_up_at"])
        batch_op.create_index(batch_op.f("ix_outbox_event_skipped_at"), ["skipped_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_event_skipped_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_event_given_up_at"))
