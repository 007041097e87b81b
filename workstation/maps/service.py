"""Map of one employee over some days: track, stops, check-ins and the places around them.

Every call that reads track positions writes one ``track.read`` audit entry (reads of
location data are logged by law) and commits it in the same unit of work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workstation.config import Settings
from workstation.domain.clock import Clock, day_bounds_utc
from workstation.geo.geofence import check_geofence
from workstation.geo.stops import detect_stops
from workstation.geo.track import good_fix_mask, split_runs
from workstation.maps.model import (
    EmployeeMapData,
    MapCheckin,
    MapPlace,
    MapStop,
    RenderedMap,
    TrackSegment,
)
from workstation.risk.track_time import day_starts_ms
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import (
    Checkin,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerOwnership,
    Employee,
    Office,
    TrackPoint,
)
from workstation.store.uow import UnitOfWorkFactory

#: A silence longer than this starts a new line on the map.
SEGMENT_GAP_MS = 10 * 60_000
#: Fixes worse than this, or needing more than this speed, are not drawn.
MAX_ACCURACY_M = 200.0
MAX_SPEED_MPS = 60.0
TRACK_READ_ACTION = "track.read"
#: Map pages kept in the cache folder; older ones are deleted (they hold location data).
MAP_CACHE_KEEP = 40


def _prune_cache(folder: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently written map pages."""
    pages = sorted(folder.glob("*.html"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in pages[keep:]:
        old.unlink(missing_ok=True)


class EmployeeNotFound(LookupError):
    pass


def day_range_ms(start: date, end: date, zone: tzinfo) -> tuple[int, int]:
    """Half-open ``[from, to)`` epoch-ms range covering local days ``start``..``end`` (days of
    ``zone``)."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    lo, hi = day_bounds_utc(start, end, zone)
    return int(lo.timestamp() * 1000), int(hi.timestamp() * 1000)


class MapService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, settings: Settings, clock: Clock):
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._settings = settings
        #: Its zone decides the days a map covers and the wall-clock times it shows.
        self._zone = clock.zone

    def _local(self, ms: int) -> datetime:
        return datetime.fromtimestamp(ms / 1000.0, self._zone)

    # ---- use cases ---------------------------------------------------------------------

    def map_data(self, employee_id: int, start: date, end: date) -> EmployeeMapData:
        """Everything a map of ``employee_id`` over local days ``start``..``end`` shows."""
        self._acting.require(Permission.TRACK_VIEW)
        lo_ms, hi_ms = day_range_ms(start, end, self._zone)
        with self._uow() as uow:
            session = uow.session
            employee = session.get(Employee, employee_id)
            if employee is None:
                raise EmployeeNotFound(f"no employee with id {employee_id}")
            query = (
                select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon, TrackPoint.accuracy_m)
                .where(
                    TrackPoint.employee_id == employee_id,
                    TrackPoint.t_ms >= lo_ms,
                    TrackPoint.t_ms < hi_ms,
                )
                .order_by(TrackPoint.t_ms)
            )
            rows = [(r[0], r[1], r[2], r[3]) for r in session.execute(query)]
            places = _Places.load(session)
            day_starts = day_starts_ms(start, end, self._zone)
            segments, stops = self._track(rows, places, day_starts)
            checkins, claimed = _checkins(session, employee_id, lo_ms, hi_ms, self._zone)
            customers = _customers(session, employee_id, start, end, claimed)
            append_audit(
                session,
                self._actor(),
                TRACK_READ_ACTION,
                "employee",
                employee.employee_no,
                {"start": start.isoformat(), "end": end.isoformat(), "points": len(rows)},
            )
            uow.commit()
            return EmployeeMapData(
                employee_id=employee.id,
                employee_no=employee.employee_no,
                employee_name=employee.name,
                start=start,
                end=end,
                segments=segments,
                stops=stops,
                checkins=checkins,
                customers=customers,
                competitor_sites=places.competitor_sites,
                offices=places.offices,
            )

    def build_map(
        self, employee_id: int, start: date, end: date, locale: str = "zh_CN"
    ) -> RenderedMap:
        """Gather the data (audited) and write the map page under ``data_dir/cache/maps``."""
        self._acting.require(Permission.TRACK_VIEW)
        from workstation.maps.render import render_map  # folium: when a map is drawn

        data = self.map_data(employee_id, start, end)
        drawing = render_map(data, locale=locale, preferences=self._settings.preferences)
        folder = self._settings.data_dir / "cache" / "maps"
        folder.mkdir(parents=True, exist_ok=True)
        safe_locale = re.sub(r"[^A-Za-z_]", "", locale)
        path = folder / f"employee-{employee_id}_{start:%Y%m%d}-{end:%Y%m%d}_{safe_locale}.html"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(drawing.html, encoding="utf-8")
        tmp.replace(path)
        _prune_cache(folder, keep=MAP_CACHE_KEEP)
        return RenderedMap(
            path=path,
            data=data,
            expected_paths=drawing.expected_paths,
            expected_markers=drawing.expected_markers,
        )

    def employee_date_range(self, employee_id: int) -> tuple[date, date] | None:
        """First and last local day with track points or check-ins (no positions are read)."""
        self._acting.require(Permission.TRACK_VIEW)
        with self._uow() as uow:
            session = uow.session
            t_lo, t_hi = session.execute(
                select(func.min(TrackPoint.t_ms), func.max(TrackPoint.t_ms)).where(
                    TrackPoint.employee_id == employee_id
                )
            ).one()
            c_lo, c_hi = session.execute(
                select(func.min(Checkin.checked_at), func.max(Checkin.checked_at)).where(
                    Checkin.employee_id == employee_id
                )
            ).one()
        days: list[date] = []
        if t_lo is not None:
            days += [self._local(int(t_lo)).date(), self._local(int(t_hi)).date()]
        for value in (c_lo, c_hi):
            if value is not None:
                moment = value if value.tzinfo else value.replace(tzinfo=UTC)
                days.append(moment.astimezone(self._zone).date())
        return (min(days), max(days)) if days else None

    # ---- track -------------------------------------------------------------------------

    def _track(
        self,
        rows: Sequence[tuple[int, float, float, float | None]],
        places: _Places,
        day_starts: list[int],
    ) -> tuple[list[TrackSegment], list[MapStop]]:
        """Segments (never across local midnights: ``day_starts``, see ``day_starts_ms``) and
        stops of the good fixes in ``rows``."""
        if not rows:
            return [], []
        n = len(rows)
        t_ms = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        lat = np.fromiter((r[1] for r in rows), dtype=np.float64, count=n)
        lon = np.fromiter((r[2] for r in rows), dtype=np.float64, count=n)
        acc = np.fromiter((np.nan if r[3] is None else r[3] for r in rows), np.float64, n)
        keep = good_fix_mask(
            t_ms, lat, lon, acc, max_accuracy_m=MAX_ACCURACY_M, max_speed_mps=MAX_SPEED_MPS
        )
        t_ms, lat, lon = t_ms[keep], lat[keep], lon[keep]
        if t_ms.size == 0:
            return [], []
        days = np.searchsorted(np.array(day_starts, dtype=np.int64), t_ms, side="right")
        segments = [
            TrackSegment(
                started_at=self._local(int(t_ms[a])),
                ended_at=self._local(int(t_ms[b - 1])),
                points=list(zip(lat[a:b].tolist(), lon[a:b].tolist(), strict=True)),
            )
            for a, b in split_runs(t_ms, SEGMENT_GAP_MS, days)
        ]
        prefs = self._settings.preferences
        found = detect_stops(
            t_ms, lat, lon, min_minutes=prefs.stop_min_minutes, radius_m=prefs.stop_radius_m
        )
        labels = places.label([s.lat for s in found], [s.lon for s in found])
        stops = [
            MapStop(
                lat=s.lat,
                lon=s.lon,
                started_at=self._local(s.start_ms),
                ended_at=self._local(s.end_ms),
                place_kind=kind,
                place_name=name,
            )
            for s, (kind, name) in zip(found, labels, strict=True)
        ]
        return segments, stops


class _Places:
    """Every office, competitor site and customer with a position, in one spatial index."""

    def __init__(
        self,
        offices: list[MapPlace],
        competitor_sites: list[MapPlace],
        customers: list[MapPlace],
    ) -> None:
        self.offices = offices
        self.competitor_sites = competitor_sites
        from workstation.geo.spatial import PlaceIndex  # scipy: when places are looked up

        self._all = offices + competitor_sites + customers
        self._index = PlaceIndex(
            [p.lat for p in self._all], [p.lon for p in self._all], [p.radius_m for p in self._all]
        )

    @classmethod
    def load(cls, session: Session) -> _Places:
        offices = [
            MapPlace("office", o.lat, o.lon, o.radius_m, o.name, group=o.city or "")
            for o in session.scalars(select(Office).order_by(Office.name))
            if o.lat is not None and o.lon is not None
        ]
        sites = [
            MapPlace("competitor", s.lat, s.lon, s.radius_m, s.name, group=competitor)
            for s, competitor in session.execute(
                select(CompetitorSite, Competitor.name)
                .join(Competitor, CompetitorSite.competitor_id == Competitor.id)
                .order_by(Competitor.name, CompetitorSite.name)
            )
            if s.lat is not None and s.lon is not None
        ]
        customers = [
            _customer_place(c)
            for c in session.scalars(
                select(Customer).where(Customer.lat.is_not(None), Customer.lon.is_not(None))
            )
        ]
        return cls(offices, sites, customers)

    def label(self, lat: list[float], lon: list[float]) -> list[tuple[str, str]]:
        """For each position, the nearest place whose own radius covers it: (kind, name)."""
        result = []
        for hits in self._index.covering(lat, lon):
            if not hits:
                result.append(("", ""))
                continue
            place = self._all[hits[0].index]
            result.append((place.kind, _place_label(place)))
        return result


def _place_label(place: MapPlace) -> str:
    if place.kind == "competitor" and place.group and place.group not in place.name:
        return f"{place.group} · {place.name}"
    if place.kind == "customer" and place.code:
        return f"{place.name} ({place.code})"
    return place.name


def _customer_place(c: Customer) -> MapPlace:
    assert c.lat is not None and c.lon is not None
    return MapPlace("customer", c.lat, c.lon, c.radius_m, c.name, code=c.code, group=c.city or "")


def _checkins(
    session: Session, employee_id: int, lo_ms: int, hi_ms: int, zone: tzinfo
) -> tuple[list[MapCheckin], set[int]]:
    lo = datetime.fromtimestamp(lo_ms / 1000, UTC)
    hi = datetime.fromtimestamp(hi_ms / 1000, UTC)
    result: list[MapCheckin] = []
    claimed: set[int] = set()
    for c, customer in session.execute(
        select(Checkin, Customer)
        .outerjoin(Customer, Checkin.customer_id == Customer.id)
        .where(
            Checkin.employee_id == employee_id, Checkin.checked_at >= lo, Checkin.checked_at < hi
        )
        .order_by(Checkin.checked_at)
    ):
        if c.lat is None or c.lon is None:
            continue
        distance = inside = None
        if customer is not None:
            claimed.add(customer.id)
            if customer.lat is not None and customer.lon is not None:
                fence = check_geofence(
                    c.lat, c.lon, c.accuracy_m, customer.lat, customer.lon, customer.radius_m
                )
                distance, inside = fence.distance_m, fence.inside
        result.append(
            MapCheckin(
                lat=c.lat,
                lon=c.lon,
                checked_at=c.checked_at.astimezone(zone),
                kind=c.kind,
                customer_code=customer.code if customer else None,
                customer_name=customer.name if customer else None,
                address=c.address,
                distance_m=distance,
                accuracy_m=c.accuracy_m,
                inside_fence=inside,
                position_source=c.position_source,
                link_method=c.link_method,
            )
        )
    return result, claimed


def _customers(
    session: Session, employee_id: int, start: date, end: date, claimed: Iterable[int]
) -> list[MapPlace]:
    """Customers held at any time in ``start..end`` (end dates are exclusive) or claimed."""
    held = select(CustomerOwnership.customer_id).where(
        CustomerOwnership.employee_id == employee_id,
        or_(CustomerOwnership.start_date.is_(None), CustomerOwnership.start_date <= end),
        or_(CustomerOwnership.end_date.is_(None), CustomerOwnership.end_date > start),
    )
    ids = list(claimed)
    query = (
        select(Customer)
        .where(
            or_(Customer.id.in_(held), Customer.id.in_(ids)),
            Customer.lat.is_not(None),
            Customer.lon.is_not(None),
        )
        .order_by(Customer.code)
    )
    return [_customer_place(c) for c in session.scalars(query)]
