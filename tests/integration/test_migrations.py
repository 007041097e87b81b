"""Alembic migrations: they build exactly the models, upgrade old databases, back up first."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from acting import sign_in_without_user
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.base import Base
from workstation.store.engine import make_engine
from workstation.store.migrate import SchemaError, current_revision, head_revision, upgrade


def test_migrations_produce_exactly_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations drift apart: {diff}"


def test_head_is_reached_and_second_upgrade_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    first = upgrade(engine)
    second = upgrade(engine)
    assert first.changed and first.to_revision == head_revision()
    assert not second.changed
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_start_upgrades_a_database_made_by_the_first_migration(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    settings = load_settings(data_dir)
    db_file = settings.sqlite_path
    assert db_file is not None
    data_dir.mkdir()
    engine = make_engine(settings.db_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO employees (employee_no, name, hire_date) "
                "VALUES ('S001', '张伟', '2024-03-01')"
            )
        )
    engine.dispose()
    assert "communications" not in _sqlite_tables(db_file)

    app = open_app(settings)  # what every start of the program does
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        assert app.upgrade_result is not None
        assert app.upgrade_result.from_revision == "0001"
        assert app.upgrade_result.to_revision == head_revision()
        rows = app.employees.list_employees()
        assert [(r.employee_no, r.name, r.hire_date) for r in rows] == [
            ("S001", "张伟", date(2024, 3, 1))
        ]
        backup = app.upgrade_result.backup_path
    finally:
        app.close()
    assert "communications" in _sqlite_tables(db_file)
    assert backup is not None and backup.exists()
    assert "communications" not in _sqlite_tables(backup), "backup must be the old database"
    assert ("S001",) in sqlite3.connect(backup).execute("select employee_no from employees")


def test_refuses_a_database_newer_than_the_program(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="newer than this program"):
        upgrade(engine)
    engine.dispose()


def test_refuses_a_foreign_database(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE payroll (id INTEGER PRIMARY KEY, amount REAL)")
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(SchemaError, match="not made by Casework"):
        upgrade(engine)
    assert inspect(engine).get_table_names() == ["payroll"]
    engine.dispose()


def _sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}


def test_references_are_kept_as_text_after_0009(db_url: str) -> None:
    """0009 gives check-ins the code they gave as text (``customer_ref``): the stored ones
    linked by their code get the customer's code, the others have none to keep; and
    employees their manager's number (``manager_ref``)."""
    engine = make_engine(db_url)
    upgrade(engine, "0008")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employees (id, employee_no, name) VALUES (1, 'S1', '王磊')"))
        conn.execute(
            text(
                "INSERT INTO employees (id, employee_no, name, manager_id) "
                "VALUES (2, 'S2', '周敏', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO customers (id, code, name, radius_m, coord_system) "
                "VALUES (1, 'C1', '苏州恒达', 500, 'WGS84'), (2, 'C2', '无锡恒达', 500, 'WGS84')"
            )
        )
        for checkin_id, customer_id, method in ((1, 1, "code"), (2, 2, "remark"), (3, None, None)):
            conn.execute(
                text(
                    "INSERT INTO checkins (id, employee_id, checked_at, kind, coord_system, "
                    "customer_id, link_method, makeup_approved) VALUES (:id, 1, :t, 'field', "
                    "'WGS84', :c, :m, false)"
                ),
                {"id": checkin_id, "t": f"2024-03-04 0{checkin_id}:00:00", "c": customer_id,
                 "m": method},
            )  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        refs = conn.execute(text("SELECT id, customer_ref FROM checkins ORDER BY id")).all()
        managers = conn.execute(text("SELECT id, manager_ref FROM employees ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in refs] == [(1, "C1"), (2, None), (3, None)]
    assert [tuple(r) for r in managers] == [(1, None), (2, "S1")]
