"""Demo time: the demo company lives on the company's clock (its time zone, handed in).

Its days and hours (office hours, lunch, visits) are days and hours of that zone, as the
company's own would be; the sample files write times on that clock without an offset, as
attendance and CRM exports do.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

DAY_S = 86_400


def day_epoch_s(day: date, zone: tzinfo) -> int:
    """Seconds since the Unix epoch of ``zone``'s midnight starting ``day``."""
    return int(datetime.combine(day, time(0, 0), tzinfo=zone).timestamp())


def local_dt(day: date, seconds: float, zone: tzinfo) -> datetime:
    """An aware datetime ``seconds`` after ``zone``'s midnight of ``day`` (whole seconds)."""
    return datetime.combine(day, time(0, 0), tzinfo=zone) + timedelta(seconds=round(seconds))


def hm(hours: int, minutes: int = 0) -> float:
    """Seconds after midnight for a clock time."""
    return float(hours * 3600 + minutes * 60)


def local_text(moment: datetime, zone: tzinfo) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on ``zone``'s clock, without offset (how CSV sources write it)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def utc_from_ms(t_ms: int) -> datetime:
    return datetime.fromtimestamp(t_ms / 1000, tz=UTC)


def working_days(first: date, last: date) -> list[date]:
    """Monday to Friday from ``first`` to ``last`` inclusive."""
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days
