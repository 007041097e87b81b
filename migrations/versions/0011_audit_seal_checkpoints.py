"""audit checkpoints signed by the installation seal, and the seals' public keys

Revision ID: 0011_audit_seal
Revises: 0010_personal_keys
Create Date: 2026-12-07 16:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workstation.store.base import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0011_audit_seal"
down_revision: str | Sequence[str] | None = "0010_personal_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Signed checkpoints of the audit chain (issue 12), and each workstation's seal."""
    op.create_table(
        "audit_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seals")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_audit_seals_fingerprint")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("seal_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoints_entry_id"), ["entry_id"])
        batch_op.create_index(
            batch_op.f("ix_audit_checkpoints_seal_fingerprint"), ["seal_fingerprint"]
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_seal_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_entry_id"))
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_seals")
