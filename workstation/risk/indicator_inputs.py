"""Loading what the indicators need, for many employees at once, as plain values.

One query per record kind for all employees (no per-employee round trips), each on the
table's ``(employee_id, date)`` index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta, tzinfo

import numpy as np
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from workstation.domain.enums import CheckinKind
from workstation.risk.indicators import (
    CHURN_KINDS,
    CheckinFenceIn,
    EmployeeInputs,
    EventIn,
    Holding,
    LeadIn,
    OrderIn,
    StopIn,
)
from workstation.risk.model import IndicatorSettings
from workstation.risk.places import PlaceSet, fence_checks
from workstation.risk.track_time import day_bounds_ms, day_of_ms, ms_of, utc_of_ms
from workstation.store.models import (
    Checkin,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    Lead,
    Order,
    Stop,
    TrackPoint,
)

FIELD = CheckinKind.FIELD.value


def sales_employee_ids(session: Session, start: date, end: date, zone: tzinfo) -> list[int]:
    """Employees doing sales work in ``start..end`` (days of ``zone``): holding a customer,
    with orders, leads, field check-ins or a track there, and neither hired after ``end`` nor
    gone before ``start``."""
    lo_ms, hi_ms = day_bounds_ms(start, end, zone)
    lo, hi = utc_of_ms(lo_ms), utc_of_ms(hi_ms)
    found: set[int] = set()
    queries = [
        select(CustomerOwnership.employee_id).where(
            or_(CustomerOwnership.start_date.is_(None), CustomerOwnership.start_date <= end),
            or_(CustomerOwnership.end_date.is_(None), CustomerOwnership.end_date > start),
        ),
        select(Order.employee_id).where(Order.order_date >= start, Order.order_date <= end),
        select(Lead.employee_id).where(Lead.created_on >= start, Lead.created_on <= end),
        select(Checkin.employee_id).where(
            Checkin.kind == FIELD, Checkin.checked_at >= lo, Checkin.checked_at < hi
        ),
    ]
    for query in queries:
        found.update(session.scalars(query.distinct()))
    has_track = exists().where(
        TrackPoint.employee_id == Employee.id,
        TrackPoint.t_ms >= lo_ms,
        TrackPoint.t_ms < hi_ms,
    )
    found.update(session.scalars(select(Employee.id).where(has_track)))
    employed = select(Employee.id).where(
        or_(Employee.hire_date.is_(None), Employee.hire_date <= end),
        or_(Employee.leave_date.is_(None), Employee.leave_date >= start),
    )
    return sorted(found & set(session.scalars(employed)))


def load_inputs(
    session: Session,
    employee_ids: Sequence[int],
    start: date,
    end: date,
    settings: IndicatorSettings,
    places: PlaceSet,
    zone: tzinfo,
) -> dict[int, EmployeeInputs]:
    """Inputs of the indicators on days ``start..end`` (windows reach back before ``start``);
    instants fall on days of ``zone``."""
    ids = list(employee_ids)
    lo = start - timedelta(days=settings.window_days - 1)
    base_lo = lo - timedelta(days=settings.baseline_days)
    holdings: dict[int, list[Holding]] = defaultdict(list)
    for emp, customer, first, last in session.execute(
        select(
            CustomerOwnership.employee_id,
            CustomerOwnership.customer_id,
            CustomerOwnership.start_date,
            CustomerOwnership.end_date,
        ).where(
            CustomerOwnership.employee_id.in_(ids),
            or_(CustomerOwnership.start_date.is_(None), CustomerOwnership.start_date <= end),
            or_(CustomerOwnership.end_date.is_(None), CustomerOwnership.end_date > lo),
        )
    ):
        holdings[emp].append(Holding(customer, first, last))
    events: dict[int, list[EventIn]] = defaultdict(list)
    for eid, owner, customer, day, kind in session.execute(
        select(
            CustomerEvent.id,
            CustomerEvent.employee_id,
            CustomerEvent.customer_id,
            CustomerEvent.event_date,
            CustomerEvent.kind,
        ).where(
            CustomerEvent.employee_id.in_(ids),
            CustomerEvent.kind.in_(sorted(CHURN_KINDS)),
            CustomerEvent.event_date >= lo,
            CustomerEvent.event_date <= end,
        )
    ):
        if owner is not None:
            events[owner].append(EventIn(eid, customer, day, kind))
    orders: dict[int, list[OrderIn]] = defaultdict(list)
    for oid, emp, day, status in session.execute(
        select(Order.id, Order.employee_id, Order.order_date, Order.status).where(
            Order.employee_id.in_(ids), Order.order_date >= lo, Order.order_date <= end
        )
    ):
        orders[emp].append(OrderIn(oid, day, status))
    leads: dict[int, list[LeadIn]] = defaultdict(list)
    for lid, emp, created, converted in session.execute(
        select(Lead.id, Lead.employee_id, Lead.created_on, Order.order_date)
        .outerjoin(Order, Order.id == Lead.converted_order_id)
        .where(Lead.employee_id.in_(ids), Lead.created_on >= base_lo, Lead.created_on <= end)
    ):
        leads[emp].append(LeadIn(lid, created, converted))
    stops: dict[int, list[StopIn]] = defaultdict(list)
    for sid, emp, began, ended, kind in session.execute(
        select(Stop.id, Stop.employee_id, Stop.started_at, Stop.ended_at, Stop.place_kind).where(
            Stop.employee_id.in_(ids), Stop.day >= lo, Stop.day <= end
        )
    ):
        stops[emp].append(StopIn(sid, ms_of(began), ms_of(ended), kind))
    checkins = _fenced_checkins(session, ids, lo, end, places, zone)
    return {
        e: EmployeeInputs(
            e,
            holdings=holdings[e],
            events=events[e],
            orders=orders[e],
            leads=leads[e],
            stops=stops[e],
            checkins=checkins[e],
        )
        for e in ids
    }


def _fenced_checkins(
    session: Session, ids: list[int], start: date, end: date, places: PlaceSet, zone: tzinfo
) -> dict[int, list[CheckinFenceIn]]:
    """Field check-ins claiming a customer, each checked against that customer's geofence."""
    lo_ms, hi_ms = day_bounds_ms(start, end, zone)
    rows = session.execute(
        select(
            Checkin.id,
            Checkin.employee_id,
            Checkin.checked_at,
            Checkin.lat,
            Checkin.lon,
            Checkin.accuracy_m,
            Checkin.customer_id,
        ).where(
            Checkin.employee_id.in_(ids),
            Checkin.kind == FIELD,
            Checkin.customer_id.is_not(None),
            Checkin.checked_at >= utc_of_ms(lo_ms),
            Checkin.checked_at < utc_of_ms(hi_ms),
        )
    ).all()
    result: dict[int, list[CheckinFenceIn]] = defaultdict(list)
    if not rows:
        return result
    fences = fence_checks(
        [np.nan if r.lat is None else r.lat for r in rows],
        [np.nan if r.lon is None else r.lon for r in rows],
        [np.nan if r.accuracy_m is None else r.accuracy_m for r in rows],
        [r.customer_id for r in rows],
        places,
    )
    for r, checked, outside in zip(rows, fences.checked, fences.outside, strict=True):
        if checked:
            day = day_of_ms(ms_of(r.checked_at), zone)
            result[r.employee_id].append(CheckinFenceIn(r.id, day, bool(outside)))
    return result
