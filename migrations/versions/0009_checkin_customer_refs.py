"""check-ins keep the customer code they gave, linked when that customer is imported

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A check-in whose customer code names no stored customer is kept with the code as text
    (issue 11 §4). Stored check-ins linked by their code get that code."""
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_ref", sa.String(length=32), nullable=True))
    checkins = sa.table(
        "checkins",
        sa.column("customer_id", sa.Integer()),
        sa.column("customer_ref", sa.String()),
        sa.column("link_method", sa.String()),
    )
    customers = sa.table("customers", sa.column("id", sa.Integer()), sa.column("code", sa.String()))
    code = (
        sa.select(customers.c.code)
        .where(customers.c.id == checkins.c.customer_id)
        .scalar_subquery()
    )
    op.execute(
        checkins.update()
        .where(checkins.c.link_method == "code", checkins.c.customer_id.is_not(None))
        .values(customer_ref=code)
    )


def downgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("customer_ref")
