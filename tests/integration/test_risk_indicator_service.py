"""IndicatorService on a real database: stops, flags and indicators stored, explained,
recomputed only where inputs changed, and identical when computed twice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from acting import acting
from clocks import pinned
from sqlalchemy import delete, select

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.domain.progress import Cancelled
from workstation.geo.distance import LocalProjection
from workstation.risk.indicator_service import IndicatorService, IndicatorValueNotFound
from workstation.risk.model import IndicatorSettings
from workstation.store.audit import verify_audit_chain
from workstation.store.models import (
    AllowedPlace,
    AuditEntry,
    Checkin,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    IndicatorValue,
    Lead,
    LocationFlag,
    Office,
    Order,
    Stop,
    TrackPoint,
)

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 30)
CITY = LocalProjection(31.3181, 120.6742)
OFFICE = (0.0, 0.0)
RIVAL = (3000.0, 0.0)
HOME = (-5000.0, 0.0)
HOME_SITE = (-5030.0, 0.0)  # a competitor shop beside his home (allow-listed home)
CUSTOMERS = [(6000.0 + 800 * i, 1500.0 * (i % 3)) for i in range(10)]


def ll(xy: tuple[float, float]) -> tuple[float, float]:
    lat, lon = CITY.to_latlon(*xy)
    return float(lat), float(lon)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), CST)


@dataclass
class World:
    employee: int
    colleague: int
    manager: int
    customers: list[int]
    site: int


def _day_track(employee_id: int, day: date, customer: tuple[float, float]) -> list[TrackPoint]:
    """Home → office 08:30-09:30 → rival 10:00-11:00 → customer 11:30-12:30 → home 18:00-."""
    fixes: list[tuple[datetime, tuple[float, float]]] = []

    def stay(start: datetime, minutes: int, xy: tuple[float, float]) -> None:
        fixes.extend(
            (start + timedelta(minutes=k), (xy[0] + (k % 3) * 4, xy[1])) for k in range(minutes)
        )

    def drive(
        start: datetime, minutes: int, a: tuple[float, float], b: tuple[float, float]
    ) -> None:
        for k in range(1, minutes):
            f = k / minutes
            fixes.append(
                (start + timedelta(minutes=k), (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f))
            )

    stay(at(day, 7, 50), 20, HOME)
    drive(at(day, 8, 10), 20, HOME, OFFICE)
    stay(at(day, 8, 30), 60, OFFICE)
    drive(at(day, 9, 30), 30, OFFICE, RIVAL)
    stay(at(day, 10, 0), 60, (RIVAL[0] + 20, 0.0))
    drive(at(day, 11, 0), 30, RIVAL, customer)
    stay(at(day, 11, 30), 60, customer)
    drive(at(day, 12, 30), 60, customer, HOME_SITE)
    stay(at(day, 13, 30), 30, (HOME[0] - 10, 0.0))  # lunch at home: allowed for him
    rows = []
    for k, (moment, xy) in enumerate(fixes):
        lat, lon = ll(xy)
        rows.append(
            TrackPoint(
                employee_id=employee_id,
                t_ms=int(moment.timestamp() * 1000),
                lat=lat,
                lon=lon,
                accuracy_m=None if k % 7 == 0 else 12.0,  # some sources give none
            )
        )
    return rows


def build(app: App) -> World:
    with app.uow() as u:
        s = u.session
        office = Office(name="苏州分公司", lat=ll(OFFICE)[0], lon=ll(OFFICE)[1], radius_m=200)
        rival = Competitor(name="锐拓自动化")
        s.add_all([office, rival])
        s.flush()
        emp = Employee(employee_no="E1", name="王磊", office_id=office.id)
        colleague = Employee(employee_no="E2", name="李娜", office_id=office.id)
        manager = Employee(employee_no="M1", name="经理", office_id=office.id)
        s.add_all([emp, colleague, manager])
        s.flush()
        site = CompetitorSite(
            competitor_id=rival.id, name="技术服务中心", lat=ll(RIVAL)[0], lon=ll(RIVAL)[1]
        )
        shop = CompetitorSite(
            competitor_id=rival.id, name="门店", lat=ll(HOME_SITE)[0], lon=ll(HOME_SITE)[1]
        )
        home = AllowedPlace(
            name="王磊家", kind="home", lat=ll(HOME)[0], lon=ll(HOME)[1], radius_m=100,
            employee_id=emp.id, created_at=at(DAY, 0),
        )  # fmt: skip
        customers = [
            Customer(code=f"C{i:02d}", name=f"客户{i}", lat=ll(xy)[0], lon=ll(xy)[1], radius_m=500)
            for i, xy in enumerate(CUSTOMERS)
        ]
        s.add_all([site, shop, home, *customers])
        s.flush()
        start = date(2026, 1, 1)
        s.add_all(
            CustomerOwnership(customer_id=c.id, employee_id=emp.id, start_date=start)
            for c in customers
        )
        moved, gone = customers[0], customers[1]
        s.add_all([
            CustomerEvent(customer_id=moved.id, event_date=DAY - timedelta(days=3),
                          kind="transferred", employee_id=emp.id, competitor_id=rival.id),
            CustomerEvent(customer_id=gone.id, event_date=DAY - timedelta(days=4),
                          kind="reassigned", employee_id=emp.id, new_owner_id=colleague.id),
        ])  # fmt: skip
        orders = [
            Order(order_no=f"SO{i}", customer_id=customers[i % 10].id, employee_id=emp.id,
                  order_date=DAY - timedelta(days=i), amount=Decimal("1000.00") * (i + 1),
                  status="transferred" if i in (1, 4) else "completed",
                  competitor_id=rival.id if i in (1, 4) else None)
            for i in range(8)
        ]  # fmt: skip
        earlier = Order(order_no="SO-OLD", customer_id=customers[2].id, employee_id=emp.id,
                        order_date=DAY - timedelta(days=35), amount=Decimal("900.00"),
                        status="completed")  # fmt: skip
        s.add_all([*orders, earlier])
        s.flush()
        # One of the ten leads of the window converted; three of the ten before it did, each
        # within its own 30-day slice (the baseline is age-matched).
        converted = {0: orders[7].id, 12: earlier.id, 14: earlier.id, 16: earlier.id}
        s.add_all(
            Lead(lead_no=f"L{i}", employee_id=emp.id, customer_id=customers[2].id,
                 created_on=DAY - timedelta(days=i * 3), converted_order_id=converted.get(i))
            for i in range(20)
        )  # fmt: skip
        # Field check-ins: on DAY-2 (no track) at customers; on DAY one 4 km off, mocked.
        for k, day in enumerate([DAY - timedelta(days=2)] * 4 + [DAY] * 2):
            xy = CUSTOMERS[k] if k < 5 else (CUSTOMERS[k][0] + 4000, CUSTOMERS[k][1])
            s.add(
                Checkin(
                    employee_id=emp.id, checked_at=at(day, 10 + k), kind="field",
                    lat=ll(xy)[0], lon=ll(xy)[1], accuracy_m=30.0, customer_id=customers[k].id,
                    source_result="外勤; 模拟定位" if k == 5 else "外勤",
                )
            )  # fmt: skip
        s.add(Checkin(employee_id=manager.id, checked_at=at(DAY, 8, 50), kind="on_duty"))
        for day in (DAY - timedelta(days=1), DAY):
            s.add_all(_day_track(emp.id, day, CUSTOMERS[3]))
        u.commit()
        return World(emp.id, colleague.id, manager.id, [c.id for c in customers], site.id)


@pytest.fixture
def world(app: App) -> World:
    return build(app)


@pytest.fixture
def service(app: App) -> IndicatorService:
    return IndicatorService(app.uow, acting("tester", Role.HR_OFFICER), app.clock)


def snapshot(app: App) -> dict[str, list[tuple[Any, ...]]]:
    with app.uow() as u:
        return {
            model.__tablename__: [
                tuple(row) for row in u.session.execute(select(model.__table__).order_by(model.id))
            ]
            for model in (Stop, LocationFlag, IndicatorValue)
        }


def value(service: IndicatorService, employee: int, indicator: Indicator, day: date = DAY) -> Any:
    [found] = [v for v in service.values(employee, day, day) if v.indicator is indicator]
    return found


def test_compute_stores_stops_flags_and_every_indicator(
    app: App, world: World, service: IndicatorService
) -> None:
    summary = service.compute(DAY, DAY)
    assert summary.employees == 1, "the manager and the idle colleague are not sales staff"
    assert summary.stop_days_computed == 30 and summary.values_written == len(Indicator)
    values = {v.indicator: v for v in service.values(world.employee, DAY, DAY)}
    assert set(values) == set(Indicator)
    churn = values[Indicator.CUSTOMER_CHURN_RATE]
    assert (churn.numerator, churn.denominator, churn.value) == (1, 10, 0.1), "reassigned ≠ churn"
    overlap = values[Indicator.COMPETITOR_OVERLAP_RATE]
    # Field stops: rival + customer on two track days, four check-in stops on DAY-2.
    # Office and home (allowed for him, beside a competitor shop) never count.
    assert (overlap.numerator, overlap.denominator) == (2, 8)
    assert overlap.status is IndicatorStatus.OK and overlap.value == 0.25
    ratio = values[Indicator.ORDER_TRANSFER_RATIO]
    assert (ratio.numerator, ratio.denominator) == (2, 8)
    fake = values[Indicator.FAKE_FIELDWORK_RATE]
    assert (fake.numerator, fake.denominator, fake.value) == (1, 6, pytest.approx(1 / 6))
    rate = values[Indicator.CONVERSION_RATE]
    assert (rate.numerator, rate.denominator) == (1, 10)
    drop = values[Indicator.CONVERSION_DROP]
    assert drop.status is IndicatorStatus.OK and drop.value == pytest.approx((0.3 - 0.1) / 0.3)
    with app.uow() as u:
        stops = u.session.execute(
            select(Stop.day, Stop.source, Stop.place_kind).order_by(Stop.started_at)
        ).all()
        flags = u.session.execute(select(LocationFlag.kind, LocationFlag.day)).all()
    assert {s.source for s in stops if s.day == DAY - timedelta(days=2)} == {"checkin"}
    kinds = [(s.day, s.place_kind) for s in stops if s.day == DAY]
    expected = ("allowed", "office", "competitor_site", "customer", "allowed")
    assert kinds == [(DAY, k) for k in expected], "home (beside a competitor shop) is allowed"
    assert sorted(flags) == [("mock_location", DAY), ("outside_geofence", DAY)]


def test_records_behind_explain_each_value(
    app: App, world: World, service: IndicatorService
) -> None:
    service.compute(DAY, DAY)
    overlap = service.records_behind(world.employee, DAY, Indicator.COMPETITOR_OVERLAP_RATE)
    assert [s.day for s in overlap.stops] == [DAY - timedelta(days=1), DAY]
    first = overlap.stops[0]
    assert (first.competitor_name, first.site_name) == ("锐拓自动化", "技术服务中心")
    assert first.site_distance_m == pytest.approx(24, abs=10)
    assert first.started_at.hour == 10 and 50 <= first.minutes <= 60
    assert overlap.counts == {"field_stops": 8} and overlap.missing == 0
    fake = service.records_behind(world.employee, DAY, "fake_fieldwork_rate")
    [checkin] = fake.checkins
    assert (checkin.customer_code, checkin.outside) == ("C05", True)
    assert checkin.distance_m == pytest.approx(4000, abs=5)
    assert (checkin.radius_m, checkin.accuracy_m) == (500.0, 30.0)
    orders = service.records_behind(world.employee, DAY, Indicator.ORDER_TRANSFER_RATIO).orders
    assert [(o.order_no, o.amount, o.competitor_name) for o in orders] == [
        ("SO4", Decimal("5000.00"), "锐拓自动化"),
        ("SO1", Decimal("2000.00"), "锐拓自动化"),
    ]
    [event] = service.records_behind(world.employee, DAY, Indicator.CUSTOMER_CHURN_RATE).events
    assert (event.kind, event.customer_code, event.competitor_name) == (
        "transferred",
        "C00",
        "锐拓自动化",
    )
    leads = service.records_behind(world.employee, DAY, Indicator.CONVERSION_RATE).leads
    assert len(leads) == 10 and [x.lead_no for x in leads if x.converted] == ["L0"]
    with pytest.raises(IndicatorValueNotFound):
        service.records_behind(world.employee, DAY - timedelta(days=1), Indicator.CONVERSION_RATE)
    with app.uow() as u:
        actions = u.session.scalars(select(AuditEntry.action)).all()
        assert verify_audit_chain(u.session).intact
    assert actions.count("indicators.compute") == 1
    assert actions.count("indicator_records.read") == 5


def test_computing_twice_changes_nothing(app: App, world: World, service: IndicatorService) -> None:
    service.compute(DAY - timedelta(days=2), DAY)
    before = snapshot(app)
    assert len(before["indicator_values"]) == 3 * len(Indicator)
    again = service.compute(DAY - timedelta(days=2), DAY)
    assert again.stop_days_computed == 0 and again.stop_days_reused == 32
    assert (again.values_written, again.values_unchanged) == (0, 3 * len(Indicator))
    assert snapshot(app) == before
    forced = service.compute(DAY, DAY, force_stops=True)
    assert forced.stop_days_computed == 30 and forced.stops_written == 0
    assert snapshot(app) == before, "same rows, same ids, same computed_at"


def test_only_days_whose_inputs_changed_are_recomputed(
    app: App, world: World, service: IndicatorService
) -> None:
    service.compute(DAY, DAY)
    with app.uow() as u:  # a late import: 20 more minutes at the rival on DAY-1
        lat, lon = ll((RIVAL[0] + 20, 0.0))
        start = at(DAY - timedelta(days=1), 15)
        times = [int((start + timedelta(minutes=k)).timestamp() * 1000) for k in range(20)]
        u.session.add_all(
            TrackPoint(employee_id=world.employee, t_ms=t, lat=lat, lon=lon, accuracy_m=10.0)
            for t in times
        )
        # ...and a field check-in at a customer on DAY-10, a day without any track.
        lat, lon = ll(CUSTOMERS[6])
        u.session.add(
            Checkin(employee_id=world.employee, checked_at=at(DAY - timedelta(days=10), 11),
                    kind="field", lat=lat, lon=lon, accuracy_m=10.0,
                    customer_id=world.customers[6])
        )  # fmt: skip
        u.commit()
    summary = service.compute(DAY, DAY)
    assert (summary.stop_days_computed, summary.stop_days_reused) == (2, 28)
    overlap = value(service, world.employee, Indicator.COMPETITOR_OVERLAP_RATE)
    assert (overlap.numerator, overlap.denominator) == (3, 10)
    with app.uow() as u:  # stops deleted behind the service's back are noticed
        u.session.execute(delete(Stop).where(Stop.day == DAY))
        u.commit()
    assert service.compute(DAY, DAY).stop_days_computed == 1
    changed = service.compute(DAY, DAY, settings=IndicatorSettings(stop_radius_m=150))
    assert changed.stop_days_computed == 30, "other stop settings make every day stale"


def test_cancelling_commits_nothing_and_progress_reaches_the_total(
    app: App, world: World, service: IndicatorService
) -> None:
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1

    with pytest.raises(Cancelled):
        service.compute(DAY, DAY, cancelled=cancel)
    assert snapshot(app) == {"stops": [], "location_flags": [], "indicator_values": []}
    seen: list[tuple[int, int, str]] = []
    service.compute(DAY, DAY, progress=lambda done, total, msg: seen.append((done, total, msg)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == 2
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_selected_employees_and_an_insufficient_colleague(
    world: World, service: IndicatorService
) -> None:
    assert service.sales_employees(DAY - timedelta(days=29), DAY) == [world.employee]
    service.compute(DAY, DAY, employee_ids=[world.colleague])
    values = service.values(world.colleague, DAY, DAY)
    assert len(values) == len(Indicator)
    assert all(v.status is IndicatorStatus.INSUFFICIENT and v.value is None for v in values)
    assert service.values(world.employee, DAY, DAY) == []
    with pytest.raises(ValueError):
        service.compute(DAY, DAY - timedelta(days=1))


@pytest.fixture
def any_db_app(db_url: str, tmp_path: Path) -> Iterator[App]:
    application = open_app(load_settings(tmp_path / "data", db_url), clock=pinned())
    yield application
    application.close()


def test_the_same_on_sqlite_and_postgresql(any_db_app: App) -> None:
    w = build(any_db_app)
    service = IndicatorService(any_db_app.uow, acting("tester", Role.HR_OFFICER), any_db_app.clock)
    service.compute(DAY - timedelta(days=1), DAY)
    before = snapshot(any_db_app)
    assert service.compute(DAY - timedelta(days=1), DAY).values_written == 0
    assert snapshot(any_db_app) == before
    overlap = value(service, w.employee, Indicator.COMPETITOR_OVERLAP_RATE)
    assert (overlap.numerator, overlap.denominator) == (2, 8)
    churn = value(service, w.employee, Indicator.CUSTOMER_CHURN_RATE, DAY - timedelta(days=1))
    assert churn.value == 0.1
    assert (
        len(service.records_behind(w.employee, DAY, Indicator.COMPETITOR_OVERLAP_RATE).stops) == 2
    )
