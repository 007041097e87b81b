"""The records behind a stored indicator value, described for people (plain dataclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from workstation.geo.distance import haversine_m
from workstation.geo.geofence import check_geofence
from workstation.risk.model import (
    CheckinRecord,
    EventRecord,
    IndicatorSettings,
    LeadRecord,
    OrderRecord,
    StopRecord,
)
from workstation.store.models import (
    Checkin,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    Employee,
    Lead,
    Order,
    Stop,
)


def _ids(records: dict[str, Any], *kinds: str) -> list[int]:
    found: set[int] = set()
    for kind in kinds:
        value = records.get(kind)
        if isinstance(value, list):
            found.update(int(i) for i in value)
    return sorted(found)


def describe_stops(session: Session, ids: Sequence[int], zone: tzinfo) -> list[StopRecord]:
    if not ids:
        return []
    rows = session.execute(
        select(Stop, CompetitorSite, Competitor.name)
        .outerjoin(CompetitorSite, CompetitorSite.id == Stop.competitor_site_id)
        .outerjoin(Competitor, Competitor.id == CompetitorSite.competitor_id)
        .where(Stop.id.in_(list(ids)))
        .order_by(Stop.started_at)
    ).all()
    result = []
    for stop, site, competitor in rows:
        distance = None
        if site is not None and site.lat is not None and site.lon is not None:
            distance = round(haversine_m(stop.lat, stop.lon, site.lat, site.lon), 1)
        result.append(
            StopRecord(
                id=stop.id,
                day=stop.day,
                started_at=stop.started_at.astimezone(zone),
                ended_at=stop.ended_at.astimezone(zone),
                lat=stop.lat,
                lon=stop.lon,
                source=stop.source,
                place_kind=stop.place_kind,
                competitor_name=competitor,
                site_name=site.name if site is not None else None,
                site_distance_m=distance,
            )
        )
    return result


def describe_checkins(
    session: Session, ids: Sequence[int], settings: IndicatorSettings, zone: tzinfo
) -> list[CheckinRecord]:
    if not ids:
        return []
    rows = session.execute(
        select(Checkin, Customer)
        .outerjoin(Customer, Customer.id == Checkin.customer_id)
        .where(Checkin.id.in_(list(ids)))
        .order_by(Checkin.checked_at, Checkin.id)
    ).all()
    result = []
    for c, customer in rows:
        distance = radius = accuracy = outside = None
        if (
            customer is not None
            and c.lat is not None
            and c.lon is not None
            and customer.lat is not None
            and customer.lon is not None
        ):
            fence_radius = customer.radius_m
            if fence_radius is None or fence_radius <= 0:
                fence_radius = settings.geofence_default_m
            fence = check_geofence(
                c.lat, c.lon, c.accuracy_m, customer.lat, customer.lon, fence_radius
            )
            distance, radius = round(fence.distance_m, 1), fence.radius_m
            accuracy, outside = fence.accuracy_m, fence.outside
        result.append(
            CheckinRecord(
                id=c.id,
                checked_at=c.checked_at.astimezone(zone),
                customer_code=customer.code if customer else None,
                customer_name=customer.name if customer else None,
                lat=c.lat,
                lon=c.lon,
                distance_m=distance,
                radius_m=radius,
                accuracy_m=accuracy,
                outside=outside,
                address=c.address,
                link_method=c.link_method,
                link_text=c.link_text,
                position_source=c.position_source,
                address_place=c.address_place,
            )
        )
    return result


def describe_orders(session: Session, ids: Sequence[int]) -> list[OrderRecord]:
    if not ids:
        return []
    rows = session.execute(
        select(Order, Customer.code, Customer.name, Competitor.name)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .outerjoin(Competitor, Competitor.id == Order.competitor_id)
        .where(Order.id.in_(list(ids)))
        .order_by(Order.order_date, Order.order_no)
    ).all()
    return [
        OrderRecord(
            id=o.id,
            order_no=o.order_no,
            order_date=o.order_date,
            amount=o.amount,
            status=o.status,
            # an order of a customer not imported yet shows the code the file gave
            customer_code=code if code is not None else (o.customer_ref or ""),
            customer_name=name or "",
            competitor_name=competitor,
        )
        for o, code, name, competitor in rows
    ]


def describe_events(session: Session, ids: Sequence[int]) -> list[EventRecord]:
    if not ids:
        return []
    new_owner = aliased(Employee)
    rows = session.execute(
        select(CustomerEvent, Customer.code, Customer.name, Competitor.name, new_owner.name)
        .join(Customer, Customer.id == CustomerEvent.customer_id)
        .outerjoin(Competitor, Competitor.id == CustomerEvent.competitor_id)
        .outerjoin(new_owner, new_owner.id == CustomerEvent.new_owner_id)
        .where(CustomerEvent.id.in_(list(ids)))
        .order_by(CustomerEvent.event_date, CustomerEvent.id)
    ).all()
    return [
        EventRecord(
            id=e.id,
            event_date=e.event_date,
            kind=e.kind,
            customer_code=code,
            customer_name=name,
            competitor_name=competitor,
            new_owner_name=owner,
        )
        for e, code, name, competitor, owner in rows
    ]


def describe_leads(session: Session, ids: Sequence[int], converted: set[int]) -> list[LeadRecord]:
    """``converted``: the ids counted as converted by the indicator's day."""
    if not ids:
        return []
    rows = session.execute(
        select(Lead, Customer.code, Customer.name, Order.order_no)
        .outerjoin(Customer, Customer.id == Lead.customer_id)
        .outerjoin(Order, Order.id == Lead.converted_order_id)
        .where(Lead.id.in_(list(ids)))
        .order_by(Lead.created_on, Lead.lead_no)
    ).all()
    return [
        LeadRecord(
            id=x.id,
            lead_no=x.lead_no,
            created_on=x.created_on,
            customer_code=code,
            customer_name=name,
            converted=x.id in converted,
            converted_order_no=order_no if x.id in converted else None,
        )
        for x, code, name, order_no in rows
    ]


def describe_all(
    session: Session, records: dict[str, Any], settings: IndicatorSettings, zone: tzinfo
) -> dict[str, Any]:
    """Every record named in ``records`` (an indicator value's ``records_json``), by kind,
    plus the plain counts and how many named records no longer exist; times on ``zone``'s
    wall clock."""
    stop_ids = _ids(records, "stops")
    checkin_ids = _ids(records, "checkins")
    order_ids = _ids(records, "orders")
    event_ids = _ids(records, "customer_events")
    lead_ids = _ids(records, "leads", "leads_converted")
    described: dict[str, Any] = {
        "stops": tuple(describe_stops(session, stop_ids, zone)),
        "checkins": tuple(describe_checkins(session, checkin_ids, settings, zone)),
        "orders": tuple(describe_orders(session, order_ids)),
        "events": tuple(describe_events(session, event_ids)),
        "leads": tuple(describe_leads(session, lead_ids, set(_ids(records, "leads_converted")))),
        "counts": {k: int(v) for k, v in records.items() if not isinstance(v, list)},
    }
    named = len(stop_ids) + len(checkin_ids) + len(order_ids) + len(event_ids) + len(lead_ids)
    found = sum(len(described[k]) for k in ("stops", "checkins", "orders", "events", "leads"))
    described["missing"] = named - found
    return described
