"""GPS track points in bulk: millions of rows, typed and checked column by column.

Each chunk of the file is handled as whole columns (pandas/numpy): times parsed at once, numbers
coerced at once, checks as boolean masks. Python objects are made only for the rejected rows
(few) and for the rows handed to the database driver. Memory stays bounded by the chunk size.

* Times: ISO text with an offset (``Z``, ``+08:00``) is converted to UTC; without one it is in
  the import's zone; epoch numbers (seconds, or milliseconds above ``EPOCH_MS_THRESHOLD``) are
  accepted. Anything else goes through the row-by-row parser (slashes, ``年月日``...).
* Positions are converted from the import's coordinate system to WGS-84; the original values
  are kept only when they differ in system (``orig_lat/orig_lon`` NULL for WGS-84 sources).
* Duplicates: a point whose ``(employee, t_ms)`` is repeated within the file (this chunk, or
  an earlier chunk already written in the same transaction) is counted as a duplicate, not
  written; the first one wins. Against points stored before (earlier imports, the demo), a
  point less than a second from a stored point of the same employee is the same fix: files
  keep times to the second (or round them) while other sources keep milliseconds.
* A position of exactly (0, 0) is refused (devices without a fix write it); numbers with a
  comma other than between thousands (``31,2``) are refused as ambiguous, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import tzinfo
from itertools import repeat
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from workstation.domain.enums import CoordSystem
from workstation.geo.coords import convert_np
from workstation.ingest.model import RowProblem
from workstation.ingest.table import RawTable
from workstation.ingest.values import (
    EPOCH_MS_THRESHOLD,
    ValueProblem,
    parse_datetime,
    parse_number,
    plausible_range,
    shown,
)
from workstation.ingest.writers.base import NULL_ISLAND, BulkInput, WriteContext, WriteOutcome
from workstation.ingest.writers.checkin_places import place_from_tracks
from workstation.store.models.movement import TRACK_COORD_CODES, TrackPoint

#: Rows per database round (executemany / Core insert).
INSERT_ROWS = 50_000
#: Keys are ``employee_id << KEY_SHIFT | t_ms``; times must be within 1970..2109.
KEY_SHIFT = 42
T_MS_MAX = (1 << KEY_SHIFT) - 1
#: A point closer than this to a point stored by another import is the same fix.
SAME_FIX_MS = 1_000
PROGRESS_MESSAGE = "Writing track points"
_TABLE = cast(Table, TrackPoint.__table__)

_OFFSET = r"(?:[Zz]|[+-]\d{2}:?\d{2})$"
_EPOCH = r"^\d{9,13}(?:\.\d+)?$"
_COLUMNS = (
    "employee_id",
    "t_ms",
    "lat",
    "lon",
    "accuracy_m",
    "speed_mps",
    "coord_code",
    "orig_lat",
    "orig_lon",
    "batch_id",
    "source_row",
)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def write_tracks(ctx: WriteContext, data: BulkInput) -> WriteOutcome:
    """Every chunk of the file; then the stored check-ins of these people and times that have no
    fix of their own are placed by the new track (``checkin_places.place_from_tracks``)."""
    outcome = WriteOutcome()
    done = 0
    spans: dict[int, tuple[int, int]] = {}
    for table in data.chunks:
        if data.cancel is not None:
            data.cancel.raise_if_cancelled()
        _write_chunk(ctx, data, table, outcome, spans)
        done += len(table.frame)
        data.progress(done, max(data.expected_rows, done), PROGRESS_MESSAGE)
    if data.cancel is not None:
        data.cancel.raise_if_cancelled()
    placed = place_from_tracks(ctx.session, spans, ctx.company_zone)
    if placed:
        outcome.count("checkins_placed_by_track", placed)
    return outcome


def _write_chunk(
    ctx: WriteContext,
    data: BulkInput,
    table: RawTable,
    outcome: WriteOutcome,
    spans: dict[int, tuple[int, int]],
) -> None:
    frame = table.frame
    # rows the reader refused (e.g. too many fields) are blank rows in the frame
    outcome.problems.extend(table.problems)
    outcome.rows_read += len(table.problems)
    if frame.empty:
        return
    n = len(frame)
    columns = data.mapping.columns

    def cells(name: str) -> pd.Series:
        header = columns.get(name)
        if header is None:
            return pd.Series([""] * n, index=frame.index, dtype=object)
        return frame[header]  # stripped str cells, "" for empty (RawTable)

    # Text cells are trimmed here; number cells parse with blanks around them as they are
    # (a generic tracks CSV is read untrimmed: trimming millions of cells is slow).
    emp_text = cells("employee_no").str.strip()
    time_text = cells("time").str.strip()
    lat_text, lon_text = cells("lat"), cells("lon")
    acc_text, speed_text = cells("accuracy_m"), cells("speed_mps")
    lat, lat_num = _numbers(lat_text)
    lon, lon_num = _numbers(lon_text)
    acc, acc_num = _numbers(acc_text)
    speed, speed_num = _numbers(speed_text)
    time_missing = (time_text == "").to_numpy()
    lat_missing = _blank(lat_text, lat_num)
    lon_missing = _blank(lon_text, lon_num)
    emp_missing = (emp_text == "").to_numpy()
    # Blank rows (kept by the readers so row numbers hold) are skipped, not rejected.
    blank = emp_missing & time_missing & lat_missing & lon_missing
    if blank.any():
        maybe = np.flatnonzero(blank)
        rest = frame.iloc[maybe].apply(lambda column: column.str.strip() == "")
        blank[maybe] = rest.all(axis=1).to_numpy(dtype=bool)
    outcome.rows_read += int(n - blank.sum())

    t_ms, t_ok = _parse_times(time_text, data.zone)
    low, high = plausible_range(ctx.now)
    low_ms, high_ms = int(low.timestamp() * 1000), int(high.timestamp() * 1000)
    codes, uniques = pd.factorize(emp_text)
    known = np.array([ctx.employee_id(str(u)) or -1 for u in uniques] + [-1], dtype=np.int64)
    emp_id = known[codes]  # code -1 (missing) picks the trailing -1

    acc_given = ~_blank(acc_text, acc_num)
    speed_given = ~_blank(speed_text, speed_num)
    with np.errstate(invalid="ignore"):
        lat_out = lat_num & ~((lat >= -90) & (lat <= 90))
        lon_out = lon_num & ~((lon >= -180) & (lon <= 180))
        null_island = lat_num & lon_num & (lat == 0) & (lon == 0)
        acc_neg = acc_num & ~(acc >= 0)
        speed_neg = speed_num & ~(speed >= 0)

    def fixed(message: str) -> Callable[[int], str]:
        return lambda _i: message

    checks: list[tuple[str, BoolArray, Callable[[int], str]]] = [
        ("employee_no", emp_missing, fixed("employee number missing")),
        ("time", time_missing, fixed("point without a time")),
        ("time", ~time_missing & ~t_ok, lambda i: f"not a time: {_cell(time_text, i)!r}"),
        (
            "time",
            t_ok & ((t_ms < low_ms) | (t_ms > high_ms)),
            lambda i: f"implausible time {_cell(time_text, i)!r}: before 2000 or in the future",
        ),
        ("lat", lat_missing, fixed("latitude missing")),
        ("lat", ~lat_missing & ~lat_num, lambda i: _not_number(_cell(lat_text, i))),
        ("lat", lat_out, lambda i: f"{_cell(lat_text, i)} is outside -90..90"),
        ("lon", lon_missing, fixed("longitude missing")),
        ("lon", ~lon_missing & ~lon_num, lambda i: _not_number(_cell(lon_text, i))),
        ("lon", lon_out, lambda i: f"{_cell(lon_text, i)} is outside -180..180"),
        ("lat", null_island, fixed(NULL_ISLAND)),
        ("accuracy_m", acc_given & ~acc_num, lambda i: _not_number(_cell(acc_text, i))),
        ("accuracy_m", acc_neg, lambda i: f"accuracy {_cell(acc_text, i)} is negative"),
        ("speed_mps", speed_given & ~speed_num, lambda i: _not_number(_cell(speed_text, i))),
        ("speed_mps", speed_neg, lambda i: f"speed {_cell(speed_text, i)} is negative"),
        ("employee_no", emp_id < 0, lambda i: f"unknown employee {_cell(emp_text, i)}"),
    ]
    bad = blank.copy()
    for field_name, mask, message in checks:
        new = mask & ~bad
        if new.any():
            for i in np.flatnonzero(new).tolist():
                outcome.problems.append(
                    RowProblem(table.first_data_row + i, field_name, message(i), _raw(frame, i))
                )
            bad |= new

    good = np.flatnonzero(~bad)
    if good.size == 0:
        return
    emp_id, t_ms = emp_id[good], t_ms[good]
    keys = (emp_id << KEY_SHIFT) | t_ms
    first = ~pd.Series(keys).duplicated(keep="first").to_numpy()
    this_file, earlier = _stored_keys(ctx.session, ctx.batch_id, emp_id, t_ms)
    if this_file.size:
        first &= ~np.isin(keys, this_file)
    if earlier.size:
        first &= ~_near(keys, earlier, SAME_FIX_MS)
    outcome.duplicates += int(good.size - first.sum())
    # Written in (employee, time) order: the index grows in runs instead of at random.
    order = np.argsort(keys[first], kind="stable")
    rows = good[first][order]
    if rows.size == 0:
        return
    written_emp, written_t = emp_id[first][order], t_ms[first][order]
    _insert(ctx, table, rows, written_emp, written_t, lat, lon, acc, speed)
    outcome.accepted += int(rows.size)
    for employee in np.unique(written_emp).tolist():
        mine = written_t[written_emp == employee]
        lo, hi = int(mine.min()), int(mine.max())
        old = spans.get(employee)
        spans[employee] = (min(lo, old[0]), max(hi, old[1])) if old else (lo, hi)


def _parse_times(text: pd.Series, zone: tzinfo) -> tuple[IntArray, BoolArray]:
    """(epoch ms UTC, parsed) of time cells; unparsed cells have ms 0."""
    n = len(text)
    ms = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    given = (text != "").to_numpy()
    if given.any() and _parse_uniform(text[given], given, zone, ms, ok):
        return _in_range(ms, ok)
    epoch = given & text.str.match(_EPOCH).to_numpy(dtype=bool, na_value=False)
    offset = given & ~epoch & text.str.contains(_OFFSET).to_numpy(dtype=bool, na_value=False)
    naive = given & ~epoch & ~offset
    if epoch.any():
        number = pd.to_numeric(text[epoch], errors="coerce").to_numpy(dtype=np.float64)
        ms[epoch] = np.where(number > EPOCH_MS_THRESHOLD, number, number * 1000).round()
        ok[epoch] = True
    if offset.any():
        stamps = pd.to_datetime(text[offset], format="ISO8601", errors="coerce", utc=True)
        _put(stamps, offset, ms, ok)
    if naive.any():
        stamps = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        _put(_localise(stamps, zone), naive, ms, ok)
    # Other layouts (2026/10/01 8:00, 2026年10月1日 ...) one by one: rare, and correct.
    for i in np.flatnonzero(given & ~ok).tolist():
        try:
            moment = parse_datetime(str(text.iat[i]), zone)
        except ValueProblem:
            continue
        if moment is not None:
            ms[i] = round(moment.timestamp() * 1000)
            ok[i] = True
    return _in_range(ms, ok)


def _parse_uniform(
    text: pd.Series, where: BoolArray, zone: tzinfo, ms: IntArray, ok: BoolArray
) -> bool:
    """The common case at full speed: every cell ISO 8601, all with the same offset or all
    without one. False (nothing set) when the chunk is anything else."""
    try:
        stamps = pd.to_datetime(text, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        return False
    if stamps.dt.tz is None:
        stamps = _localise(stamps, zone)
    _put(stamps, where, ms, ok)
    return True


def _localise(stamps: pd.Series, zone: tzinfo) -> pd.Series:
    return stamps.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")


def _in_range(ms: IntArray, ok: BoolArray) -> tuple[IntArray, BoolArray]:
    ok &= (ms >= 0) & (ms <= T_MS_MAX)
    return ms, ok


def _put(stamps: pd.Series, where: BoolArray, ms: IntArray, ok: BoolArray) -> None:
    parsed = stamps.notna().to_numpy()
    values = stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ms]")
    index = np.flatnonzero(where)
    ms[index[parsed]] = values[parsed].astype(np.int64)
    ok[index[parsed]] = True


def _blank(text: pd.Series, number: BoolArray) -> BoolArray:
    """Cells that are empty or only blanks (only the few that are not numbers are looked at)."""
    blank = np.zeros(len(text), dtype=bool)
    maybe = np.flatnonzero(~number)
    if maybe.size:
        blank[maybe] = (text.iloc[maybe].str.strip() == "").to_numpy(dtype=bool)
    return blank


def _numbers(text: pd.Series) -> tuple[FloatArray, BoolArray]:
    """(values, is a finite number) of number cells."""
    try:
        numbers = text.astype(np.float64)  # every cell a number: the fast way
    except (ValueError, TypeError):
        numbers = pd.to_numeric(text, errors="coerce")
    values: FloatArray = np.array(numbers, dtype=np.float64)
    finite: BoolArray = np.isfinite(values)
    if not finite.all():
        # thousands separators (1,234.5) read as everywhere else; other commas stay refused
        maybe = np.flatnonzero(~finite)
        commas = text.iloc[maybe].str.contains(",", regex=False).to_numpy(dtype=bool)
        for i in maybe[commas].tolist():
            try:
                value = parse_number(str(text.iat[i]))
            except ValueProblem:
                continue
            if value is not None and np.isfinite(value):
                values[i], finite[i] = value, True
    return values, finite


def _cell(text: pd.Series, i: int) -> str:
    """Cell ``i`` as quoted in a message (stripped, cut when long)."""
    return shown(str(text.iat[i]))


def _not_number(text: str) -> str:
    """Why a cell is not a number, in the words of the row-by-row parser."""
    try:
        parse_number(text)
    except ValueProblem as exc:
        return str(exc)
    return f"not a number: {text.strip()!r}"


def _near(keys: IntArray, stored: IntArray, within: int) -> BoolArray:
    """Which ``keys`` are less than ``within`` from one of ``stored`` (same employee: the
    employee is in the high bits, far above any time difference)."""
    ordered = np.sort(stored)
    at = np.searchsorted(ordered, keys)
    below = ordered[np.clip(at - 1, 0, ordered.size - 1)]
    above = ordered[np.clip(at, 0, ordered.size - 1)]
    near: BoolArray = (np.abs(keys - below) < within) | (np.abs(above - keys) < within)
    return near


def _raw(frame: pd.DataFrame, i: int) -> dict[str, str]:
    return {str(k): "" if pd.isna(v) else str(v) for k, v in frame.iloc[i].items()}


def _stored_keys(
    session: Session, batch_id: int, emp_id: IntArray, t_ms: IntArray
) -> tuple[IntArray, IntArray]:
    """Keys of points already stored for these employees within this chunk's time span (and a
    second either side), as (written by this import, stored before). One query: the
    ``(employee_id, t_ms)`` index serves each employee's range."""
    employees = np.unique(emp_id).tolist()
    found = session.execute(
        select(TrackPoint.employee_id, TrackPoint.t_ms, TrackPoint.batch_id).where(
            TrackPoint.employee_id.in_(employees),
            TrackPoint.t_ms > int(t_ms.min()) - SAME_FIX_MS,
            TrackPoint.t_ms < int(t_ms.max()) + SAME_FIX_MS,
        )
    ).all()
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    rows = np.array([(e, t, -1 if b is None else b) for e, t, b in found], dtype=np.int64)
    keys = (rows[:, 0] << KEY_SHIFT) | rows[:, 1]
    mine = rows[:, 2] == batch_id
    return keys[mine], keys[~mine]


