"""Track-point times: epoch milliseconds (the ``t_ms`` column) and the local days they fall on
(Shanghai time, which has no daylight saving: a local day is a fixed range of milliseconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from workstation.domain.localtime import LOCAL_TZ, local_day_bounds_utc

DAY_MS = 86_400_000
LOCAL_OFFSET_MS = int((LOCAL_TZ.utcoffset(None) or timedelta(0)).total_seconds() * 1000)


def day_of_ms(ms: int) -> date:
    """The local day of an epoch-millisecond instant."""
    return date.fromordinal(date(1970, 1, 1).toordinal() + (ms + LOCAL_OFFSET_MS) // DAY_MS)


def ms_of(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def utc_of_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def day_bounds_ms(start: date, end: date) -> tuple[int, int]:
    lo, hi = local_day_bounds_utc(start, end)
    return ms_of(lo), ms_of(hi)
