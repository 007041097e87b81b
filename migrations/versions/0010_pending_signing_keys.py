"""keys awaiting certification: each user's key is made under their own passphrase and an
administrator certifies it with the CA (issue 12, "keys are one person's")

Revision ID: 0010_personal_keys
Revises: 0009
Create Date: 2026-12-07 17:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workstation.store.base import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0010_personal_keys"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("private_key_pem", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pending_signing_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_signing_keys")),
        sa.UniqueConstraint("user_id", name=op.f("uq_pending_signing_keys_user_id")),
    )


def downgrade() -> None:
    op.drop_table("pending_signing_keys")
