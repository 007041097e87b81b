"""One employee-day: the track and field check-ins in, stops and location flags out.

Pure computation (no database). A day is always computed on its own, cut at local midnight,
so the stops of a day are the same whichever range of days a run covers.

- Stops come from the track (bad fixes dropped first: poor accuracy, impossible spikes).
- A day without a usable track gets one stop per field check-in (``source = "checkin"``),
  starting and ending at the check-in.
- Flags: impossible jumps and repeated identical fixes in the track; check-ins carrying a
  mock-location marker; field check-ins sharing one exact position; field check-ins outside
  the claimed customer's geofence (flagged, never refused or dropped); punches placed by the
  track whose address names a place more than ``address_track_max_m`` away (the address and
  the track disagree).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from workstation.domain.enums import CheckinKind
from workstation.geo.stops import detect_stops
from workstation.geo.track import good_fix_mask
from workstation.risk.model import IndicatorSettings
from workstation.risk.places import PlaceSet, StopPlace, fence_checks
from workstation.risk.quality import (
    ADDRESS_TRACK_MISMATCH,
    MOCK_LOCATION,
    OUTSIDE_GEOFENCE,
    REPEATED_FIX,
    Flag,
    address_track_gap,
    impossible_jumps,
    mock_marker,
    repeated_fixes,
    track_address_distance,
)

SOURCE_TRACK = "track"
SOURCE_CHECKIN = "checkin"
FIELD = CheckinKind.FIELD.value


@dataclass(frozen=True)
class CheckinIn:
    """A check-in as the stop computation needs it."""

    id: int
    at_ms: int
    kind: str
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    customer_id: int | None
    source_result: str | None = None
    note: str | None = None
    #: Where lat/lon come from (``PositionSource``: device, track, address).
    position_source: str | None = None
    #: The place the punch's address names (name and WGS-84 position), when it matched one.
    address_place: str | None = None
    address_lat: float | None = None
    address_lon: float | None = None


@dataclass(frozen=True)
class StopRow:
    started_ms: int
    ended_ms: int
    lat: float
    lon: float
    point_count: int
    source: str
    place_kind: str
    place_id: int | None
    place_distance_m: float | None
    competitor_site_id: int | None


@dataclass(frozen=True)
class DayResult:
    stops: list[StopRow]
    flags: list[Flag]


@dataclass(frozen=True)
class DayInput:
    """One local day of one employee: the track (sorted by time) and the check-ins."""

    day: date
    t_ms: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    accuracy_m: NDArray[np.float64]
    checkins: Sequence[CheckinIn] = ()


_Found = tuple[int, int, float, float, int, str]


def compute_day(
    employee_id: int,
    t_ms: NDArray[np.int64],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    accuracy_m: NDArray[np.float64],
    checkins: Sequence[CheckinIn],
    places: PlaceSet,
    settings: IndicatorSettings,
) -> DayResult:
    """Stops and flags of one employee on one local day (track sorted by time)."""
    day = DayInput(date(1970, 1, 1), t_ms, lat, lon, accuracy_m, checkins)
    return compute_days(employee_id, [day], places, settings)[day.day]


def compute_days(
    employee_id: int,
    days: Sequence[DayInput],
    places: PlaceSet,
    settings: IndicatorSettings,
) -> dict[date, DayResult]:
    """:func:`compute_day` for many days of one employee, with one spatial query for all."""
    found = {d.day: _detect(d, settings) for d in days}
    every = [f for d in days for f in found[d.day]]
    labels = iter(places.classify([f[2] for f in every], [f[3] for f in every], employee_id))
    fences = iter(_fence_flags([c for d in days for c in _claiming(d.checkins)], places))
    results = {}
    for d in days:
        stops = [_stop_row(f, next(labels)) for f in found[d.day]]
        flags = impossible_jumps(
            d.t_ms,
            d.lat,
            d.lon,
            d.accuracy_m,
            max_speed_mps=settings.max_speed_mps,
            max_accuracy_m=settings.max_accuracy_m,
        )
        flags += repeated_fixes(d.t_ms, d.lat, d.lon, min_run=settings.repeated_fix_min)
        flags += checkin_marks(d.checkins, settings)
        flags += [f for _ in _claiming(d.checkins) if (f := next(fences)) is not None]
        results[d.day] = DayResult(stops, _unique_flags(flags))
    return results


def _detect(day: DayInput, settings: IndicatorSettings) -> list[_Found]:
    if day.t_ms.size:
        good = good_fix_mask(
            day.t_ms,
            day.lat,
            day.lon,
            day.accuracy_m,
            max_accuracy_m=settings.max_accuracy_m,
            max_speed_mps=settings.max_speed_mps,
        )
        if good.sum() >= 2:
            return [
                (s.start_ms, s.end_ms, s.lat, s.lon, s.point_count, SOURCE_TRACK)
                for s in detect_stops(
                    day.t_ms[good],
                    day.lat[good],
                    day.lon[good],
                    min_minutes=settings.stop_min_minutes,
                    radius_m=settings.stop_radius_m,
                    max_gap_minutes=settings.stop_max_gap_minutes,
                )
            ]
    return _checkin_stops(day.checkins)


def _stop_row(f: _Found, label: StopPlace) -> StopRow:
    return StopRow(
        started_ms=f[0],
        ended_ms=f[1],
        lat=f[2],
        lon=f[3],
        point_count=f[4],
        source=f[5],
        place_kind=label.kind,
        place_id=label.place_id,
        place_distance_m=None if label.distance_m is None else round(label.distance_m, 2),
        competitor_site_id=label.competitor_site_id,
    )


def _checkin_stops(checkins: Sequence[CheckinIn]) -> list[_Found]:
    seen: set[int] = set()
    found = []
    for c in sorted(checkins, key=lambda c: (c.at_ms, c.id)):
        if c.lat is None or c.lon is None or c.kind != FIELD or c.at_ms in seen:
            continue
        seen.add(c.at_ms)
        found.append((c.at_ms, c.at_ms, c.lat, c.lon, 1, SOURCE_CHECKIN))
    return found


def _field(checkins: Sequence[CheckinIn]) -> list[CheckinIn]:
    """Field check-ins with a position, by time."""
    return [
        c
        for c in sorted(checkins, key=lambda c: (c.at_ms, c.id))
        if c.kind == FIELD and c.lat is not None and c.lon is not None
    ]


def _claiming(checkins: Sequence[CheckinIn]) -> list[CheckinIn]:
    return [c for c in _field(checkins) if c.customer_id is not None]


def checkin_marks(checkins: Sequence[CheckinIn], settings: IndicatorSettings) -> list[Flag]:
    """Mock-location markers, and field check-ins at one exact position (one day's)."""
    flags = []
    for c in sorted(checkins, key=lambda c: (c.at_ms, c.id)):
        marker = mock_marker((c.source_result, c.note), settings.mock_markers)
        if marker is not None:
            flags.append(
                Flag(
                    MOCK_LOCATION,
                    c.at_ms,
                    {"checkin_id": c.id, "marker": marker, "source_result": c.source_result},
                )
            )
    for c in sorted(checkins, key=lambda c: (c.at_ms, c.id)):
        gap = _address_gap(c, settings)
        if gap is not None:
            flags.append(
                Flag(
                    ADDRESS_TRACK_MISMATCH,
                    c.at_ms,
                    {
                        "checkin_id": c.id,
                        "address_place": c.address_place,
                        "distance_m": round(gap, 1),
                        "accuracy_m": c.accuracy_m,
                    },
                )
            )
    first_at: dict[tuple[float | None, float | None], int] = {}
    for c in _field(checkins):
        key = (c.lat, c.lon)
        if key in first_at:
            flags.append(
                Flag(REPEATED_FIX, c.at_ms, {"checkin_id": c.id, "same_as_checkin": first_at[key]})
            )
        else:
            first_at[key] = c.id
    return flags


def _address_gap(c: CheckinIn, settings: IndicatorSettings) -> float | None:
    distance = track_address_distance(c)
    if distance is None:
        return None
    return address_track_gap(distance, c.accuracy_m, max_m=settings.address_track_max_m)


def _fence_flags(claiming: list[CheckinIn], places: PlaceSet) -> list[Flag | None]:
    """For each check-in claiming a customer: a flag when outside its geofence, else None."""
    if not claiming:
        return []
    fences = fence_checks(
        [np.nan if c.lat is None else c.lat for c in claiming],
        [np.nan if c.lon is None else c.lon for c in claiming],
        [np.nan if c.accuracy_m is None else c.accuracy_m for c in claiming],
        [c.customer_id for c in claiming],
        places,
    )
    return [
        Flag(
            OUTSIDE_GEOFENCE,
            c.at_ms,
            {
                "checkin_id": c.id,
                "customer_id": c.customer_id,
                "distance_m": round(float(fences.distance_m[i]), 1),
                "radius_m": round(float(fences.radius_m[i]), 1),
                "accuracy_m": round(float(fences.accuracy_m[i]), 1),
            },
        )
        if fences.outside[i]
        else None
        for i, c in enumerate(claiming)
    ]


def _unique_flags(flags: list[Flag]) -> list[Flag]:
    """One flag per (kind, instant): the table's key. Sorted by time, then kind."""
    seen: set[tuple[str, int]] = set()
    result = []
    for f in sorted(flags, key=lambda f: (f.at_ms, f.kind)):
        if (f.kind, f.at_ms) not in seen:
            seen.add((f.kind, f.at_ms))
            result.append(f)
    return result
