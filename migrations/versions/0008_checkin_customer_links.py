"""check-ins: how the customer was found, where the position comes from; missed punches

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workstation.store.base import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Check-ins keep how they were linked to a customer and where their position comes from
    (the app's fix, the track, or the address); missed punches get a table of their own.

    Stored check-ins: a customer from the file's code column, a position from the source,
    except those the importer placed by their address (no original value kept).
    """
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("link_text", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("position_source", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("address_place", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("address_lat", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("address_lon", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("makeup_approved", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    checkins = sa.table(
        "checkins",
        sa.column("customer_id", sa.Integer()),
        sa.column("lat", sa.Float()),
        sa.column("orig_lat", sa.Float()),
        sa.column("link_method", sa.String()),
        sa.column("position_source", sa.String()),
    )
    op.execute(
        checkins.update().where(checkins.c.customer_id.is_not(None)).values(link_method="code")
    )
    op.execute(
        checkins.update()
        .where(checkins.c.lat.is_not(None))
        .values(position_source=sa.case((checkins.c.orig_lat.is_(None), "address"), else_="device"))
    )
    op.create_table(
        "missed_punches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_result", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_missed_punches_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_missed_punches_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_punches")),
    )
    with op.batch_alter_table("missed_punches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missed_punches_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_missed_punches_employee_time", ["employee_id", "scheduled_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("missed_punches", schema=None) as batch_op:
        batch_op.drop_index("ix_missed_punches_employee_time")
        batch_op.drop_index(batch_op.f("ix_missed_punches_batch_id"))
    op.drop_table("missed_punches")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("makeup_approved")
        batch_op.drop_column("address_lon")
        batch_op.drop_column("address_lat")
        batch_op.drop_column("address_place")
        batch_op.drop_column("position_source")
        batch_op.drop_column("link_text")
        batch_op.drop_column("link_method")
