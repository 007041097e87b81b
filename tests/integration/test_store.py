"""The store on real databases: SQLite pragmas, time zones, the audit chain, backups."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from clocks import TEST_NOW
from sqlalchemy import select, text
from stores import store_at

from workstation.store.audit import append_audit, verify_audit_chain
from workstation.store.backup import backup_sqlite
from workstation.store.engine import make_engine
from workstation.store.models import Checkin, Employee, TrackPoint

SHANGHAI = timezone(timedelta(hours=8))


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    engine.dispose()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    uow = store_at(db_url)
    with uow() as u, pytest.raises(Exception, match=r"(?i)foreign key"):
        u.session.add(Checkin(employee_id=999, checked_at=TEST_NOW, kind="field"))
        u.session.flush()


def test_times_keep_their_instant_whatever_the_zone(db_url: str) -> None:
    uow = store_at(db_url)
    local = datetime(2026, 9, 1, 9, 30, tzinfo=SHANGHAI)
    with uow() as u:
        e = Employee(employee_no="S1", name="李娜")
        u.session.add(e)
        u.session.flush()
        u.session.add(
            Checkin(employee_id=e.id, checked_at=local, kind="on_duty", lat=31.2, lon=121.5)
        )
        u.session.add(TrackPoint(employee_id=e.id, t_ms=1_756_690_200_000, lat=31.2, lon=121.5))
        u.commit()
    with uow() as u:
        stored = u.session.scalars(select(Checkin)).one().checked_at
        assert stored == local and stored.tzinfo is not None
        assert stored.astimezone(UTC).hour == 1
    with uow() as u, pytest.raises(Exception, match="naive datetime"):
        u.session.add(Checkin(employee_id=1, checked_at=datetime(2026, 9, 1), kind="field"))
        u.session.flush()


def test_audit_chain_verifies_and_names_the_first_broken_entry(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    uow = store_at(f"sqlite:///{path}")
    with uow() as u:
        for i in range(5):
            append_audit(u.session, "hr.li", "track.read", "employee", f"S{i}", {"day": i})
        u.commit()
    with uow() as u:
        report = verify_audit_chain(u.session)
    assert report.intact and report.entries == 5

    def tamper(sql: str) -> int | None:
        copy = tmp_path / f"copy-{abs(hash(sql))}.sqlite3"
        backup_sqlite(path, copy)
        with sqlite3.connect(copy) as conn:
            conn.execute(sql)
        check = store_at(f"sqlite:///{copy}")
        with check() as u:
            return verify_audit_chain(u.session).first_broken_id

    assert tamper("UPDATE audit_log SET details_json='{\"day\":9}' WHERE id=3") == 3
    assert tamper("UPDATE audit_log SET actor='someone.else' WHERE id=2") == 2
    assert tamper("DELETE FROM audit_log WHERE id=2") == 3
    assert (
        tamper(
            "INSERT INTO audit_log (id, at, actor, action, details_json, prev_hash, entry_hash) "
            "SELECT 10, at, actor, action, details_json, 'x', 'y' FROM audit_log WHERE id=5"
        )
        == 10
    )


def test_backup_copies_a_database_in_use(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    uow = store_at(f"sqlite:///{path}")
    with uow() as u:
        u.session.add(Employee(employee_no="S9", name="周杰"))
        u.commit()
    with uow() as writer:  # an open transaction elsewhere must not block the copy
        writer.session.add(Employee(employee_no="S10", name="未提交"))
        writer.session.flush()
        copy = backup_sqlite(path, tmp_path / "backups" / "copy.sqlite3")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select employee_no from employees").fetchall() == [("S9",)]
    with pytest.raises(ValueError, match="must differ"):
        backup_sqlite(path, path)


def test_concurrent_writers_queue_up_instead_of_forking_the_chain(db_url: str) -> None:
    uow = store_at(db_url)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(25):
                with uow() as u:
                    u.session.execute(select(Employee.id)).all()  # a read before the append
                    append_audit(u.session, name, "track.read", "employee", str(i))
                    u.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"user{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with uow() as u:
        report = verify_audit_chain(u.session)
    assert report.intact and report.entries == 75
