"""Write the generated company with SQLAlchemy Core: bulk inserts in chunks, one transaction.

Works the same on SQLite and PostgreSQL. Ids come from the generator; on PostgreSQL the id
sequences are moved past them afterwards so later inserts get fresh ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text

from workstation.demo.people import DEMO_PASSWORD
from workstation.demo.tracks import TrackArrays
from workstation.demo.world import World
from workstation.domain.enums import CheckinLink, PositionSource
from workstation.security.passwords import hash_password
from workstation.store.base import Base
from workstation.store.models import (
    AppMeta,
    Checkin,
    Communication,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    Lead,
    Office,
    Order,
    SalesTask,
    TrackPoint,
    User,
)

CHUNK = 50_000
Row = dict[str, Any]
#: Kept when a demo is rebuilt: the audit log is append-only, even in a demo database.
KEPT_TABLES = frozenset({"audit_log", "app_meta"})
DEMO_META_PREFIX = "demo."


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table, every table of the schema, sorted by name."""
    return {
        name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in sorted(Base.metadata.tables.items())
    }


def clear(conn: Connection) -> None:
    """Delete every row of the demo (children first); keep the audit log."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            conn.execute(delete(table))
    conn.execute(delete(AppMeta).where(AppMeta.key.startswith(DEMO_META_PREFIX)))


def insert_chunked(
    conn: Connection, table: Table, rows: Iterable[Row], check: Callable[[], None]
) -> int:
    count = 0
    for chunk in _chunks(rows):
        check()
        conn.execute(insert(table), chunk)
        count += len(chunk)
    return count


def _chunks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pos(lat: float, lon: float) -> Row:
    return {"lat": lat, "lon": lon, "coord_system": "WGS84", "orig_lat": None, "orig_lon": None}


def company_rows(world: World) -> list[tuple[Table, list[Row]]]:
    """Offices, people, users, competitors, sites, customers (parents before children)."""
    offices = [
        {"id": o.id, "name": o.name, "city": o.city.name, "address": o.address,
         "radius_m": o.radius_m, **_pos(o.lat, o.lon)}
        for o in world.offices
    ]  # fmt: skip
    people = [
        {"id": p.id, "employee_no": p.employee_no, "name": p.name, "department": p.department,
         "title": p.title, "manager_id": p.manager_id, "office_id": p.office.id,
         "hire_date": p.hire_date, "leave_date": None, "phone": p.phone,
         "wecom_userid": p.wecom_userid, "dingtalk_userid": p.dingtalk_userid}
        for p in world.people
    ]  # fmt: skip
    # One hash for every demo user (the same documented password; hashing is slow on purpose),
    # salted from the seed so the same seed gives the same database byte for byte.
    salt = hashlib.sha256(f"casework-demo-{world.seed}".encode()).digest()[:16]
    password_hash = hash_password(DEMO_PASSWORD, salt=salt)
    users = [
        {"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
         "employee_id": u.employee.id if u.employee else None, "password_hash": password_hash,
         "active": True, "created_at": u.created_at}
        for u in world.users
    ]  # fmt: skip
    competitors = [{"id": c.id, "name": c.name} for c in world.competitors]
    sites = [
        {"id": s.id, "competitor_id": s.competitor.id, "name": s.name, "city": s.city.name,
         "address": s.address, "radius_m": s.radius_m, **_pos(s.lat, s.lon)}
        for s in world.sites
    ]  # fmt: skip
    customers = [
        {"id": c.id, "code": c.code, "name": c.name, "city": c.city.name, "address": c.address,
         "industry": c.industry, "radius_m": c.radius_m, **_pos(c.lat, c.lon)}
        for c in world.customers
    ]  # fmt: skip
    return [
        (_t(Office), offices),
        (_t(Employee), people),
        (_t(User), users),
        (_t(Competitor), competitors),
        (_t(CompetitorSite), sites),
        (_t(Customer), customers),
    ]


def sales_rows(world: World) -> list[tuple[Table, list[Row]]]:
    """Ownership, customer events, orders, leads, tasks."""
    ownerships = [
        {"id": o.id, "customer_id": o.customer.id, "employee_id": o.employee.id,
         "start_date": o.start, "end_date": o.end}
        for o in world.ownerships
    ]  # fmt: skip
    events = [
        {"id": e.id, "customer_id": e.customer.id, "event_date": e.day, "kind": e.kind,
         "employee_id": e.employee.id if e.employee else None,
         "competitor_id": e.competitor.id if e.competitor else None,
         "new_owner_id": e.new_owner.id if e.new_owner else None, "reason": e.reason}
        for e in world.events
    ]  # fmt: skip
    orders = [
        {"id": o.id, "order_no": o.order_no, "customer_id": o.customer.id,
         "employee_id": o.employee.id, "order_date": o.day, "amount": o.amount,
         "status": o.status, "competitor_id": o.competitor.id if o.competitor else None}
        for o in world.orders
    ]  # fmt: skip
    leads = [
        {"id": x.id, "lead_no": x.lead_no, "customer_id": x.customer.id if x.customer else None,
         "employee_id": x.employee.id, "created_on": x.created,
         "converted_order_id": x.order.id if x.order else None}
        for x in world.leads
    ]  # fmt: skip
    tasks = [
        {"id": t.id, "employee_id": t.employee.id, "customer_id": t.customer.id,
         "planned_date": t.day, "purpose": t.purpose, "status": t.status}
        for t in world.tasks
    ]  # fmt: skip
    return [
        (_t(CustomerOwnership), ownerships),
        (_t(CustomerEvent), events),
        (_t(Order), orders),
        (_t(Lead), leads),
        (_t(SalesTask), tasks),
    ]


def activity_rows(world: World) -> list[tuple[Table, list[Row]]]:
    """Check-ins and communication records."""
    checkins = [
        {"id": c.id, "employee_id": c.employee.id, "checked_at": c.at, "kind": c.kind,
         "accuracy_m": c.accuracy_m, "customer_id": c.customer.id if c.customer else None,
         "task_id": c.task.id if c.task else None, "address": c.address, "note": c.note,
         "photo_ref": c.photo_ref, "source_result": c.source_result, "lat": c.lat,
         "lon": c.lon, "coord_system": c.coord_system, "orig_lat": c.orig_lat,
         "orig_lon": c.orig_lon,
         # written as the importer would: the app's own fix, the customer from the CRM app
         "position_source": PositionSource.DEVICE.value if c.lat is not None else None,
         "link_method": CheckinLink.CODE.value if c.customer else None,
         "link_text": c.customer.code if c.customer else None}
        for c in world.checkins
    ]  # fmt: skip
    comms = [
        {"id": c.id, "employee_id": c.employee.id, "sent_at": c.at, "channel": c.channel,
         "direction": c.direction, "counterpart": c.counterpart, "content": c.content,
         "customer_id": c.customer.id if c.customer else None}
        for c in world.communications
    ]  # fmt: skip
    return [(_t(Checkin), checkins), (_t(Communication), comms)]


def track_rows(employee_id: int, track: TrackArrays) -> Iterator[Row]:
    for t, lat, lon, acc, speed in zip(
        track.t_ms.tolist(),
        track.lat.tolist(),
        track.lon.tolist(),
        track.accuracy_m.tolist(),
        track.speed_mps.tolist(),
        strict=True,
    ):
        yield {
            "employee_id": employee_id,
            "t_ms": t,
            "lat": lat,
            "lon": lon,
            "accuracy_m": acc,
            "speed_mps": speed,
            "coord_code": 0,
        }


def track_table() -> Table:
    return _t(TrackPoint)


def sync_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each id sequence past the ids the generator gave."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:name, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"name": table.name},
        )


def release_wal(engine: Engine) -> None:
    """SQLite: fold the write-ahead log (as big as the demo after the build) back into the
    database file and truncate it. Nothing to do elsewhere."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _t(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table
