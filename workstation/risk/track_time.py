"""Track-point times: epoch milliseconds (the ``t_ms`` column) and the local days they fall on
(days of the company's time zone, handed in: a day is 24 hours except where the zone changes
its offset)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from workstation.domain.clock import day_bounds_utc, start_of_day

DAY_MS = 86_400_000


def day_of_ms(ms: int, zone: tzinfo) -> date:
    """The local day of an epoch-millisecond instant."""
    return utc_of_ms(ms).astimezone(zone).date()


def ms_of(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def utc_of_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def day_bounds_ms(start: date, end: date, zone: tzinfo) -> tuple[int, int]:
    """Milliseconds of local midnight starting ``start`` and local midnight after ``end``."""
    lo, hi = day_bounds_utc(start, end, zone)
    return ms_of(lo), ms_of(hi)


def day_starts_ms(start: date, end: date, zone: tzinfo) -> list[int]:
    """Milliseconds of each local midnight from ``start`` to the one after ``end`` (one more
    than there are days): day ``start + i`` is ``[starts[i], starts[i + 1])``."""
    count = (end - start).days + 2
    return [ms_of(start_of_day(start + timedelta(days=i), zone)) for i in range(count)]


def fixed_offset_ms(start: date, end: date, zone: tzinfo) -> int | None:
    """The zone's UTC offset in milliseconds when it is the same at every local midnight from
    ``start`` to the one after ``end`` (so every one of those days is ``DAY_MS`` long and day
    ``d`` holds exactly the instants with ``(t + offset) // DAY_MS == d``); else None."""
    starts = day_starts_ms(start, end, zone)
    offsets = {(start + timedelta(days=i)).toordinal() * DAY_MS - ms for i, ms in enumerate(starts)}
    if len(offsets) != 1:
        return None
    return offsets.pop() - date(1970, 1, 1).toordinal() * DAY_MS
