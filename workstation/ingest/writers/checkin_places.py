"""Where a punch without coordinates was: the employee's track, else the place its address
names. A position is never invented.

* **Track**: a fix of the employee's GPS track within :data:`TRACK_WINDOW_MS` of the punch (the
  nearest in time; fixes reported worse than :data:`TRACK_MAX_ACCURACY_M` are not used) decides
  the position (``position_source = "track"``), with that fix's accuracy. A punch made up
  through an approval (补卡) is never placed by the track: nobody punched at its time.
* **Address**: where the address text matches a known customer, competitor site or office
  (:mod:`workstation.ingest.address_match`), that place's WGS-84 position and name are kept on
  the check-in (``address_place`` / ``address_lat`` / ``address_lon``) in every case, and are
  its position (``position_source = "address"``, accuracy unknown) when no track fix decides.
  Risk compares the two: a punch whose address and track disagree is a location flag.
* Otherwise the punch has no position.

Check-ins and tracks arrive in any order. The check-in importer asks the track already
stored; the track importer then places the stored punches of its employees and span that have
no fix of their own (:func:`place_from_tracks`) and links again the field check-ins that were
linked by position only (or not at all).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workstation.domain.enums import CheckinKind, CheckinLink, CoordSystem, PositionSource
from workstation.ingest.address_match import AddressMatcher, KnownPlace
from workstation.ingest.writers.checkin_links import CheckinLinker, LinkInput
from workstation.store.models import Checkin, CompetitorSite, Customer, Office, TrackPoint

log = logging.getLogger(__name__)

#: A track fix this close in time to a punch places it ("a few minutes").
TRACK_WINDOW_MS = 5 * 60_000
#: Track fixes reported worse than this never place a punch.
TRACK_MAX_ACCURACY_M = 200.0
#: Windows asked of the database in one query.
_WINDOWS_PER_QUERY = 200


@dataclass(frozen=True)
class TrackFix:
    t_ms: int
    lat: float
    lon: float
    accuracy_m: float | None


def ms_of(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def track_fixes(session: Session, wanted: Sequence[tuple[int, int]]) -> list[TrackFix | None]:
    """For each ``(employee_id, t_ms)``: the usable track fix nearest in time within
    :data:`TRACK_WINDOW_MS`, or None."""
    result: list[TrackFix | None] = [None] * len(wanted)
    by_employee: dict[int, list[int]] = defaultdict(list)
    for i, (employee_id, _) in enumerate(wanted):
        by_employee[employee_id].append(i)
    for employee_id, indices in by_employee.items():
        times = np.array(sorted({wanted[i][1] for i in indices}), dtype=np.int64)
        t, lat, lon, acc = _fixes_around(session, employee_id, times)
        if t.size == 0:
            continue
        for i in indices:
            at = wanted[i][1]
            j = int(np.searchsorted(t, at))
            best = min(
                (k for k in (j - 1, j) if 0 <= k < t.size),
                key=lambda k: abs(int(t[k]) - at),
            )
            if abs(int(t[best]) - at) <= TRACK_WINDOW_MS:
                accuracy = None if np.isnan(acc[best]) else float(acc[best])
                result[i] = TrackFix(int(t[best]), float(lat[best]), float(lon[best]), accuracy)
    return result


def _fixes_around(
    session: Session, employee_id: int, times: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Usable fixes of the employee within the window of any of ``times`` (sorted), by time."""
    windows: list[tuple[int, int]] = []
    for at in times.tolist():
        lo, hi = at - TRACK_WINDOW_MS, at + TRACK_WINDOW_MS
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    rows: list[Any] = []
    for part in range(0, len(windows), _WINDOWS_PER_QUERY):
        chunk = windows[part : part + _WINDOWS_PER_QUERY]
        rows.extend(
            session.execute(
                select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon, TrackPoint.accuracy_m)
                .where(
                    TrackPoint.employee_id == employee_id,
                    or_(*(TrackPoint.t_ms.between(lo, hi) for lo, hi in chunk)),
                    or_(
                        TrackPoint.accuracy_m.is_(None),
                        TrackPoint.accuracy_m <= TRACK_MAX_ACCURACY_M,
                    ),
                )
                .order_by(TrackPoint.t_ms)
            )
        )
    if not rows:
        empty = np.array([], dtype=np.float64)
        return np.array([], dtype=np.int64), empty, empty, empty
    rows.sort(key=lambda r: r[0])
    t = np.array([r[0] for r in rows], dtype=np.int64)
    lat = np.array([r[1] for r in rows], dtype=np.float64)
    lon = np.array([r[2] for r in rows], dtype=np.float64)
    acc = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64)
    return t, lat, lon, acc


