"""The full demo (``demo_app``) is its files, imported: every file of the manifest is on disk
and was imported as it says, by the demo's HR officer, and every record of the store came in
through an import batch (nothing was written around the importers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, func, select

from workstation.app import App
from workstation.store.base import Base
from workstation.store.models import Checkin, Employee, ImportBatch, MissedPunch

#: Import kind → the tables its rows become (one record per accepted row in the first).
KIND_TABLES = {
    "offices": "offices",
    "employees": "employees",
    "competitors": "competitor_sites",
    "customers": "customers",
    "customer_events": "customer_events",
    "orders": "orders",
    "leads": "leads",
    "checkins": "checkins",
    "tracks": "track_points",
    "communications": "communications",
}


@pytest.fixture(scope="module")
def folder(demo_app: App) -> Path:
    return demo_app.settings.demo_files_dir


@pytest.fixture(scope="module")
def manifest(folder: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (folder / "manifest.json").read_text(encoding="utf-8")
    )["files"]
    return entries


@pytest.fixture(scope="module")
def conn(demo_app: App) -> Any:
    with demo_app.engine.connect() as connection:
        yield connection


def _batches(conn: Connection) -> list[Any]:
    return list(conn.execute(select(ImportBatch).order_by(ImportBatch.id)))


def test_the_summary_lists_the_files_on_disk(demo_app: App, folder: Path) -> None:
    listed = demo_app.demo.summary().demo_files
    assert listed == sorted(p for p in folder.rglob("*") if p.is_file())
    assert {p.name for p in listed} >= {"manifest.json", "scenarios.json"}
    assert not folder.with_name("demo-files.new").exists()


def test_every_file_of_the_manifest_was_imported_as_it_says(
    folder: Path, manifest: list[dict[str, Any]], conn: Connection
) -> None:
    imported = [e for e in manifest if e["imported"]]
    batches = _batches(conn)
    assert [b.file_name for b in batches] == [Path(e["file"]).name for e in imported]
    for entry, batch in zip(imported, batches, strict=True):
        assert (folder / entry["file"]).is_file(), entry["file"]
        assert batch.kind == entry["kind"] and batch.status == "committed"
        assert batch.imported_by == "hr.zhou"
        assert batch.rows_total == entry["records"], entry["file"]
        assert batch.rows_accepted + batch.rows_duplicate == entry["records"], entry["file"]
        assert batch.rows_rejected == 0, entry["file"]
    waiting = [e for e in manifest if not e["imported"]]
    assert [e["kind"] for e in waiting] == ["sales_tasks"], "kinds still to come"
    assert all((folder / e["file"]).is_file() for e in waiting)


def test_every_record_came_in_through_an_import_batch(demo_app: App, conn: Connection) -> None:
    """Each table a file's rows go to has a batch and a source row on every record, pointing at
    a committed batch; and the records are exactly the rows those batches accepted."""
    batches = {b.id: b for b in _batches(conn)}
    traced = [
        t for t in Base.metadata.sorted_tables if {"batch_id", "source_row"} <= set(t.c.keys())
    ]
    names = {t.name for t in traced}
    assert set(KIND_TABLES.values()) <= names and "customer_ownerships" in names
    for table in traced:
        untraced = conn.scalar(
            select(func.count())
            .select_from(table)
            .where(table.c.batch_id.is_(None) | table.c.source_row.is_(None))
        )
        assert untraced == 0, table.name
        used = set(conn.scalars(select(table.c.batch_id).distinct()))
        assert used <= set(batches), table.name
        assert all(batches[b].status == "committed" for b in used), table.name
    accepted: dict[str, int] = {}
    for batch in batches.values():
        accepted[batch.kind] = accepted.get(batch.kind, 0) + batch.rows_accepted
    for kind, table_name in KIND_TABLES.items():
        table: Table = Base.metadata.tables[table_name]
        stored = conn.scalar(select(func.count()).select_from(table))
        if kind == "checkins":  # a punch that never came is a missed punch, not a check-in
            stored += conn.scalar(select(func.count()).select_from(MissedPunch))
        assert stored == accepted[kind], kind
    # Ownership comes only from the customer list (as of the last day) and the customer events:
    # each period names the row that opened it.
    kinds = {
        kind
        for (kind,) in conn.execute(
            select(ImportBatch.kind).where(
                ImportBatch.id.in_(
                    select(Base.metadata.tables["customer_ownerships"].c.batch_id).distinct()
                )
            )
        )
    }
    assert kinds == {"customers", "customer_events"}


def test_missed_punches_are_kept_apart_from_the_check_ins(
    manifest: list[dict[str, Any]], conn: Connection
) -> None:
    """DingTalk 缺卡 rows and WeCom 未打卡 records become missed punches, every other punch a
    check-in: the attendance files' records, all accounted for."""
    punches = sum(e["records"] for e in manifest if e["kind"] == "checkins")
    checkins = conn.scalar(select(func.count()).select_from(Checkin))
    missed = conn.scalar(select(func.count()).select_from(MissedPunch))
    assert missed and checkins + missed == punches


def test_the_fake_field_worker_s_claims_are_linked_by_the_remark(
    demo_app: App, conn: Connection
) -> None:
    """The planted fake field work is linked to the customers its remarks name (拜访客户：…), so
    the fake-field-work indicator sees it from the attendance files alone."""
    fake = next(s for s in demo_app.demo.scenarios() if s["kind"] == "fake_fieldwork")
    rows = conn.execute(
        select(Checkin.link_method, Checkin.note, Checkin.customer_id)
        .join(Employee, Employee.id == Checkin.employee_id)
        .where(Employee.employee_no == fake["employee_no"], Checkin.kind == "field")
    ).all()
    claims = [r for r in rows if r.note and "拜访客户" in r.note]
    assert len(claims) >= fake["far_checkins_in_window"]
    assert all(r.link_method == "remark" and r.customer_id for r in claims)
    field = conn.scalar(select(func.count()).select_from(Checkin).where(Checkin.kind == "field"))
    unlinked = conn.scalar(
        select(func.count())
        .select_from(Checkin)
        .where(Checkin.kind == "field", Checkin.customer_id.is_(None))
    )
    assert unlinked <= field // 1000, "nearly every field check-in finds its customer"


def test_scenarios_json_is_the_answer_key(folder: Path, demo_app: App) -> None:
    key = json.loads((folder / "scenarios.json").read_text(encoding="utf-8"))
    assert key == demo_app.demo.scenarios()
    assert [s["kind"] for s in key] == [
        "diverter", "fake_fieldwork", "territory_change", "commute_passes_competitor",
        "office_shares_tower",
    ]  # fmt: skip
    assert all(s["description"] and "innocent" in s for s in key)
