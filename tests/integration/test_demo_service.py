"""DemoService on real databases: refusal, determinism, rebuild, cancellation, PostgreSQL.

These use a reduced demo (16 salespeople, 200 customers, 40 days); the full demo is checked
by ``test_demo_scenarios.py`` through the session-wide ``demo_app`` fixture.
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
from workstation.store.audit import append_audit, verify_audit_chain
from workstation.store.base import Base
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import upgrade
from workstation.store.models import AppMeta, AuditEntry, Employee, TrackPoint
from workstation.store.uow import UnitOfWorkFactory

SMALL = DemoSize(salespeople_per_city=4, customers=200, days=40)
END = date(2026, 10, 30)


@dataclass
class Rig:
    service: DemoService
    engine: Engine
    uow: UnitOfWorkFactory


def _rig(data_dir: Path, db_url: str | None = None) -> Rig:
    data_dir.mkdir(parents=True)
    settings = load_settings(data_dir, db_url)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    uow = UnitOfWorkFactory(make_session_factory(engine), pinned())
    return Rig(DemoService(settings, engine, uow, uow.clock), engine, uow)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    made = _rig(tmp_path / "data")
    yield made
    made.engine.dispose()


def _fingerprint(engine: Engine) -> dict[str, str]:
    """SHA-256 of every row of every table (audit log and build timing left out)."""
    digests = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            query = select(table).order_by(*table.primary_key.columns)
            if table.name == "app_meta":
                query = query.where(AppMeta.key != "demo.build_seconds")
            h = hashlib.sha256()
            for row in conn.execute(query):
                h.update(repr(tuple(row)).encode())
            digests[table.name] = h.hexdigest()
    return digests


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


def test_an_audit_log_alone_does_not_count_as_data(rig: Rig) -> None:
    with rig.uow() as uow:
        append_audit(uow.session, "someone", "database.backup")
        uow.commit()
    assert not rig.service.has_data()
    rig.service.build(seed=1, end_date=END, size=SMALL)
    assert rig.service.is_demo_database()


def test_same_seed_and_end_date_give_identical_databases(tmp_path: Path) -> None:
    prints = []
    for name in ("a", "b", "c"):
        made = _rig(tmp_path / name)
        made.service.build(seed=11 if name != "c" else 12, end_date=END, size=SMALL)
        prints.append(_fingerprint(made.engine))
        made.engine.dispose()
    assert prints[0] == prints[1]
    assert prints[0]["customers"] != prints[2]["customers"]
    assert prints[0]["track_points"] != prints[2]["track_points"]


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
        if table != "audit_log":
            assert summary.counts[table] == count, table
    with rig.uow() as uow:
        actions = uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["demo.build", "demo.build"]
        assert verify_audit_chain(uow.session).intact


def test_cancelling_leaves_the_database_as_it_was(rig: Rig) -> None:
    demo_service = rig.service
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Writing GPS tracks (3/"):
            token.cancel()

    with pytest.raises(Cancelled):
        demo_service.build(seed=1, end_date=END, size=SMALL, progress=progress, cancel=token)
    assert any(m.startswith("Writing GPS tracks") for m in seen)
    assert not demo_service.has_data() and not demo_service.is_demo_database()

    demo_service.build(seed=1, end_date=END, size=SMALL)
    before = demo_service.summary().counts
    token = CancelToken()
    with pytest.raises(Cancelled):
        demo_service.build(seed=2, end_date=END, size=SMALL, progress=progress, cancel=token)
    after = demo_service.summary()
    assert after.seed == 1 and after.counts == before


def test_progress_counts_up_to_its_total_and_summary_matches(rig: Rig) -> None:
    demo_service = rig.service
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
    assert {s["kind"] for s in demo_service.scenarios()} == {
        "diverter", "fake_fieldwork", "territory_change", "commute_passes_competitor",
        "office_shares_tower",
    }  # fmt: skip


def test_default_end_date_is_the_companys_yesterday(rig: Rig) -> None:
    built = rig.service.build(seed=1, size=SMALL)
    assert built.end_date == rig.uow.clock.yesterday() == date(2026, 11, 29)


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
            uow.session.add(Employee(employee_no="NEW1", name="新员工"))  # id from the sequence
            uow.commit()
    finally:
        made.engine.dispose()
