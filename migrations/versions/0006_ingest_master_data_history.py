"""master data history: what imports changed on employees and customers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One row per value an import batch changed on an employee or a customer."""
    op.create_table(
        "master_data_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("entity_key", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_master_data_changes_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_data_changes")),
    )
    with op.batch_alter_table("master_data_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_master_data_changes_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            "ix_master_data_changes_entity", ["entity", "entity_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("master_data_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_master_data_changes_entity")
        batch_op.drop_index(batch_op.f("ix_master_data_changes_batch_id"))
    op.drop_table("master_data_changes")
