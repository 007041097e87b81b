"""The full demo company (``demo_app``): the planted scenarios, measured from the database.

Every fact here is recomputed from rows (track points, check-ins, events, leads), not taken
from the generator, so a generator that stops planting a scenario makes these tests fail.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, and_, func, or_, select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.store.models import (
    Checkin,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    Lead,
    Office,
    Order,
    TrackPoint,
    User,
)

CST = timezone(timedelta(hours=8))
#: The day ``demo_app`` (tests/conftest.py) builds the demo up to.
DEMO_END_DATE = date(2026, 10, 30)
WINDOW_START = DEMO_END_DATE - timedelta(days=29)


def _m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Haversine metres (numpy-friendly)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))


def _ms(day: date, hour: int, minute: int = 0) -> int:
    return int(datetime.combine(day, time(hour, minute), tzinfo=CST).timestamp() * 1000)


def _stops(points: Sequence[Any], radius_m: float = 100.0, min_s: float = 600.0) -> list[tuple]:
    """Simple dwell detection: consecutive fixes within ``radius_m`` of their running centre
    for at least ``min_s`` seconds. Returns (start_ms, end_ms, lat, lon)."""
    stops: list[tuple] = []
    cluster: list[Any] = []

    def close() -> None:
        if cluster and (cluster[-1][0] - cluster[0][0]) / 1000 >= min_s:
            stops.append((cluster[0][0], cluster[-1][0], *np.mean([c[1:] for c in cluster], 0)))

    for p in points:
        if cluster:
            lat, lon = np.mean([c[1:] for c in cluster], axis=0)
            if _m(lat, lon, p[1], p[2]) <= radius_m:
                cluster.append(p)
                continue
            close()
        cluster = [p]
    close()
    return stops


@pytest.fixture(scope="module")
def conn(demo_app: App) -> Any:
    with demo_app.engine.connect() as connection:
        yield connection


@pytest.fixture(scope="module")
def scenarios(demo_app: App) -> dict[str, dict[str, Any]]:
    return {s["kind"]: s for s in demo_app.demo.scenarios()}


def _employee(conn: Connection, number: str) -> int:
    return int(conn.scalar(select(Employee.id).where(Employee.employee_no == number)))


def _held_at(conn: Connection, employee_id: int, day: date) -> int:
    """Customers ``employee_id`` held on ``day`` (a period from an unknown start included)."""
    return int(conn.scalar(
        select(func.count()).select_from(CustomerOwnership).where(
            CustomerOwnership.employee_id == employee_id,
            or_(CustomerOwnership.start_date.is_(None), CustomerOwnership.start_date <= day),
            or_(CustomerOwnership.end_date.is_(None), CustomerOwnership.end_date > day),
        )
    ))  # fmt: skip


def _churned(conn: Connection, employee_id: int, kinds: tuple[str, ...]) -> int:
    return int(conn.scalar(
        select(func.count()).select_from(CustomerEvent).where(
            CustomerEvent.employee_id == employee_id, CustomerEvent.kind.in_(kinds),
            CustomerEvent.event_date >= WINDOW_START,
        )
    ))  # fmt: skip


def test_the_company_has_the_expected_shape(demo_app: App, conn: Connection) -> None:
    summary = demo_app.demo.summary()
    assert summary.end_date == DEMO_END_DATE
    counts = summary.counts
    assert counts == demo_app.database.table_counts()
    assert 40 <= counts["employees"] <= 50 and counts["offices"] == 4
    assert 1900 <= counts["customers"] <= 2100 and counts["competitors"] == 5
    assert 25 <= counts["competitor_sites"] <= 35
    assert 1_500_000 <= counts["track_points"] <= 2_500_000
    assert counts["checkins"] > 5000 and counts["communications"] > 5000
    roles = set(conn.scalars(select(User.role)))
    assert roles == {r.value for r in Role}
    cities = set(conn.scalars(select(Office.city)))
    assert cities == {"上海", "苏州", "杭州", "南京"}


def test_the_diverter_moves_a_quarter_of_his_customers_to_one_competitor(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    s = scenarios["diverter"]
    emp = _employee(conn, s["employee_no"])
    held = _held_at(conn, emp, WINDOW_START)
    moved = conn.execute(
        select(CustomerEvent.customer_id, CustomerEvent.competitor_id, CustomerEvent.event_date)
        .where(CustomerEvent.employee_id == emp, CustomerEvent.kind.in_(("lost", "transferred")),
               CustomerEvent.event_date >= WINDOW_START)
    ).all()  # fmt: skip
    assert held >= 20
    assert 0.20 <= len(moved) / held <= 0.30
    rival = conn.scalar(select(Competitor.id).where(Competitor.name == s["competitor"]))
    assert {c for _, c, _ in moved} == {rival}
    for customer_id, _, day in moved:  # his ownership ends that day
        end = conn.scalar(
            select(CustomerOwnership.end_date).where(
                CustomerOwnership.customer_id == customer_id, CustomerOwnership.employee_id == emp
            )
        )
        assert end == day
    diverted = conn.scalar(
        select(func.count())
        .select_from(Order)
        .where(
            Order.employee_id == emp, Order.status == "transferred", Order.competitor_id == rival
        )
    )
    assert diverted >= 5


def test_the_diverter_spends_his_field_time_at_the_rivals_sites(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    s = scenarios["diverter"]
    emp = _employee(conn, s["employee_no"])
    offices = conn.execute(select(Office.lat, Office.lon)).all()
    sites = conn.execute(
        select(CompetitorSite.lat, CompetitorSite.lon)
        .join(Competitor, Competitor.id == CompetitorSite.competitor_id)
        .where(Competitor.name == s["competitor"])
    ).all()
    field = at_rival = 0
    day = WINDOW_START
    while day <= DEMO_END_DATE:
        pts = conn.execute(
            select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon)
            .where(TrackPoint.employee_id == emp, TrackPoint.accuracy_m <= 100,
                   TrackPoint.t_ms.between(_ms(day, 9), _ms(day, 17, 30)))
            .order_by(TrackPoint.t_ms)
        ).all()  # fmt: skip
        for _, _, lat, lon in _stops(pts):
            if min(_m(lat, lon, a, b) for a, b in offices) < 300:
                continue
            field += 1
            at_rival += min(_m(lat, lon, a, b) for a, b in sites) < 250
        day += timedelta(days=1)
    assert field >= 30
    assert at_rival / field >= 0.30, (at_rival, field)


def test_the_diverters_lead_conversion_collapses(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    emp = _employee(conn, scenarios["diverter"]["employee_no"])

    def rate(*where: Any) -> float:
        total, converted = conn.execute(
            select(func.count(), func.count(Lead.converted_order_id)).where(
                Lead.employee_id == emp, *where
            )
        ).one()
        assert total >= 10
        return converted / total

    before, during = rate(Lead.created_on < WINDOW_START), rate(Lead.created_on >= WINDOW_START)
    assert 0.15 <= before <= 0.25 and during <= 0.08 and during < before / 2


def test_everyone_else_churns_little_and_converts_normally(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    skip = {scenarios["diverter"]["employee_no"]}
    people = conn.execute(
        select(Employee.id, Employee.employee_no).where(Employee.title.like("%客户经理"))
    ).all()
    assert len(people) >= 40
    for emp, number in people:
        if number in skip:
            continue
        held = _held_at(conn, emp, WINDOW_START)
        assert _churned(conn, emp, ("lost", "transferred")) <= max(2, 0.06 * held), number
        total, converted = conn.execute(
            select(func.count(), func.count(Lead.converted_order_id)).where(Lead.employee_id == emp)
        ).one()
        assert 0.12 <= converted / total <= 0.28, number


def test_field_checkins_of_normal_people_are_at_the_customer(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    fake = _employee(conn, scenarios["fake_fieldwork"]["employee_no"])
    rows = conn.execute(
        select(Checkin.lat, Checkin.lon, Customer.lat, Customer.lon)
        .join(Customer, Customer.id == Checkin.customer_id)
        .where(Checkin.kind == "field", Checkin.employee_id != fake)
    ).all()
    d = _m(*np.array(rows).T)
    assert len(rows) > 3000
    assert (d <= 150).mean() >= 0.95 and (d > 2000).sum() == 0


def test_the_faker_checks_in_kilometres_away_from_claimed_customers(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    emp = _employee(conn, scenarios["fake_fieldwork"]["employee_no"])
    since = datetime.combine(WINDOW_START, time(0), tzinfo=CST).astimezone(UTC)
    rows = conn.execute(
        select(Checkin.lat, Checkin.lon, Customer.lat, Customer.lon)
        .join(Customer, Customer.id == Checkin.customer_id)
        .where(Checkin.kind == "field", Checkin.employee_id == emp, Checkin.checked_at >= since)
    ).all()
    d = _m(*np.array(rows).T)
    assert len(rows) >= 10
    assert (d > 2000).mean() >= 0.30
    assert d[d > 2000].max() <= 10_500


def test_the_territory_change_is_reassignment_not_churn(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    s = scenarios["territory_change"]
    emp = _employee(conn, s["employee_no"])
    colleague = _employee(conn, s["new_owner_no"])
    moved = conn.execute(
        select(CustomerEvent.customer_id, CustomerEvent.new_owner_id, CustomerEvent.event_date)
        .where(CustomerEvent.employee_id == emp, CustomerEvent.kind == "reassigned",
               CustomerEvent.event_date >= WINDOW_START)
    ).all()  # fmt: skip
    held = _held_at(conn, emp, moved[0][2] - timedelta(days=1))
    assert 0.25 <= len(moved) / held <= 0.35
    assert {n for _, n, _ in moved} == {colleague}
    assert _churned(conn, emp, ("lost", "transferred")) == 0
    assert conn.scalar(
        select(func.count()).select_from(CustomerEvent).where(
            CustomerEvent.employee_id == emp, CustomerEvent.kind.in_(("lost", "transferred"))
        )
    ) == 0  # fmt: skip
    for customer_id, _, day in moved:
        assert conn.execute(
            select(CustomerOwnership.id).where(
                CustomerOwnership.customer_id == customer_id,
                CustomerOwnership.employee_id == colleague,
                and_(CustomerOwnership.start_date == day, CustomerOwnership.end_date.is_(None)),
            )
        ).one()


def test_the_commute_passes_a_competitor_without_stopping(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    s = scenarios["commute_passes_competitor"]
    emp = _employee(conn, s["employee_no"])
    site = conn.execute(
        select(CompetitorSite.lat, CompetitorSite.lon).where(CompetitorSite.name == s["site"])
    ).one()
    pts = np.array(conn.execute(
        select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon)
        .where(TrackPoint.employee_id == emp).order_by(TrackPoint.t_ms)
    ).all())  # fmt: skip
    near = _m(site[0], site[1], pts[:, 1], pts[:, 2]) < 100
    days_near = {datetime.fromtimestamp(t / 1000, CST).date() for t in pts[near, 0]}
    assert len(days_near) >= 15, "he passes it on many days"
    longest, start = 0.0, None
    for t, is_near in zip(pts[:, 0], near, strict=True):
        start = (start if start is not None else t) if is_near else None
        if start is not None:
            longest = max(longest, t - start)
    assert longest < 10 * 60_000


def test_a_competitor_shares_a_tower_with_an_office(
    conn: Connection, scenarios: dict[str, dict[str, Any]]
) -> None:
    s = scenarios["office_shares_tower"]
    office = conn.execute(select(Office.lat, Office.lon).where(Office.name == s["office"])).one()
    site = conn.execute(
        select(CompetitorSite.lat, CompetitorSite.lon).where(CompetitorSite.name == s["site"])
    ).one()
    assert _m(*office, *site) <= 50
    others = conn.execute(select(CompetitorSite.lat, CompetitorSite.lon)).all()
    offices = conn.execute(select(Office.lat, Office.lon)).all()
    close = [(o, c) for o in offices for c in others if _m(*o, *c) <= 50]
    assert len(close) == 1, "exactly one office shares its tower"


def test_some_checkins_keep_their_original_gcj02_position(conn: Connection) -> None:
    rows = conn.execute(
        select(Checkin.lat, Checkin.lon, Checkin.orig_lat, Checkin.orig_lon).where(
            Checkin.coord_system == "GCJ02", Checkin.lat.is_not(None)
        )
    ).all()
    wgs = conn.scalar(
        select(func.count()).select_from(Checkin).where(Checkin.coord_system == "WGS84")
    )
    assert len(rows) > 1000 and wgs > 1000
    shift = _m(*np.array(rows).T)
    assert shift.min() > 100 and shift.max() < 800, "GCJ-02 is a few hundred metres off in China"
    assert all(not math.isnan(r[2]) for r in rows)
