"""Partners may be national (edit national programs); a program version may be a retirement.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_national", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retires", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.drop_column("retires")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_column("is_national")