def _nullable(values: FloatArray) -> list[Any]:
    """Floats with NaN as None, for the driver."""
    nan = np.isnan(values)
    if not nan.any():
        return values.tolist()
    cells = values.astype(object)
    cells[nan] = None
    return cells.tolist()


def _insert(
    ctx: WriteContext,
    table: RawTable,
    rows: IntArray,
    emp_id: IntArray,
    t_ms: IntArray,
    lat: FloatArray,
    lon: FloatArray,
    acc: FloatArray,
    speed: FloatArray,
) -> None:
    crs = ctx.options.crs
    code = TRACK_COORD_CODES[crs.value]
    olat, olon = lat[rows], lon[rows]
    wlat, wlon = convert_np(olat, olon, crs.value, CoordSystem.WGS84.value)
    orig_lat: Iterable[Any]
    orig_lon: Iterable[Any]
    if crs is CoordSystem.WGS84:
        orig_lat = orig_lon = repeat(None)
    else:
        orig_lat, orig_lon = olat.tolist(), olon.tolist()
    session = ctx.session
    sqlite = session.get_bind().dialect.name == "sqlite"
    connection = session.connection()
    wgs84 = crs is CoordSystem.WGS84
    # Values the same for every row are written into the statement, not bound per row.
    constants = {"coord_code": str(int(code)), "batch_id": str(int(ctx.batch_id))}
    if wgs84:
        constants |= {"orig_lat": "NULL", "orig_lon": "NULL"}
    bound = [c for c in _COLUMNS if c not in constants]
    statement = (
        f"INSERT INTO {TrackPoint.__tablename__} ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join(constants.get(c, '?') for c in _COLUMNS)})"
    )
    for start in range(0, rows.size, INSERT_ROWS):
        part = slice(start, start + INSERT_ROWS)
        size = len(rows[part])
        columns: dict[str, Iterable[Any]] = {
            "employee_id": emp_id[part].tolist(),
            "t_ms": t_ms[part].tolist(),
            "lat": wlat[part].tolist(),
            "lon": wlon[part].tolist(),
            "accuracy_m": _nullable(acc[rows[part]]),
            "speed_mps": _nullable(speed[rows[part]]),
            "source_row": (rows[part] + table.first_data_row).tolist(),
        }
        if not wgs84:
            columns["orig_lat"] = _slice(orig_lat, part)
            columns["orig_lon"] = _slice(orig_lon, part)
        if sqlite:
            tuples = zip(*(columns[c] for c in bound), strict=True)
            connection.exec_driver_sql(statement, list(tuples))
        else:
            values: dict[str, Iterable[Any]] = {
                "coord_code": repeat(code, size),
                "batch_id": repeat(ctx.batch_id, size),
            }
            values |= {"orig_lat": repeat(None, size), "orig_lon": repeat(None, size)}
            values |= columns
            tuples = zip(*(values[c] for c in _COLUMNS), strict=False)
            connection.execute(
                insert(_TABLE), [dict(zip(_COLUMNS, t, strict=True)) for t in tuples]
            )


def _slice(values: Iterable[Any], part: slice) -> Iterable[Any]:
    return values[part] if isinstance(values, list) else values
