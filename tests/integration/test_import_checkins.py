"""Generic check-in files: kinds in Chinese or English, local times, GCJ-02 kept as original."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.domain.enums import CoordSystem
from workstation.geo.coords import gcj02_to_wgs84
from workstation.ingest.model import ImportOptions
from workstation.store.models import Checkin, Customer, Employee


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


CHECKINS = (
    "工号,打卡时间,纬度,经度,精度,类型,客户编号,地址,备注\n"
    "S1,2026-10-29 08:58:00,31.318,120.674,12,上班,,苏州分公司,\n"
    "S1,2026-10-29 10:30:00,31.301,120.611,20,外勤,C1,星湖街 328 号,拜访\n"
    "S9,2026-10-29 10:31:00,31.301,120.611,20,外勤,C1,,\n"
    "S1,2026-10-29 11:00:00,31.301,120.611,20,出差,C1,,\n"
    "S1,2026-10-29 12:00:00,31.301,,20,外勤,C1,,\n"
    "S1,2026-10-29 13:00:00,31.301,120.611,20,外勤,C404,,\n"
)


@pytest.fixture
def people(app: App) -> App:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="S1", name="王磊"))
        uow.session.add(Customer(code="C1", name="苏州恒达", lat=31.3, lon=120.61))
        uow.commit()
    return app


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_checkins_import_with_kinds_customers_and_converted_positions(
    people: App, tmp_path: Path
) -> None:
    report = people.imports.run(
        _file(tmp_path, "dk.csv", CHECKINS), "checkins", ImportOptions(crs=CoordSystem.GCJ02)
    )
    assert (report.accepted, report.rejected) == (3, 3)
    assert [(p.row, p.field) for p in report.problems] == [
        (4, "employee_no"),
        (5, "kind"),
        (6, "lon"),
    ]
    assert "unknown employee S9" in report.problems[0].message
    # a customer not (yet) in the store does not refuse the punch: its code waits as text
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (
            7,
            "customer_code",
            "customer C404 is not in the store yet; kept as text and linked when it is imported",
        )
    ]
    assert report.counts["customer_code_pending"] == 1
    with people.uow() as uow:
        rows = uow.session.scalars(select(Checkin).order_by(Checkin.checked_at)).all()
        uow.session.expunge_all()
    assert [(c.kind, c.customer_id is not None, c.customer_ref) for c in rows] == [
        ("on_duty", False, None),
        ("field", True, "C1"),
        ("field", False, "C404"),
    ]
    field = rows[1]
    assert field.checked_at == datetime(2026, 10, 29, 2, 30, tzinfo=UTC)
    assert (field.coord_system, field.orig_lat, field.orig_lon) == ("GCJ02", 31.301, 120.611)
    wgs = gcj02_to_wgs84(31.301, 120.611)
    assert field.lat == pytest.approx(wgs[0], abs=1e-9)
    assert field.lon == pytest.approx(wgs[1], abs=1e-9)
    assert (field.address, field.note, field.source_row) == ("星湖街 328 号", "拜访", 3)


def test_the_same_moment_written_another_way_is_a_duplicate(people: App, tmp_path: Path) -> None:
    people.imports.run(_file(tmp_path, "a.csv", CHECKINS), "checkins")
    overlapping = (
        "employee_no,time,lat,lon,kind\n"
        "S1,2026-10-29T02:30:00Z,31.301,120.611,field\n"
        "S1,2026-10-29T18:01:00+08:00,31.318,120.674,off_duty\n"
    )
    report = people.imports.run(_file(tmp_path, "b.csv", overlapping), "checkins")
    assert (report.accepted, report.duplicates, report.rejected) == (1, 1, 0)
    with people.uow() as uow:
        kinds = [c.kind for c in uow.session.scalars(select(Checkin).order_by(Checkin.checked_at))]
    assert kinds == ["on_duty", "field", "field", "off_duty"]  # 13:00: kept for C404


def test_implausible_times_are_rejected(people: App, tmp_path: Path) -> None:
    text = (
        "employee_no,time,kind\n"
        "S1,1999-12-31 23:00:00,on_duty\n"
        "S1,2999-01-01 08:00:00,on_duty\n"
        "S1,2026-10-29 08:58:00,on_duty\n"
    )
    report = people.imports.run(_file(tmp_path, "t.csv", text), "checkins")
    assert report.accepted == 1
    assert [(p.row, p.field) for p in report.problems] == [(2, "time"), (3, "time")]
    assert "before 2000" in report.problems[0].message
    assert "in the future" in report.problems[1].message
