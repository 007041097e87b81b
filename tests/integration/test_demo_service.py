"""DemoService on real databases: refusal, determinism, rebuild, cancellation, PostgreSQL.

These use a reduced demo (16 salespeople, 200 customers, 40 days) and cheap password hashes;
the full demo is checked by ``test_demo_scenarios.py`` through the session-wide ``demo_app``
fixture. Every build writes the company's files and imports them (see ``demo.front_door``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from clocks import pinned
from sqlalchemy import Engine, func, select

from workstation.app import App
from workstation.config import load_settings
from workstation.demo.service import DemoRefused, DemoService
from workstation.demo.world import DemoSize
from workstation.domain.progress import Cancelled, CancelToken
from workstation.security.passwords import HashParameters, Passwords
from workstation.store.audit import append_audit, verify_audit_chain
from workstation.store.base import Base
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import upgrade
from workstation.store.models import (
    AppMeta,
    AuditEntry,
    Employee,
    EvidenceFile,
    ImportBatch,
    TrackPoint,
)
from workstation.store.uow import UnitOfWorkFactory

SMALL = DemoSize(salespeople_per_city=4, customers=200, days=40)
END = date(2026, 10, 30)
CHEAP = Passwords(HashParameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1))
#: Columns that say when or with which salt a build ran, not what it built.
RUN_COLUMNS = {
    "users": {"password_hash", "created_at", "last_sign_in_at", "password_changed_at"},
    "import_batches": {"started_at", "finished_at"},
    "evidence_files": {"stored_at"},
}


@dataclass
class Rig:
    service: DemoService
    engine: Engine
    uow: UnitOfWorkFactory
    data_dir: Path


def _rig(data_dir: Path, db_url: str | None = None) -> Rig:
    data_dir.mkdir(parents=True)
    settings = load_settings(data_dir, db_url)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    uow = UnitOfWorkFactory(make_session_factory(engine), pinned())
    service = DemoService(settings, engine, uow, uow.clock, passwords=CHEAP)
    return Rig(service, engine, uow, data_dir)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    made = _rig(tmp_path / "data")
    yield made
    made.engine.dispose()


def _fingerprint(engine: Engine) -> dict[str, str]:
    """SHA-256 of every row of every table (the audit log, the build's timing, and the
    columns saying when it ran left out)."""
    digests = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            skip = RUN_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skip]
            query = select(*columns).order_by(*table.primary_key.columns)
            if table.name == "app_meta":
                query = query.where(AppMeta.key != "demo.build_seconds")
            h = hashlib.sha256()
            for row in conn.execute(query):
                h.update(repr(tuple(row)).encode())
            digests[table.name] = h.hexdigest()
    return digests


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _evidence_on_disk(rig: Rig) -> set[str]:
    root = rig.data_dir / "evidence"
    return {p.name for p in root.rglob("*") if p.is_file() and len(p.name) == 64}


def test_build_refuses_a_database_with_real_data(app: App) -> None:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="E1", name="真实员工"))
        uow.commit()
    assert app.demo.has_data() and not app.demo.is_demo_database()
    with pytest.raises(DemoRefused, match="not a demo") as caught:
        app.demo.build(seed=1, end_date=END, size=SMALL)
    assert "1 employees" in str(caught.value)
    with app.uow() as uow:
        assert uow.session.scalars(select(Employee.employee_no)).all() == ["E1"]
        assert uow.session.get(AppMeta, "demo.seed") is None
    assert not app.settings.demo_files_dir.exists()


def test_an_audit_log_alone_is_no_data_and_the_demo_ends_the_companys_yesterday(
    rig: Rig,
) -> None:
    with rig.uow() as uow:
        append_audit(uow.session, "someone", "database.backup")
        uow.commit()
    assert not rig.service.has_data()
    built = rig.service.build(seed=1, size=SMALL)
    assert rig.service.is_demo_database()
    assert built.end_date == rig.uow.clock.yesterday() == date(2026, 11, 29)


def test_same_seed_and_end_date_give_identical_files_and_databases(tmp_path: Path) -> None:
    prints, files = [], []
    for name in ("a", "b"):
        made = _rig(tmp_path / name)
        made.service.build(seed=11, end_date=END, size=SMALL)
        prints.append(_fingerprint(made.engine))
        files.append(_files(made.data_dir / "demo-files"))
        made.engine.dispose()
    assert prints[0] == prints[1]
    assert files[0] == files[1] and len(files[0]) > 20


def test_rebuild_replaces_the_previous_demo_and_keeps_the_audit_chain(
    rig: Rig, tmp_path: Path
) -> None:
    demo_service = rig.service
    first = demo_service.build(seed=1, end_date=END, size=SMALL)
    second = demo_service.build(seed=2, end_date=date(2026, 10, 20), size=SMALL)
    fresh = _rig(tmp_path / "fresh")
    expected = fresh.service.build(seed=2, end_date=date(2026, 10, 20), size=SMALL)
    fresh.engine.dispose()
    assert first.counts["track_points"] > 100_000
    summary = demo_service.summary()
    assert (summary.seed, summary.end_date) == (2, date(2026, 10, 20))
    assert summary.scenarios == second.scenarios == expected.scenarios
    for table, count in expected.counts.items():
        if table not in ("audit_log", "evidence_files"):
            assert summary.counts[table] == count, table
    assert _files(rig.data_dir / "demo-files") == _files(tmp_path / "fresh" / "demo-files")
    with rig.uow() as uow:
        actions = uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions.count("demo.build") == 2 and actions[-1] == "demo.build"
        imported_by = set(
            uow.session.scalars(
                select(AuditEntry.actor).where(AuditEntry.action == "import.committed")
            )
        )
        assert imported_by == {"hr.zhou"}
        assert verify_audit_chain(uow.session).intact


def test_cancelling_leaves_the_database_and_the_files_as_they_were(rig: Rig) -> None:
    demo_service = rig.service
    folder = rig.data_dir / "demo-files"
    token = CancelToken()
    seen: list[str] = []

    def cancelling(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Importing GPS tracks (3/"):
            token.cancel()

    with pytest.raises(Cancelled):
        demo_service.build(seed=1, end_date=END, size=SMALL, progress=cancelling, cancel=token)
    assert any(m.startswith("Importing the CRM customer master") for m in seen)
    assert not demo_service.has_data() and not demo_service.is_demo_database()
    assert not folder.exists() and not (rig.data_dir / "demo-files.new").exists()
    assert _evidence_on_disk(rig) == set(), "the stored copies of the imported files went too"

    calls: list[tuple[int, int, str]] = []
    built = demo_service.build(
        seed=1, end_date=END, size=SMALL, progress=lambda d, t, m: calls.append((d, t, m))
    )
    dones = [d for d, _, _ in calls]
    assert dones == sorted(dones) and dones[-1] == calls[-1][1]
    assert len({t for _, t, _ in calls}) == 1
    assert built.counts == demo_service.summary().counts
    assert built.seconds > 0 and built.end_date == END
    js = built.to_json_dict()
    assert js["end_date"] == "2026-10-30" and all(isinstance(p, str) for p in js["demo_files"])
    assert [i["file"] for i in js["imports"]][:2] == ["办公地点.csv", f"花名册_{END:%Y%m%d}.xlsx"]
    assert {s["kind"] for s in demo_service.scenarios()} == {
        "diverter", "fake_fieldwork", "territory_change", "commute_passes_competitor",
        "office_shares_tower",
    }  # fmt: skip
    before, files, stored = built.counts, _files(folder), _evidence_on_disk(rig)
    with rig.uow() as uow:
        recorded = set(uow.session.scalars(select(EvidenceFile.sha256)))
    assert stored == recorded

    token = CancelToken()
    with pytest.raises(Cancelled):
        demo_service.build(seed=2, end_date=END, size=SMALL, progress=cancelling, cancel=token)
    after = demo_service.summary()
    assert after.seed == 1 and after.counts == before
    assert _files(folder) == files and _evidence_on_disk(rig) == stored


def test_demo_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    made = _rig(tmp_path / "pg", postgres_url)
    service = made.service
    try:
        service.build(seed=1, end_date=END, size=SMALL)
        built = service.build(seed=1, end_date=END, size=SMALL)
        assert service.is_demo_database()
        with made.uow() as uow:
            points = uow.session.scalar(select(func.count()).select_from(TrackPoint))
            assert points == built.counts["track_points"] > 100_000
            batches = uow.session.scalar(select(func.count()).select_from(ImportBatch))
            assert batches == len(built.imports) > 20
            uow.session.add(Employee(employee_no="NEW1", name="新员工"))  # id from the sequence
            uow.commit()
    finally:
        made.engine.dispose()
