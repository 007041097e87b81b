"""import batch duplicate count

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 04:13:07.457518

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Count rows skipped as already present, beside accepted and rejected."""
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rows_duplicate", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("rows_duplicate")
