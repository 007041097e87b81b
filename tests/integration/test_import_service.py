"""The import use case on a real SQLite file and a real PostgreSQL database: all or nothing,
rejected rows kept, references kept until their record arrives, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.domain.progress import Cancelled, CancelToken
from workstation.ingest.errors import FileRejected
from workstation.store.audit import verify_audit_chain
from workstation.store.models import Employee, ImportBatch, RejectedRow


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


EMPLOYEES = (
    "工号,姓名,部门,职位,上级工号,入职日期,离职日期,企业微信账号\n"
    "S001,张伟,苏州销售部,销售总监,,2019-03-01,,zhangwei\n"
    "S002,王磊,苏州销售部,客户经理,S001,2021/1/2,,wanglei\n"
    "S003,李娜,苏州销售部,客户经理,S009,2022-05-06,,lina\n"
    "S004,赵敏,苏州销售部,客户经理,S001,2023-13-01,,zhaomin\n"
    "\n"
    "S005,周杰,苏州销售部,客户经理,S001,2020-01-01,2019-12-31,zhoujie\n"
)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _employees(app: App) -> dict[str, tuple[str, str | None]]:
    with app.uow() as uow:
        rows = uow.session.scalars(select(Employee).order_by(Employee.employee_no))
        return {e.employee_no: (e.name, e.manager.employee_no if e.manager else None) for e in rows}


def test_good_rows_commit_and_bad_rows_are_kept_with_row_and_field(
    app: App, tmp_path: Path
) -> None:
    path = _write(tmp_path, "员工.csv", EMPLOYEES)
    report = app.imports.run(path, "employees")
    assert (report.rows_read, report.accepted, report.rejected, report.duplicates) == (5, 3, 2, 0)
    assert _employees(app) == {
        "S001": ("张伟", None),
        "S002": ("王磊", "S001"),
        "S003": ("李娜", None),  # her manager S009 is not in the store yet
    }
    # rows are numbered as in the file: header on row 1, the blank line is row 6
    assert [(p.row, p.field) for p in report.problems] == [(5, "hire_date"), (7, "leave_date")]
    assert "not a date: '2023-13-01'" in report.problems[0].message
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (
            4,
            "manager_no",
            "employee S009 is not in the store yet; kept as text and linked when it is imported",
        )
    ]
    with app.uow() as uow:
        kept = uow.session.scalars(select(RejectedRow).order_by(RejectedRow.row_number)).all()
        assert [r.row_number for r in kept] == [5, 7]
        assert json.loads(kept[0].raw_json)["姓名"] == "赵敏"
        batch = uow.session.get(ImportBatch, report.batch_id)
        assert batch is not None and batch.status == "committed"
        saved = uow.session.scalars(select(Employee).where(Employee.employee_no == "S002")).one()
        assert (saved.batch_id, saved.source_row) == (report.batch_id, 3)
        assert verify_audit_chain(uow.session).intact
    assert [p.row for p in app.imports.rejected_rows(report.batch_id)] == [5, 7]


def test_the_same_file_twice_imports_nothing_new(app: App, tmp_path: Path) -> None:
    path = _write(tmp_path, "employees.csv", EMPLOYEES)
    first = app.imports.run(path, "employees")
    again = app.imports.run(path, "employees")
    assert again.already_imported and again.batch_id == first.batch_id
    assert again.accepted == 0
    assert len(app.imports.list_batches()) == 1


def test_an_overlapping_file_skips_what_is_there_and_updates_what_changed(
    app: App, tmp_path: Path
) -> None:
    app.imports.run(_write(tmp_path, "a.csv", EMPLOYEES), "employees")
    newer = (
        "employee_no,name,department,title,manager_no,hire_date\n"
        "S001,张伟,苏州销售部,销售总监,,2019-03-01\n"
        "S002,王磊,杭州销售部,客户经理,S001,2021-01-02\n"
        "S006,孙丽,杭州销售部,客户经理,S002,2024-02-01\n"
    )
    report = app.imports.run(_write(tmp_path, "b.csv", newer, "gb18030"), "employees")
    assert (report.accepted, report.duplicates, report.rejected) == (2, 1, 0)
    employees = _employees(app)
    assert employees["S006"] == ("孙丽", "S002")
    with app.uow() as uow:
        moved = uow.session.scalars(select(Employee).where(Employee.employee_no == "S002")).one()
        assert moved.department == "杭州销售部"
        assert moved.batch_id == report.batch_id


def test_a_cancelled_import_leaves_the_store_as_it_was(app: App, tmp_path: Path) -> None:
    token = CancelToken()

    def cancel_when_writing(done: int, total: int, message: str) -> None:
        if message == "Writing records":
            token.cancel()

    path = _write(tmp_path, "employees.csv", EMPLOYEES)
    with pytest.raises(Cancelled):
        app.imports.run(path, "employees", progress=cancel_when_writing, cancel=token)
    assert _employees(app) == {}
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert app.imports.run(path, "employees").accepted == 3  # re-running completes


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01\x02binary junk\xff\xfe", "not a text file"),
        ("name,department\n张伟,销售部\n".encode(), "employee_no"),
        (b"", "empty file"),
    ],
)
def test_unusable_files_are_refused_whole_naming_the_file(
    app: App, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=reason) as caught:
        app.imports.run(path, "employees")
    assert "roster.csv" in str(caught.value)
    assert _employees(app) == {}
    assert app.imports.list_batches() == []


def test_reports_of_a_manager_not_in_the_store_wait_for_him(app: App, tmp_path: Path) -> None:
    """A row whose manager is refused (he manages himself) or absent is kept with the number as
    text; the roster that brings the manager links them, also as a new manager is changed."""
    roster = "employee_no,name,manager_no\nE001,甲,E001\nE002,乙,E001\nE003,丙,E002\nE004,丁,\n"
    report = app.imports.run(_write(tmp_path, "self.csv", roster), "employees")
    assert [(p.row, p.field) for p in report.problems] == [(2, "manager_no")]
    assert "cannot manage himself" in report.problems[0].message
    assert [(w.row, w.field) for w in report.warnings] == [(3, "manager_no")]
    assert _employees(app) == {"E002": ("乙", None), "E003": ("丙", "E002"), "E004": ("丁", None)}
    with app.uow() as uow:
        waiting = uow.session.scalars(select(Employee).where(Employee.employee_no == "E002")).one()
        assert (waiting.manager_id, waiting.manager_ref) == (None, "E001")

    fixed = app.imports.run(
        _write(tmp_path, "fixed.csv", "employee_no,name\nE001,甲\n"), "employees"
    )
    assert fixed.accepted == 1
    assert [w.message for w in fixed.warnings] == [
        "resolved 1 references of earlier imports: managers of employees"
    ]
    assert _employees(app)["E002"] == ("乙", "E001")
    # the same roster again changes nothing; a manager not in the store replaces a stored one
    again = "employee_no,name,manager_no\nE002,乙,E001\nE003,丙,E002\n"
    same = app.imports.run(_write(tmp_path, "again.csv", again), "employees")
    assert (same.accepted, same.duplicates, same.warnings) == (0, 2, [])
    moved = app.imports.run(
        _write(tmp_path, "moved.csv", "employee_no,name,manager_no\nE003,丙,E099\n"), "employees"
    )
    assert (moved.accepted, [w.row for w in moved.warnings]) == (1, [2])
    assert _employees(app)["E003"] == ("丙", None)
    assert [(c.field, c.old, c.new) for c in moved.changes] == [("manager_no", "E002", "E099")]
