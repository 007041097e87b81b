"""customer ownership over time: statements, open starts, references kept as text

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """What each row said about ownership (periods are derived from it); ownership periods
    with an unknown start; orders of a customer not yet imported; the references of orders,
    leads and customer events kept as the file gave them (filled in for stored rows); import
    warnings."""
    op.create_table(
        "ownership_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner_no", sa.String(length=32), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_ownership_statements_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_ownership_statements_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_statements")),
    )
    with op.batch_alter_table("ownership_statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ownership_statements_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ownership_statements_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ownership_statements_owner_no"), ["owner_no"], unique=False
        )
    with op.batch_alter_table("customer_ownerships", schema=None) as batch_op:
        batch_op.alter_column("start_date", existing_type=sa.Date(), nullable=True)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("customer_ref", sa.String(length=32), nullable=True))
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_ref", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("converted_order_ref", sa.String(length=32), nullable=True))
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_owner_no", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("new_owner_no", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("competitor_ref", sa.String(length=200), nullable=True))
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warnings_json", sa.Text(), nullable=True))
    for statement in (
        "UPDATE orders SET customer_ref = "
        "(SELECT code FROM customers WHERE customers.id = orders.customer_id)",
        "UPDATE leads SET customer_ref = "
        "(SELECT code FROM customers WHERE customers.id = leads.customer_id)",
        "UPDATE leads SET converted_order_ref = "
        "(SELECT order_no FROM orders WHERE orders.id = leads.converted_order_id)",
        "UPDATE customer_events SET new_owner_no = "
        "(SELECT employee_no FROM employees WHERE employees.id = customer_events.new_owner_id)",
        "UPDATE customer_events SET competitor_ref = "
        "(SELECT name FROM competitors WHERE competitors.id = customer_events.competitor_id)",
    ):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DELETE FROM customer_ownerships WHERE start_date IS NULL")
    op.execute("DELETE FROM orders WHERE customer_id IS NULL")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("warnings_json")
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.drop_column("competitor_ref")
        batch_op.drop_column("new_owner_no")
        batch_op.drop_column("previous_owner_no")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("converted_order_ref")
        batch_op.drop_column("customer_ref")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("customer_ref")
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("customer_ownerships", schema=None) as batch_op:
        batch_op.alter_column("start_date", existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table("ownership_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ownership_statements_owner_no"))
        batch_op.drop_index(batch_op.f("ix_ownership_statements_customer_id"))
        batch_op.drop_index(batch_op.f("ix_ownership_statements_batch_id"))
    op.drop_table("ownership_statements")
