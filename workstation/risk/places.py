"""The places a stop can be at, each kind in its own k-d tree, and what place a stop is at.

A stop is classified by its centre, in this order (the first that covers it wins):

1. an **office** of the company (within the office's radius);
2. an **allowed place** (shared tower, logistics hub, someone's home: ``employee_id`` set
   means for that employee only);
3. a **competitor site** (within the site's radius, 200 m by default);
4. a **customer** (within the customer's geofence);
5. anything else: ``other``.

Only 3 counts as "at a competitor". The nearest competitor site covering the stop is kept
with every stop, also an office or allowed one, so a map can show why it did not count.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.geo.distance import haversine_m_np
from workstation.risk.model import IndicatorSettings
from workstation.store.models import AllowedPlace, Competitor, CompetitorSite, Customer, Office

OFFICE = "office"
ALLOWED = "allowed"
COMPETITOR_SITE = "competitor_site"
CUSTOMER = "customer"
OTHER = "other"
#: Stops at these never count as field stops (nor as at a competitor).
NOT_FIELD = frozenset({OFFICE, ALLOWED})


@dataclass(frozen=True)
class Place:
    id: int
    lat: float
    lon: float
    radius_m: float
    name: str
    #: The competitor's name (sites), the kind (allowed places).
    group: str = ""
    #: Allowed places only: the one employee the place is allowed for (``None``: everyone).
    employee_id: int | None = None


@dataclass(frozen=True)
class StopPlace:
    kind: str
    place_id: int | None
    distance_m: float | None
    competitor_site_id: int | None


def _id(place: Place) -> int:
    return place.id


def _radius(value: float | None, default: float) -> float:
    if value is None or not math.isfinite(value) or value <= 0:
        return default
    return float(value)


class _Kind:
    """The places of one kind in one spatial index."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)
        self.lat = np.array([p.lat for p in self.places], dtype=np.float64)
        self.lon = np.array([p.lon for p in self.places], dtype=np.float64)
        self.radius = np.array([p.radius_m for p in self.places], dtype=np.float64)
        self.ids = np.array([p.id for p in self.places], dtype=np.int64)
        from workstation.geo.spatial import PlaceIndex  # scipy: when places are looked up

        self.index = PlaceIndex(self.lat, self.lon, self.radius)
        owners = [-1 if p.employee_id is None else p.employee_id for p in self.places]
        self.owner = np.array(owners, dtype=np.int64)
        self.uniform = bool(self.radius.size == 0 or np.ptp(self.radius) == 0)

    def nearest_covering(
        self, lat: NDArray[np.float64], lon: NDArray[np.float64], employee_id: int | None
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """For each point, the nearest place whose radius reaches it (-1 if none) and its
        great-circle distance; with ``employee_id``, only places for everyone or for them.

        One vectorised nearest-neighbour query answers almost every point: when the nearest
        place covers the point (and may be used), no other can be nearer. Only points where
        that is undecided (varying radii, someone else's place nearest) get a second, exact
        query of every place within reach.
        """
        n = lat.size
        found = np.full(n, -1, dtype=np.intp)
        dist = np.full(n, np.nan)
        if not self.places or n == 0:
            return found, dist
        idx, _ = self.index.nearest(lat, lon)
        d = haversine_m_np(lat, lon, self.lat[idx], self.lon[idx])
        usable = self.owner[idx] < 0
        if employee_id is not None:
            usable |= self.owner[idx] == employee_id
        hit = (d <= self.radius[idx]) & usable
        found[hit], dist[hit] = idx[hit], d[hit]
        unsure = ~hit & (d <= self.radius.max())
        if self.uniform:
            unsure &= ~usable  # equal radii: the nearest failing means every place fails
        for i in np.flatnonzero(unsure):
            for h in self.index.covering(lat[i : i + 1], lon[i : i + 1])[0]:
                if self.owner[h.index] < 0 or self.owner[h.index] == employee_id:
                    found[i], dist[i] = h.index, h.distance_m
                    break
        return found, dist


class PlaceSet:
    """Offices, allowed places, competitor sites and customers, ready to classify stops."""

    def __init__(
        self,
        offices: Sequence[Place],
        allowed: Sequence[Place],
        competitor_sites: Sequence[Place],
        customers: Sequence[Place],
    ) -> None:
        self.offices = _Kind(offices)
        self.allowed = _Kind(allowed)
        self.competitor_sites = _Kind(competitor_sites)
        self.customers = _Kind(customers)
        self.customer_by_id = {c.id: c for c in customers}
        self._fingerprint: str | None = None

    @classmethod
    def load(cls, session: Session, settings: IndicatorSettings) -> PlaceSet:
        """Every place with a position (places without one cannot hold a stop)."""
        offices = [
            Place(o.id, o.lat, o.lon, _radius(o.radius_m, settings.office_radius_default_m), o.name)
            for o in session.scalars(
                select(Office).where(Office.lat.is_not(None), Office.lon.is_not(None))
            )
            if o.lat is not None and o.lon is not None
        ]
        allowed = [
            Place(
                a.id,
                a.lat,
                a.lon,
                _radius(a.radius_m, settings.allowed_radius_default_m),
                a.name,
                group=a.kind,
                employee_id=a.employee_id,
            )
            for a in session.scalars(select(AllowedPlace))
        ]
        sites = [
            Place(
                s.id,
                s.lat,
                s.lon,
                _radius(s.radius_m, settings.competitor_radius_default_m),
                s.name,
                group=competitor,
            )
            for s, competitor in session.execute(
                select(CompetitorSite, Competitor.name)
                .join(Competitor, Competitor.id == CompetitorSite.competitor_id)
                .where(CompetitorSite.lat.is_not(None), CompetitorSite.lon.is_not(None))
            )
            if s.lat is not None and s.lon is not None
        ]
        customers = [
            Place(c.id, c.lat, c.lon, _radius(c.radius_m, settings.geofence_default_m), c.name)
            for c in session.scalars(
                select(Customer).where(Customer.lat.is_not(None), Customer.lon.is_not(None))
            )
            if c.lat is not None and c.lon is not None
        ]
        return cls(
            sorted(offices, key=_id),
            sorted(allowed, key=_id),
            sorted(sites, key=_id),
            sorted(customers, key=_id),
        )

    def fingerprint(self) -> str:
        """A short hash of every position and radius: stored stops are stale when it changes."""
        if self._fingerprint is None:
            digest = hashlib.sha256()
            for kind in (self.offices, self.allowed, self.competitor_sites, self.customers):
                digest.update(b"|")
                for p in kind.places:
                    digest.update(
                        f"{p.id},{p.lat!r},{p.lon!r},{p.radius_m!r},{p.employee_id};".encode()
                    )
            self._fingerprint = digest.hexdigest()[:16]
        return self._fingerprint

    def classify(self, lat: ArrayLike, lon: ArrayLike, employee_id: int) -> list[StopPlace]:
        """The place each stop centre is at (see the module docstring for the order)."""
        qlat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        qlon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        if qlat.size == 0:
            return []
        kind = np.full(qlat.size, OTHER, dtype=object)
        place_id = np.full(qlat.size, -1, dtype=np.int64)
        distance = np.full(qlat.size, np.nan)
        site, _ = self.competitor_sites.nearest_covering(qlat, qlon, None)
        # (masked: a company without competitor sites has no ids to index with -1)
        site_id = np.full(qlat.size, -1, dtype=np.int64)
        site_id[site >= 0] = self.competitor_sites.ids[site[site >= 0]]
        # Lowest priority first; each kind overwrites what it covers.
        for name, places, owner in (
            (CUSTOMER, self.customers, None),
            (COMPETITOR_SITE, self.competitor_sites, None),
            (ALLOWED, self.allowed, employee_id),
            (OFFICE, self.offices, None),
        ):
            idx, dist = places.nearest_covering(qlat, qlon, owner)
            hit = idx >= 0
            kind[hit], place_id[hit], distance[hit] = name, places.ids[idx[hit]], dist[hit]
        return [
            StopPlace(
                str(k),
                None if p < 0 else int(p),
                None if k == OTHER else float(d),
                None if c < 0 else int(c),
            )
            for k, p, d, c in zip(
                kind.tolist(), place_id.tolist(), distance.tolist(), site_id.tolist(), strict=True
            )
        ]


@dataclass(frozen=True)
class FenceChecks:
    """Check-ins against their claimed customer's geofence (arrays, one entry per check-in)."""

    distance_m: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    accuracy_m: NDArray[np.float64]
    #: False where the check-in claims no customer, or one (or a fix) without a position.
    checked: NDArray[np.bool_]
    outside: NDArray[np.bool_]


def fence_checks(
    lat: ArrayLike,
    lon: ArrayLike,
    accuracy_m: ArrayLike,
    customer_ids: Sequence[int | None],
    places: PlaceSet,
) -> FenceChecks:
    """Vectorised :func:`workstation.geo.geofence.check_geofence` for many check-ins.

    Outside only when ``distance - accuracy > radius``; an unknown or negative accuracy
    counts as 0. The check-in is never refused: the result only flags it.
    """
    la = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    lo = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    acc = np.atleast_1d(np.asarray(accuracy_m, dtype=np.float64))
    n = la.size
    clat, clon, radius = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for i, cid in enumerate(customer_ids):
        customer = places.customer_by_id.get(cid) if cid is not None else None
        if customer is not None:
            clat[i], clon[i], radius[i] = customer.lat, customer.lon, customer.radius_m
    checked = np.isfinite(clat) & np.isfinite(la) & np.isfinite(lo)
    acc = np.where(np.isfinite(acc) & (acc > 0), acc, 0.0)
    distance = np.full(n, np.nan)
    if checked.any():
        distance[checked] = haversine_m_np(la[checked], lo[checked], clat[checked], clon[checked])
    with np.errstate(invalid="ignore"):
        outside = checked & (distance - acc > radius)
    return FenceChecks(distance, radius, acc, checked, np.asarray(outside))
