"""Stops and location flags, stored per employee-day and recomputed only where inputs changed.

For every employee and local day (a day of the company's time zone, handed in) the run
remembers a fingerprint of what the day was computed from: the track points (count, last id,
sum of times: read off the ``(employee_id, t_ms)`` index alone), the check-ins, and how many
stops and flags it stored. It lives in ``app_meta`` under ``risk.stops.<employee id>``
together with a hash of the settings, of every place (offices, allowed places, competitor
sites, customers) and the zone's name; a change of any makes every day of that employee
stale. A day is recomputed when its fingerprint differs (new or rolled-back points, edited
check-ins, stops deleted behind our back) or when asked to (``force``).

Writes are a sync, not delete-and-insert: rows that come out the same are left alone (same
id), so recomputing an unchanged day changes nothing and ids quoted by indicator values stay
valid.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from workstation.domain.clock import zone_name
from workstation.risk.model import IndicatorSettings
from workstation.risk.places import PlaceSet
from workstation.risk.stop_days import CheckinIn, DayInput, DayResult, compute_days
from workstation.risk.track_time import (
    DAY_MS,
    day_bounds_ms,
    day_of_ms,
    day_starts_ms,
    fixed_offset_ms,
    ms_of,
    utc_of_ms,
)
from workstation.store.audit import canonical_json
from workstation.store.models import AppMeta, Checkin, LocationFlag, Stop, TrackPoint

META_PREFIX = "risk.stops."
CHUNK = 500
#: Track points are counted in slices this long where a day is not 24 hours (every zone's
#: midnight falls on a quarter hour of UTC, so no slice straddles two days).
SLICE_MS = 900_000
INSERT_ROWS = 5000
#: Stands for an unknown accuracy in the read (NULL cannot go through ``np.fromiter``).
UNKNOWN_ACCURACY = -1.0

_STOP_FIELDS = (
    "ended_at",
    "lat",
    "lon",
    "point_count",
    "source",
    "place_kind",
    "place_id",
    "place_distance_m",
    "competitor_site_id",
)


@dataclass
class StopsOutcome:
    days_computed: int = 0
    days_reused: int = 0
    stops_written: int = 0
    flags_written: int = 0

    def add(self, other: StopsOutcome) -> None:
        self.days_computed += other.days_computed
        self.days_reused += other.days_reused
        self.stops_written += other.stops_written
        self.flags_written += other.flags_written


def refresh_stops(
    session: Session,
    employee_ids: Sequence[int],
    start: date,
    end: date,
    settings: IndicatorSettings,
    places: PlaceSet,
    *,
    zone: tzinfo,
    force: bool = False,
    tick: Callable[[int], None] | None = None,
) -> StopsOutcome:
    """Bring stops and flags of ``employee_ids`` on days ``start..end`` (days of ``zone``) up
    to date.

    ``tick(employee_id)`` is called after each employee (it may raise to cancel).
    """
    config = f"{settings.stop_config_key()}:{places.fingerprint()}:{zone_name(zone)}"
    total = StopsOutcome()
    for employee_id in employee_ids:
        total.add(
            _refresh_employee(
                session, employee_id, start, end, settings, places, config, force, zone
            )
        )
        if tick is not None:
            tick(employee_id)
    return total


def _refresh_employee(
    session: Session,
    employee_id: int,
    start: date,
    end: date,
    settings: IndicatorSettings,
    places: PlaceSet,
    config: str,
    force: bool,
    zone: tzinfo,
) -> StopsOutcome:
    lo_ms, hi_ms = day_bounds_ms(start, end, zone)
    key = f"{META_PREFIX}{employee_id}"
    meta_row = session.get(AppMeta, key)
    meta: dict[str, Any] = json.loads(meta_row.value) if meta_row else {}
    known: dict[str, str] = meta.get("days", {}) if meta.get("config") == config else {}
    tracks = _track_fingerprints(session, employee_id, start, end, zone)
    checkins = _checkins_by_day(session, employee_id, lo_ms, hi_ms, zone)
    stored = _stored_counts(session, employee_id, start, end)
    inputs: dict[date, str] = {}
    stale: list[date] = []
    day = start
    while day <= end:
        inputs[day] = f"{tracks.get(day, '0')}|{_checkin_fingerprint(checkins.get(day, []))}"
        n_stops, n_flags = stored.get(day, (0, 0))
        if force or known.get(day.isoformat()) != f"{inputs[day]}|{n_stops}|{n_flags}":
            stale.append(day)
        day += timedelta(days=1)
    outcome = StopsOutcome(days_reused=len(inputs) - len(stale))
    if stale:
        results = _compute(session, employee_id, stale, checkins, settings, places, zone)
        stops_written, flags_written = _sync(session, employee_id, results)
        outcome.days_computed = len(stale)
        outcome.stops_written, outcome.flags_written = stops_written, flags_written
        for day, result in results.items():
            known[day.isoformat()] = f"{inputs[day]}|{len(result.stops)}|{len(result.flags)}"
        value = json.dumps({"config": config, "days": dict(sorted(known.items()))})
        if meta_row is None:
            session.add(AppMeta(key=key, value=value))
        else:
            meta_row.value = value
        session.flush()
    return outcome


def _compute(
    session: Session,
    employee_id: int,
    days: list[date],
    checkins: dict[date, list[CheckinIn]],
    settings: IndicatorSettings,
    places: PlaceSet,
    zone: tzinfo,
) -> dict[date, DayResult]:
    """The stops and flags of ``days`` of one employee: days whose fingerprint is unchanged
    are read back, the others recomputed and synced (see the module's docstring)."""
    inputs: list[DayInput] = []
    for run in _runs_of_days(days):
        starts = day_starts_ms(run[0], run[-1], zone)
        t, lat, lon, acc = read_track(session, employee_id, starts[0], starts[-1])
        edges = np.searchsorted(t, np.array(starts, dtype=np.int64), side="left").tolist()
        inputs += [
            DayInput(day, t[a:b], lat[a:b], lon[a:b], acc[a:b], checkins.get(day, []))
            for day, a, b in zip(run, edges[:-1], edges[1:], strict=True)
        ]
    return compute_days(employee_id, inputs, places, settings)


def _runs_of_days(days: list[date]) -> list[list[date]]:
    """Sorted days cut into runs of consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def read_track(
    session: Session, employee_id: int, lo_ms: int, hi_ms: int
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """One employee's fixes in ``[lo_ms, hi_ms)`` as arrays (accuracy NaN when unknown).

    One range of the ``(employee_id, t_ms)`` index; rows are taken from the driver's cursor
    without building result rows (three times faster on millions of points), and flattened
    straight into one array.
    """
    query = (
        select(
            TrackPoint.t_ms,
            TrackPoint.lat,
            TrackPoint.lon,
            func.coalesce(TrackPoint.accuracy_m, UNKNOWN_ACCURACY),
        )
        .where(
            TrackPoint.employee_id == employee_id,
            TrackPoint.t_ms >= lo_ms,
            TrackPoint.t_ms < hi_ms,
        )
        .order_by(TrackPoint.t_ms)
    )
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    if not rows:
        empty = np.empty(0, dtype=np.float64)
        return np.empty(0, dtype=np.int64), empty, empty.copy(), empty.copy()
    n = len(rows)
    arr = np.fromiter(chain.from_iterable(rows), np.float64, 4 * n).reshape(n, 4)
    acc = arr[:, 3].copy()
    acc[acc < 0] = np.nan
    return arr[:, 0].astype(np.int64), arr[:, 1].copy(), arr[:, 2].copy(), acc


def _track_fingerprints(
    session: Session, employee_id: int, start: date, end: date, zone: tzinfo
) -> dict[date, str]:
    """Per local day: count, last id and sum of times of the points (from the index alone).

    Where every day of the range is 24 hours the database groups by day; where the zone
    changes its offset in the range it groups by quarter hours, added up here per day.
    """
    starts = day_starts_ms(start, end, zone)
    where = "FROM track_points WHERE employee_id = :e AND t_ms >= :lo AND t_ms < :hi GROUP BY 1"
    params = {"e": employee_id, "lo": starts[0], "hi": starts[-1]}
    offset = fixed_offset_ms(start, end, zone)
    epoch = date(1970, 1, 1).toordinal()
    if offset is not None:
        by_day = text(f"SELECT (t_ms + {offset}) / {DAY_MS}, COUNT(*), MAX(id), SUM(t_ms) {where}")
        return {
            date.fromordinal(epoch + int(d)): f"{int(n)}/{int(last)}/{int(total)}"
            for d, n, last, total in session.execute(by_day, params)
        }
    by_slice = text(f"SELECT t_ms / {SLICE_MS}, COUNT(*), MAX(id), SUM(t_ms) {where}")
    sums: dict[date, list[int]] = {}
    for s, n, last, total in session.execute(by_slice, params):
        day = start + timedelta(days=bisect_right(starts, int(s) * SLICE_MS) - 1)
        got = sums.setdefault(day, [0, 0, 0])
        got[0] += int(n)
        got[1] = max(got[1], int(last))
        got[2] += int(total)
    return {day: f"{n}/{last}/{total}" for day, (n, last, total) in sums.items()}


def _checkins_by_day(
    session: Session, employee_id: int, lo_ms: int, hi_ms: int, zone: tzinfo
) -> dict[date, list[CheckinIn]]:
    query = (
        select(
            Checkin.id,
            Checkin.checked_at,
            Checkin.kind,
            Checkin.lat,
            Checkin.lon,
            Checkin.accuracy_m,
            Checkin.customer_id,
            Checkin.source_result,
            Checkin.note,
            Checkin.position_source,
            Checkin.address_place,
            Checkin.address_lat,
            Checkin.address_lon,
        )
        .where(
            Checkin.employee_id == employee_id,
            Checkin.checked_at >= utc_of_ms(lo_ms),
            Checkin.checked_at < utc_of_ms(hi_ms),
        )
        .order_by(Checkin.checked_at, Checkin.id)
    )
    days: dict[date, list[CheckinIn]] = defaultdict(list)
    for cid, at, kind, lat, lon, acc, customer, result, note, *where in session.execute(query):
        at_ms = ms_of(at)
        days[day_of_ms(at_ms, zone)].append(
            CheckinIn(cid, at_ms, kind, lat, lon, acc, customer, result, note, *where)
        )
    return days


def _checkin_fingerprint(checkins: list[CheckinIn]) -> str:
    if not checkins:
        return "0"
    digest = hashlib.sha256(repr(checkins).encode("utf-8")).hexdigest()
    return f"{len(checkins)}/{digest[:12]}"


def _stored_counts(
    session: Session, employee_id: int, start: date, end: date
) -> dict[date, tuple[int, int]]:
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    queries = [
        select(model.day, func.count())
        .where(model.employee_id == employee_id, model.day >= start, model.day <= end)
        .group_by(model.day)
        for model in (Stop, LocationFlag)
    ]
    for slot, query in enumerate(queries):
        for day, n in session.execute(query):
            counts[day][slot] = int(n)
    return {day: (c[0], c[1]) for day, c in counts.items()}


def _sync(session: Session, employee_id: int, results: dict[date, DayResult]) -> tuple[int, int]:
    """Make the stored stops and flags of these days equal the results; return rows changed."""
    days = list(results)
    new_stops = {
        s.started_ms: {
            "day": day,
            "ended_at": utc_of_ms(s.ended_ms),
            "lat": s.lat,
            "lon": s.lon,
            "point_count": s.point_count,
            "source": s.source,
            "place_kind": s.place_kind,
            "place_id": s.place_id,
            "place_distance_m": s.place_distance_m,
            "competitor_site_id": s.competitor_site_id,
        }
        for day, result in results.items()
        for s in result.stops
    }
    old_stops = {
        ms_of(row.started_at): row
        for row in session.execute(
            select(Stop.id, Stop.started_at, *(getattr(Stop, f) for f in _STOP_FIELDS)).where(
                Stop.employee_id == employee_id, Stop.day.in_(days)
            )
        )
    }
    stops = _apply(
        session,
        Stop,
        old_stops,
        new_stops,
        _STOP_FIELDS,
        lambda started, row: {"employee_id": employee_id, "started_at": utc_of_ms(started), **row},
    )
    new_flags = {
        (f.kind, f.at_ms): {"day": day, "detail_json": canonical_json(f.detail)}
        for day, result in results.items()
        for f in result.flags
    }
    old_flags = {
        (row.kind, ms_of(row.at)): row
        for row in session.execute(
            select(LocationFlag.id, LocationFlag.kind, LocationFlag.at, LocationFlag.day)
            .add_columns(LocationFlag.detail_json)
            .where(LocationFlag.employee_id == employee_id, LocationFlag.day.in_(days))
        )
    }
    flags = _apply(
        session,
        LocationFlag,
        old_flags,
        new_flags,
        ("day", "detail_json"),
        lambda k, row: {"employee_id": employee_id, "kind": k[0], "at": utc_of_ms(k[1]), **row},
    )
    return stops, flags


def write_rows(
    session: Session,
    table: Any,
    gone: list[int],
    changed: list[dict[str, Any]],
    added: list[dict[str, Any]],
) -> None:
    """Delete ``gone`` ids, update ``changed`` rows by their ``id``, insert ``added`` rows.

    Core statements with one parameter set per row (one executemany each): no ORM
    bookkeeping, and every row carries the same keys so nothing splits the batch.
    """
    for i in range(0, len(gone), CHUNK):
        session.execute(delete(table).where(table.c.id.in_(gone[i : i + CHUNK])))
    if changed:
        by_id = update(table).where(table.c.id == bindparam("row_id"))
        params = [{"row_id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in changed]
        session.execute(by_id, params)
    for i in range(0, len(added), INSERT_ROWS):
        session.execute(insert(table), added[i : i + INSERT_ROWS])


def _apply(
    session: Session,
    model: type[Stop] | type[LocationFlag],
    old: dict[Any, Any],
    new: dict[Any, dict[str, Any]],
    fields: Sequence[str],
    full_row: Callable[[Any, dict[str, Any]], dict[str, Any]],
) -> int:
    """Delete rows no longer produced, update those that changed, insert the new ones."""
    gone = [row.id for key, row in old.items() if key not in new]
    changed = [
        {"id": old[key].id, **{f: values[f] for f in fields}}
        for key, values in new.items()
        if key in old and any(getattr(old[key], f) != values[f] for f in fields)
    ]
    added = [full_row(key, values) for key, values in new.items() if key not in old]
    write_rows(session, model.__table__, gone, changed, added)
    return len(gone) + len(changed) + len(added)