def known_places(session: Session) -> list[KnownPlace]:
    """Customers, competitor sites and offices with an address and a position."""
    places: list[KnownPlace] = []
    for kind, model in (
        ("customer", Customer),
        ("competitor_site", CompetitorSite),
        ("office", Office),
    ):
        query = select(model.id, model.name, model.address, model.lat, model.lon).where(
            model.address.is_not(None), model.lat.is_not(None), model.lon.is_not(None)
        )
        places.extend(
            KnownPlace(kind, id_, name, address or "", lat, lon)
            for id_, name, address, lat, lon in session.execute(query)
        )
    return places


def places_by_address(session: Session, addresses: Sequence[str]) -> list[KnownPlace | None]:
    """The known place (with a position) each address text matches, or None."""
    if not any(addresses):
        return [None] * len(addresses)
    matcher = AddressMatcher(known_places(session))
    return [
        m.place if m is not None and m.place.lat is not None and m.place.lon is not None else None
        for m in matcher.match_many([a or "" for a in addresses])
    ]


def track_position(fix: TrackFix) -> dict[str, object]:
    """Position columns of a check-in placed by a track fix (WGS-84, as stored tracks are)."""
    return {
        "lat": fix.lat,
        "lon": fix.lon,
        "accuracy_m": fix.accuracy_m,
        "coord_system": CoordSystem.WGS84.value,
        "orig_lat": None,
        "orig_lon": None,
        "position_source": PositionSource.TRACK.value,
    }


def address_position(place: KnownPlace) -> dict[str, object]:
    """Position columns of a check-in placed where its address is (not a fix)."""
    return {
        "lat": place.lat,
        "lon": place.lon,
        "accuracy_m": None,
        "coord_system": CoordSystem.WGS84.value,
        "orig_lat": None,
        "orig_lon": None,
        "position_source": PositionSource.ADDRESS.value,
    }


def place_from_tracks(session: Session, spans: dict[int, tuple[int, int]], zone: tzinfo) -> int:
    """After a track import: place the stored check-ins of ``spans`` (employee → first and last
    fix written, epoch ms) that have no fix of their own by the track, and link again the field
    check-ins among them that no text or task linked. Returns the check-ins placed."""
    if not spans:
        return 0
    conditions = [
        and_(
            Checkin.employee_id == employee_id,
            Checkin.checked_at >= datetime.fromtimestamp((lo - TRACK_WINDOW_MS) / 1000, UTC),
            Checkin.checked_at <= datetime.fromtimestamp((hi + TRACK_WINDOW_MS) / 1000, UTC),
        )
        for employee_id, (lo, hi) in spans.items()
    ]
    candidates = session.scalars(
        select(Checkin)
        .where(
            or_(*conditions),
            or_(
                Checkin.position_source.is_(None),
                Checkin.position_source == PositionSource.ADDRESS.value,
            ),
            Checkin.makeup_approved.is_(False),
        )
        .order_by(Checkin.id)
    ).all()
    if not candidates:
        return 0
    fixes = track_fixes(session, [(c.employee_id, ms_of(c.checked_at)) for c in candidates])
    placed = [(c, fix) for c, fix in zip(candidates, fixes, strict=True) if fix is not None]
    if not placed:
        return 0
    relink = [
        c
        for c, _ in placed
        if c.kind == CheckinKind.FIELD.value
        and (c.customer_id is None or c.link_method == CheckinLink.FENCE.value)
    ]
    linker = CheckinLinker.for_checkins(session, relink, zone) if relink else None
    for c, fix in placed:
        for name, value in track_position(fix).items():
            setattr(c, name, value)
    for c in relink:
        assert linker is not None
        link = linker.link(LinkInput.of_checkin(c, zone))
        c.customer_id = link.customer_id if link else None
        c.task_id = link.task_id if link else None
        c.link_method = link.method if link else None
        c.link_text = link.text if link else None
    session.flush()
    log.info("check-ins placed by the track just imported: %d", len(placed))
    return len(placed)
