"""Plain values a map is drawn from (built by ``MapService``, drawn by ``render``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class TrackSegment:
    """A continuous piece of track (split at gaps); points are WGS-84 ``(lat, lon)``."""

    started_at: datetime
    ended_at: datetime
    points: list[tuple[float, float]]


@dataclass(frozen=True)
class MapStop:
    lat: float
    lon: float
    started_at: datetime
    ended_at: datetime
    #: What the stop is at, if anything: "office", "customer", "competitor" or "".
    place_kind: str = ""
    place_name: str = ""

    @property
    def minutes(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 60.0


@dataclass(frozen=True)
class MapCheckin:
    lat: float
    lon: float
    checked_at: datetime
    kind: str
    customer_code: str | None
    customer_name: str | None
    address: str | None
    distance_m: float | None
    accuracy_m: float | None
    #: True inside the claimed customer's fence, False outside, None when no customer is claimed.
    inside_fence: bool | None
    #: Where the position comes from (``PositionSource``): "address" is where the address is,
    #: not a GPS fix.
    position_source: str | None = None
    #: How the customer was found (``CheckinLink``).
    link_method: str | None = None


@dataclass(frozen=True)
class MapPlace:
    """A customer (with its geofence), a competitor site or an office."""

    kind: str  # "customer" | "competitor" | "office"
    lat: float
    lon: float
    radius_m: float
    name: str
    code: str = ""
    group: str = ""  # competitor name, city...


@dataclass(frozen=True)
class EmployeeMapData:
    employee_id: int
    employee_no: str
    employee_name: str
    start: date
    end: date
    segments: list[TrackSegment] = field(default_factory=list)
    stops: list[MapStop] = field(default_factory=list)
    checkins: list[MapCheckin] = field(default_factory=list)
    customers: list[MapPlace] = field(default_factory=list)
    competitor_sites: list[MapPlace] = field(default_factory=list)
    offices: list[MapPlace] = field(default_factory=list)

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.segments)

    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """South-west and north-east corners of the track, stops and check-ins."""
        pts = [p for s in self.segments for p in s.points]
        pts += [(s.lat, s.lon) for s in self.stops] + [(c.lat, c.lon) for c in self.checkins]
        if not pts:
            pts = [(p.lat, p.lon) for p in self.customers]
        if not pts:
            return None
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        return (min(lats), min(lons)), (max(lats), max(lons))


@dataclass(frozen=True)
class RenderedMap:
    """A map written to an HTML file, with what Leaflet must draw when it loads it.

    ``expected_paths`` is the number of SVG ``path.leaflet-interactive`` elements the page
    creates (every track line, circle and circle marker is one); ``expected_markers`` is the
    number of those that are point markers (stops, check-ins, competitor-site and office
    markers), which carry the CSS class ``cw-marker``. The page reports what it really drew
    in ``window.caseworkDrawn = {paths, markers}`` (see ``workstation.maps.render``).
    """

    path: Path
    data: EmployeeMapData
    expected_paths: int
    expected_markers: int
