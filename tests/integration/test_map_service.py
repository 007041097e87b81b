"""MapService on a real SQLite file: stops, check-ins, fences, customers, audit, HTML file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from workstation.app import App
from workstation.domain.clock import company_zone
from workstation.geo.distance import LocalProjection
from workstation.maps.service import MAP_CACHE_KEEP, EmployeeNotFound, day_range_ms
from workstation.store.audit import verify_audit_chain
from workstation.store.models import (
    AuditEntry,
    Checkin,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerOwnership,
    Employee,
    Office,
    TrackPoint,
)

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 29)
CITY = LocalProjection(31.2304, 121.4737)


def _ll(x: float, y: float) -> tuple[float, float]:
    lat, lon = CITY.to_latlon(x, y)
    return float(lat), float(lon)


OFFICE = _ll(0, 0)
CUSTOMER_A = _ll(4000, 1000)  # held by the employee
CUSTOMER_B = _ll(-3000, 2000)  # held, but only until before the day shown
CUSTOMER_C = _ll(9000, -2000)  # someone else's, claimed by a check-in
CUSTOMER_D = _ll(-6000, -6000)  # someone else's, never claimed
COMPETITOR = _ll(8000, 4000)
LUNCH = (7000.0, -3000.0)  # 2.2 km from customer C: not at any known place


@dataclass
class World:
    employee_id: int
    other_id: int


def _at(hh: int, mm: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=CST)


#: Fixes drawn on DAY: stays and drives as built in _track (no bad fixes).
POINTS_DRAWN = 31 + 59 + 41 + 59 + 61 + 79 + 46 + 44


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _track(employee_id: int) -> list[TrackPoint]:
    """08:30-09:00 at the office, drive, 10:00-10:40 at customer A, drive, 11:40-12:40 lunch
    (no known place), drive, 14:00-14:45 at the competitor, silence, drive back. One fix a
    minute, plus a bad-accuracy fix and an impossible spike."""
    points: list[tuple[datetime, float, float, float | None]] = []

    def stay(start: datetime, minutes: int, xy: tuple[float, float]) -> None:
        for k in range(minutes + 1):
            points.append((start + timedelta(minutes=k), xy[0] + (k % 3) * 5, xy[1], 15.0))

    def drive(
        start: datetime, minutes: int, a: tuple[float, float], b: tuple[float, float]
    ) -> None:
        for k in range(1, minutes):
            f = k / minutes
            x, y = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            points.append((start + timedelta(minutes=k), x, y, 20.0))

    stay(_at(8, 30), 30, (0, 0))
    drive(_at(9, 0), 60, (0, 0), (4000, 1000))
    stay(_at(10, 0), 40, (4000, 1000))
    drive(_at(10, 40), 60, (4000, 1000), LUNCH)
    stay(_at(11, 40), 60, LUNCH)
    drive(_at(12, 40), 80, LUNCH, (8000, 4000))
    stay(_at(14, 0), 45, (8000, 4000))
    # A silence of 30 minutes (line breaks), then the drive home.
    drive(_at(15, 15), 45, (8000, 4000), (0, 0))
    points.append((_at(10, 20, DAY) + timedelta(seconds=30), 4000, 1000, 900.0))  # poor accuracy
    points.append((_at(13, 0) + timedelta(seconds=20), 40_000, 40_000, 10.0))  # a spike
    # The day before and after: outside the range asked for.
    points.append((_at(12, 0, DAY - timedelta(days=1)), 0, 0, 10.0))
    points.append((_at(0, 0, DAY + timedelta(days=1)), 0, 0, 10.0))
    rows = []
    for moment, x, y, acc in points:
        lat, lon = _ll(x, y)
        rows.append(
            TrackPoint(employee_id=employee_id, t_ms=_ms(moment), lat=lat, lon=lon, accuracy_m=acc)
        )
    return rows


def _build(app: App) -> World:
    with app.uow() as u:
        s = u.session
        office = Office(name="上海总部", city="上海", lat=OFFICE[0], lon=OFFICE[1], radius_m=200)
        s.add(office)
        s.flush()
        emp = Employee(employee_no="E0001", name="张伟", office_id=office.id)
        other = Employee(employee_no="E0002", name="李娜", office_id=office.id)
        rival = Competitor(name="竞品甲")
        s.add_all([emp, other, rival])
        s.flush()
        site = CompetitorSite(
            competitor_id=rival.id,
            name="浦东仓库",
            lat=COMPETITOR[0],
            lon=COMPETITOR[1],
            radius_m=200,
        )
        customers = {
            code: Customer(code=code, name=f"客户{code}", lat=pos[0], lon=pos[1], radius_m=500)
            for code, pos in {
                "A": CUSTOMER_A,
                "B": CUSTOMER_B,
                "C": CUSTOMER_C,
                "D": CUSTOMER_D,
            }.items()
        }
        s.add(site)
        s.add_all(customers.values())
        s.flush()
        s.add_all(
            [
                CustomerOwnership(
                    customer_id=customers["A"].id, employee_id=emp.id, start_date=date(2025, 1, 1)
                ),
                CustomerOwnership(
                    customer_id=customers["B"].id,
                    employee_id=emp.id,
                    start_date=date(2025, 1, 1),
                    end_date=DAY,  # exclusive: no longer held on DAY
                ),
                CustomerOwnership(
                    customer_id=customers["C"].id, employee_id=other.id, start_date=date(2025, 1, 1)
                ),
                CustomerOwnership(
                    customer_id=customers["D"].id, employee_id=other.id, start_date=date(2025, 1, 1)
                ),
            ]
        )
        a_lat, a_lon = _ll(4030, 1020)
        s.add_all(
            [
                Checkin(employee_id=emp.id, checked_at=_at(8, 31), kind="on_duty",
                        lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10.0),
                Checkin(employee_id=emp.id, checked_at=_at(10, 5), kind="field",
                        lat=a_lat, lon=a_lon, accuracy_m=30.0, customer_id=customers["A"].id),
                # Claims customer C while standing at the competitor's warehouse.
                Checkin(employee_id=emp.id, checked_at=_at(14, 10), kind="field",
                        lat=COMPETITOR[0], lon=COMPETITOR[1], accuracy_m=None,
                        customer_id=customers["C"].id, address="张江路 1 号"),
                # Another day: not shown.
                Checkin(employee_id=emp.id, checked_at=_at(9, 0, DAY + timedelta(days=3)),
                        kind="on_duty", lat=OFFICE[0], lon=OFFICE[1]),
            ]
        )  # fmt: skip
        s.add_all(_track(emp.id))
        u.commit()
        return World(emp.id, other.id)


def _audit_entries(app: App) -> list[tuple[str | None, str | None, dict[str, object]]]:
    """``(entity, entity_id, details)`` of every ``track.read`` entry, oldest first."""
    with app.uow() as u:
        return [
            (e.entity, e.entity_id, json.loads(e.details_json))
            for e in u.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "track.read").order_by(AuditEntry.id)
            )
        ]


def test_map_data_on_a_real_database(app: App) -> None:
    world = _build(app)
    data = app.maps.map_data(world.employee_id, DAY, DAY)
    assert (data.employee_no, data.employee_name) == ("E0001", "张伟")

    # Track: the 1 poor fix and the spike are not drawn; lines break at the 30-min silence.
    assert data.point_count == POINTS_DRAWN
    assert len(data.segments) == 2
    assert data.segments[0].started_at == _at(8, 30)
    assert all(seg.started_at.utcoffset() == timedelta(hours=8) for seg in data.segments)

    # Stops: office, customer A, competitor, each labelled with its place.
    kinds = [(s.place_kind, s.place_name, round(s.minutes)) for s in data.stops]
    assert kinds == [
        ("office", "上海总部", 30),
        ("customer", "客户A (A)", 40),
        ("", "", 60),
        ("competitor", "竞品甲 · 浦东仓库", 45),
    ]

    # Check-ins of the day with their fence verdicts.
    verdicts = [(c.kind, c.customer_code, c.inside_fence) for c in data.checkins]
    assert verdicts == [("on_duty", None, None), ("field", "A", True), ("field", "C", False)]
    assert data.checkins[1].distance_m == pytest.approx(36, abs=2)
    assert data.checkins[2].distance_m == pytest.approx(6083, rel=0.01)
    assert data.checkins[2].address == "张江路 1 号"

    # Customers: held during the range (A) plus claimed (C); not B (ended), not D.
    assert [c.code for c in data.customers] == ["A", "C"]
    assert [p.name for p in data.competitor_sites] == ["浦东仓库"]
    assert data.competitor_sites[0].group == "竞品甲"
    assert [p.name for p in data.offices] == ["上海总部"]

    # One audit entry per read, committed, chained.
    entries = _audit_entries(app)
    assert len(entries) == 1
    assert entries[0] == (
        "employee",
        "E0001",  # audit entries name people by employee number, as the employee file does
        {
            "start": "2026-10-29",
            "end": "2026-10-29",
            "points": POINTS_DRAWN + 2,
        },
    )
    with app.uow() as u:
        assert verify_audit_chain(u.session).intact


def test_a_range_of_days_includes_ownership_that_ended_within_it(app: App) -> None:
    world = _build(app)
    data = app.maps.map_data(world.employee_id, DAY - timedelta(days=1), DAY + timedelta(days=1))
    assert [c.code for c in data.customers] == ["A", "B", "C"]
    # The lone fixes of the days around are one-point segments of their own day.
    days = sorted({seg.started_at.date() for seg in data.segments})
    assert days == [DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]


def test_build_map_writes_the_page_and_audits_each_read(app: App) -> None:
    world = _build(app)
    rendered = app.maps.build_map(world.employee_id, DAY, DAY, locale="en")
    assert rendered.path.exists()
    assert rendered.path.parent == app.settings.data_dir / "cache" / "maps"
    page = rendered.path.read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert "张伟" in page
    # 2 lines + 2 customer fences + site circle & marker + office circle & marker
    # + 4 stops + 3 check-ins.
    assert rendered.expected_paths == 2 + 2 + 2 + 2 + 4 + 3
    assert rendered.expected_markers == 1 + 1 + 4 + 3
    app.maps.map_data(world.employee_id, DAY, DAY)
    assert len(_audit_entries(app)) == 2


def test_unknown_employee_is_an_error_and_not_audited(app: App) -> None:
    _build(app)
    with pytest.raises(EmployeeNotFound):
        app.maps.map_data(9999, DAY, DAY)
    with pytest.raises(ValueError):
        app.maps.map_data(1, DAY, DAY - timedelta(days=1))
    assert _audit_entries(app) == []


def test_employee_date_range(app: App) -> None:
    world = _build(app)
    assert app.maps.employee_date_range(world.employee_id) == (
        DAY - timedelta(days=1),
        DAY + timedelta(days=3),
    )
    assert app.maps.employee_date_range(world.other_id) is None
    assert _audit_entries(app) == []


def test_day_range_is_local_midnight_to_midnight() -> None:
    lo, hi = day_range_ms(DAY, DAY, company_zone())
    assert datetime.fromtimestamp(lo / 1000, UTC) == datetime(2026, 10, 28, 16, 0, tzinfo=UTC)
    assert hi - lo == 86_400_000
    berlin_lo, berlin_hi = day_range_ms(DAY, DAY, company_zone("Europe/Berlin"))
    assert datetime.fromtimestamp(berlin_lo / 1000, UTC) == datetime(2026, 10, 28, 23, tzinfo=UTC)
    assert berlin_hi - berlin_lo == 86_400_000


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium not installed")
def test_leaflet_draws_exactly_what_was_expected(app: App, tmp_path: Path) -> None:
    """Load the page in headless Chromium and read the page's own report of what it drew."""
    world = _build(app)
    rendered = app.maps.build_map(world.employee_id, DAY, DAY, locale="zh_CN")
    browser = _chromium()
    assert browser
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            rendered.path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r"casework:drawn (\{[^}]*\})", proc.stderr)
    assert match, proc.stderr[-2000:]
    drawn = json.loads(match.group(1))
    assert drawn == {"paths": rendered.expected_paths, "markers": rendered.expected_markers}


def test_old_map_pages_are_pruned_from_the_cache(app: App) -> None:
    world = _build(app)
    folder = app.settings.data_dir / "cache" / "maps"
    folder.mkdir(parents=True)
    for i in range(MAP_CACHE_KEEP + 5):
        old = folder / f"old-{i}.html"
        old.write_text("<html></html>", encoding="utf-8")
        os.utime(old, ns=(i * 1_000_000_000, i * 1_000_000_000))
    rendered = app.maps.build_map(world.employee_id, DAY, DAY)
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert len(pages) == MAP_CACHE_KEEP
    assert rendered.path.name in pages
    assert "old-0.html" not in pages and f"old-{MAP_CACHE_KEEP + 4}.html" in pages
