"""Audit entries kept in the local spool while the database was away carry a unique id, so that
draining the spool never inserts one twice.

Adding a nullable column touches no row, so the append-only triggers of 0005 are not involved
(and survive: no table is rebuilt, on SQLite either).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("entry_uid", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_audit_log_entry_uid"), "audit_log", ["entry_uid"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_entry_uid"), table_name="audit_log")
    # Plain ALTER TABLE on SQLite too (3.35+): a batch rebuild would drop the audit triggers.
    op.execute("ALTER TABLE audit_log DROP COLUMN entry_uid")
