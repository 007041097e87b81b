"""check-ins keep the customer code and employees the manager number they gave, as text

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
    """A check-in whose customer code names no stored customer, and an employee whose manager
    is not stored, are kept with the reference as text (issue 11 §4), linked when the record
    arrives. Stored check-ins linked by their code get that code; stored employees with a
    manager get the manager's number."""
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_ref", sa.String(length=32), nullable=True))
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_ref", sa.String(length=32), nullable=True))
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
    employees = sa.table(
        "employees",
        sa.column("id", sa.Integer()),
        sa.column("employee_no", sa.String()),
        sa.column("manager_id", sa.Integer()),
        sa.column("manager_ref", sa.String()),
    )
    managers = employees.alias("managers")
    number = (
        sa.select(managers.c.employee_no)
        .where(managers.c.id == employees.c.manager_id)
        .scalar_subquery()
    )
    op.execute(
        employees.update().where(employees.c.manager_id.is_not(None)).values(manager_ref=number)
    )


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("manager_ref")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("customer_ref")
