"""initial schema: organisation, CRM, movement, provenance and audit

Revision ID: 0001
Revises:
Create Date: 2026-11-27 02:30:03.200894

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_log_entry_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)

    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_files_sha256")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source_profile", sa.String(length=64), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("options_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["evidence_files.id"],
            name=op.f("fk_import_batches_file_id_evidence_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "competitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_competitors_batch_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitors")),
        sa.UniqueConstraint("name", name=op.f("uq_competitors_name")),
    )
    with op.batch_alter_table("competitors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competitors_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("industry", sa.String(length=50), nullable=True),
        sa.Column("radius_m", sa.Double(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("coord_system", sa.String(length=8), nullable=False),
        sa.Column("orig_lat", sa.Float(), nullable=True),
        sa.Column("orig_lon", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_customers_batch_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("code", name=op.f("uq_customers_code")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customers_name"), ["name"], unique=False)

    op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("radius_m", sa.Double(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("coord_system", sa.String(length=8), nullable=False),
        sa.Column("orig_lat", sa.Float(), nullable=True),
        sa.Column("orig_lon", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_offices_batch_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offices")),
        sa.UniqueConstraint("name", name=op.f("uq_offices_name")),
    )
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offices_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "rejected_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raw_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_rejected_rows_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_rows")),
    )
    with op.batch_alter_table("rejected_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_rows_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "competitor_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competitor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("radius_m", sa.Double(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("coord_system", sa.String(length=8), nullable=False),
        sa.Column("orig_lat", sa.Float(), nullable=True),
        sa.Column("orig_lon", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_competitor_sites_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["competitors.id"],
            name=op.f("fk_competitor_sites_competitor_id_competitors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitor_sites")),
    )
    with op.batch_alter_table("competitor_sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competitor_sites_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_competitor_sites_competitor_id"), ["competitor_id"], unique=False
        )

    op.create_table(
        "employees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_no", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("leave_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("wecom_userid", sa.String(length=64), nullable=True),
        sa.Column("dingtalk_userid", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_employees_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["employees.id"], name=op.f("fk_employees_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_employees_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        sa.UniqueConstraint("dingtalk_userid", name=op.f("uq_employees_dingtalk_userid")),
        sa.UniqueConstraint("employee_no", name=op.f("uq_employees_employee_no")),
        sa.UniqueConstraint("wecom_userid", name=op.f("uq_employees_wecom_userid")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employees_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_employees_name"), ["name"], unique=False)

    op.create_table(
        "customer_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("competitor_id", sa.Integer(), nullable=True),
        sa.Column("new_owner_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_customer_events_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["competitors.id"],
            name=op.f("fk_customer_events_competitor_id_competitors"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_events_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_customer_events_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["new_owner_id"],
            ["employees.id"],
            name=op.f("fk_customer_events_new_owner_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_events")),
    )
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_events_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_customer_events_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_customer_events_employee_date", ["employee_id", "event_date"], unique=False
        )

    op.create_table(
        "customer_ownerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_customer_ownerships_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_ownerships_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_customer_ownerships_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_ownerships")),
    )
    with op.batch_alter_table("customer_ownerships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_ownerships_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_ownerships_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_customer_ownerships_employee_period", ["employee_id", "start_date"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("competitor_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_orders_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["competitor_id"], ["competitors.id"], name=op.f("fk_orders_competitor_id_competitors")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_orders_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_orders_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_no", name=op.f("uq_orders_order_no")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            "ix_orders_employee_date", ["employee_id", "order_date"], unique=False
        )

    op.create_table(
        "sales_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_sales_tasks_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sales_tasks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_sales_tasks_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_tasks")),
    )
    with op.batch_alter_table("sales_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_tasks_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_sales_tasks_employee_date", ["employee_id", "planned_date"], unique=False
        )

    op.create_table(
        "track_points",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("t_ms", sa.BigInteger(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("speed_mps", sa.Float(), nullable=True),
        sa.Column("coord_code", sa.SmallInteger(), nullable=False),
        sa.Column("orig_lat", sa.Float(), nullable=True),
        sa.Column("orig_lon", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_track_points_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_track_points_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_points")),
    )
    with op.batch_alter_table("track_points", schema=None) as batch_op:
        batch_op.create_index(
            "ix_track_points_employee_time", ["employee_id", "t_ms"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_users_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photo_evidence_id", sa.Integer(), nullable=True),
        sa.Column("photo_ref", sa.String(length=300), nullable=True),
        sa.Column("source_result", sa.String(length=100), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("coord_system", sa.String(length=8), nullable=False),
        sa.Column("orig_lat", sa.Float(), nullable=True),
        sa.Column("orig_lon", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_checkins_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_checkins_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_checkins_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["photo_evidence_id"],
            ["evidence_files.id"],
            name=op.f("fk_checkins_photo_evidence_id_evidence_files"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["sales_tasks.id"], name=op.f("fk_checkins_task_id_sales_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_checkins_employee_time", ["employee_id", "checked_at"], unique=False
        )

    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_no", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("converted_order_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_leads_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["converted_order_id"], ["orders.id"], name=op.f("fk_leads_converted_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_leads_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_leads_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("lead_no", name=op.f("uq_leads_lead_no")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_leads_employee_created", ["employee_id", "created_on"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_employee_created")
        batch_op.drop_index(batch_op.f("ix_leads_batch_id"))

    op.drop_table("leads")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_checkins_employee_time")
        batch_op.drop_index(batch_op.f("ix_checkins_batch_id"))

    op.drop_table("checkins")
    op.drop_table("users")
    with op.batch_alter_table("track_points", schema=None) as batch_op:
        batch_op.drop_index("ix_track_points_employee_time")

    op.drop_table("track_points")
    with op.batch_alter_table("sales_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_tasks_employee_date")
        batch_op.drop_index(batch_op.f("ix_sales_tasks_batch_id"))

    op.drop_table("sales_tasks")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_employee_date")
        batch_op.drop_index(batch_op.f("ix_orders_customer_id"))
        batch_op.drop_index(batch_op.f("ix_orders_batch_id"))

    op.drop_table("orders")
    with op.batch_alter_table("customer_ownerships", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_ownerships_employee_period")
        batch_op.drop_index(batch_op.f("ix_customer_ownerships_customer_id"))
        batch_op.drop_index(batch_op.f("ix_customer_ownerships_batch_id"))

    op.drop_table("customer_ownerships")
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_events_employee_date")
        batch_op.drop_index(batch_op.f("ix_customer_events_customer_id"))
        batch_op.drop_index(batch_op.f("ix_customer_events_batch_id"))

    op.drop_table("customer_events")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employees_name"))
        batch_op.drop_index(batch_op.f("ix_employees_batch_id"))

    op.drop_table("employees")
    with op.batch_alter_table("competitor_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competitor_sites_competitor_id"))
        batch_op.drop_index(batch_op.f("ix_competitor_sites_batch_id"))

    op.drop_table("competitor_sites")
    with op.batch_alter_table("rejected_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_rows_batch_id"))

    op.drop_table("rejected_rows")
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offices_batch_id"))

    op.drop_table("offices")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_name"))
        batch_op.drop_index(batch_op.f("ix_customers_batch_id"))

    op.drop_table("customers")
    with op.batch_alter_table("competitors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competitors_batch_id"))

    op.drop_table("competitors")
    op.drop_table("import_batches")
    op.drop_table("evidence_files")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("app_meta")
