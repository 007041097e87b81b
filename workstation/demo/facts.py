"""What each planted scenario ended up being, measured on the generated records.

This is the answer key shipped with the demo (``app_meta['demo.scenarios']`` and
``demo-files/scenarios.json``): who, what, when, and how much.
"""

from __future__ import annotations

from typing import Any

from workstation.demo.geom import distance_m
from workstation.demo.scenarios import COMMUTE_SITE_OFFSET_M, Cast
from workstation.demo.world import PersonRec, World
from workstation.domain.enums import CheckinKind, CustomerEventKind, OrderStatus


def _who(p: PersonRec) -> dict[str, Any]:
    return {"employee_no": p.employee_no, "employee_name": p.name, "city": p.city.name}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def scenario_facts(world: World, cast: Cast) -> list[dict[str, Any]]:
    return [
        _diverter(world, cast),
        _fake(world, cast),
        _territory(world, cast),
        _commuter(world, cast),
        _tower(world, cast),
    ]


def _diverter(world: World, cast: Cast) -> dict[str, Any]:
    p, ws = cast.diverter, world.window_start
    held = [
        o for o in world.ownerships
        if o.employee is p and o.start <= ws and (o.end is None or o.end > ws)
    ]  # fmt: skip
    moved = [
        e for e in world.events
        if e.employee is p and e.kind == CustomerEventKind.TRANSFERRED.value and e.day >= ws
    ]  # fmt: skip
    orders = [o for o in world.orders if o.employee is p and o.status == OrderStatus.TRANSFERRED]
    stops = [kind for day, kind in cast.stops.get(p.id, []) if day >= ws]
    before = [x for x in world.leads if x.employee is p and x.created < ws]
    after = [x for x in world.leads if x.employee is p and x.created >= ws]
    rival = cast.rival
    return {
        "id": "S1",
        "kind": "diverter",
        "innocent": False,
        **_who(p),
        "description": (
            f"Moves customers and orders to {rival.name}: about a quarter of his customers "
            "transferred in the last 30 days, long stays at the rival's sites, conversion down."
        ),
        "description_zh": (
            f"跑单：近 30 天约四分之一客户转至{rival.name}，"
            "频繁长时间停留在对方网点，线索转化率骤降。"
        ),
        "competitor": rival.name,
        "competitor_sites": [
            s.name for s in world.sites if s.competitor is rival and s.city is p.city
        ],
        "window_start": ws.isoformat(),
        "window_end": world.end_date.isoformat(),
        "customers_at_window_start": len(held),
        "customers_transferred": len(moved),
        "churn_share": _share(len(moved), len(held)),
        "transfer_dates": sorted({e.day.isoformat() for e in moved}),
        "transferred_orders": len(orders),
        "field_stops_in_window": len(stops),
        "competitor_stops_in_window": stops.count("rival"),
        "competitor_stop_share": _share(stops.count("rival"), len(stops)),
        "leads_before_window": len(before),
        "converted_before_window": sum(1 for x in before if x.order),
        "leads_in_window": len(after),
        "converted_in_window": sum(1 for x in after if x.order),
    }


def _fake(world: World, cast: Cast) -> dict[str, Any]:
    p, ws = cast.fake, world.window_start
    field = [
        c for c in world.checkins
        if c.employee is p and c.kind == CheckinKind.FIELD.value and c.at.date() >= ws
        and c.customer is not None
    ]  # fmt: skip
    far = [
        distance_m(c.lat, c.lon, c.customer.lat, c.customer.lon)
        for c in field
        if c.customer is not None
    ]
    far = [d for d in far if d > 2000]
    return {
        "id": "S2",
        "kind": "fake_fieldwork",
        "innocent": False,
        **_who(p),
        "description": (
            "Claims customer visits with field check-ins made from home, kilometres away from "
            "the claimed customers; the GPS track stays at home."
        ),
        "description_zh": (
            "虚假外勤：在家中打外勤卡，打卡位置距所称拜访客户数公里，轨迹显示一直在家。"
        ),
        "window_start": ws.isoformat(),
        "window_end": world.end_date.isoformat(),
        "field_checkins_in_window": len(field),
        "far_checkins_in_window": len(far),
        "far_share": _share(len(far), len(field)),
        "min_far_km": round(min(far) / 1000, 1) if far else None,
        "max_far_km": round(max(far) / 1000, 1) if far else None,
    }


def _territory(world: World, cast: Cast) -> dict[str, Any]:
    p, day = cast.territory, cast.reorg_day
    assert day is not None
    moved = [
        e for e in world.events
        if e.employee is p and e.kind == CustomerEventKind.REASSIGNED.value and e.day == day
    ]  # fmt: skip
    held = [
        o for o in world.ownerships
        if o.employee is p and o.start <= day and (o.end is None or o.end >= day)
    ]  # fmt: skip
    return {
        "id": "S3a",
        "kind": "territory_change",
        "innocent": True,
        **_who(p),
        "description": (
            "Innocent: about 30% of his customers were reassigned to a colleague in a territory "
            "change. Customers leave him, but to the company, not to a competitor."
        ),
        "description_zh": "无辜对照：区域调整，约 30% 客户移交给同事，并非流失。",
        "date": day.isoformat(),
        "new_owner_no": cast.colleague.employee_no,
        "new_owner_name": cast.colleague.name,
        "customers_before": len(held),
        "customers_reassigned": len(moved),
    }


def _commuter(world: World, cast: Cast) -> dict[str, Any]:
    site = cast.commute_site
    assert site is not None
    return {
        "id": "S3b",
        "kind": "commute_passes_competitor",
        "innocent": True,
        **_who(cast.commuter),
        "description": (
            f"Innocent: the daily commute passes {round(COMMUTE_SITE_OFFSET_M)} m from a "
            "competitor site without stopping."
        ),
        "description_zh": "无辜对照：每天通勤路线从竞争对手网点旁经过，但从不停留。",
        "competitor": site.competitor.name,
        "site": site.name,
        "site_lat": site.lat,
        "site_lon": site.lon,
        "route_offset_m": COMMUTE_SITE_OFFSET_M,
    }


def _tower(world: World, cast: Cast) -> dict[str, Any]:
    site = cast.tower_site
    office = next(o for o in world.offices if o.city is site.city)
    staff = [p for p in world.people if p.office is office]
    return {
        "id": "S3c",
        "kind": "office_shares_tower",
        "innocent": True,
        "employee_no": "",
        "employee_name": "",
        "city": office.city.name,
        "description": (
            f"Innocent: {site.competitor.name} has an office in the same tower as the "
            f"{office.name}; everyone there 'stays' near it every working day."
        ),
        "description_zh": (
            f"无辜对照：{site.competitor.name}与{office.name}在同一栋写字楼，"
            "全体员工每天都在其附近。"
        ),
        "office": office.name,
        "competitor": site.competitor.name,
        "site": site.name,
        "distance_m": round(distance_m(site.lat, site.lon, office.lat, office.lon), 1),
        "employee_nos": [p.employee_no for p in staff],
    }
