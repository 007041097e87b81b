"""Demo time: China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991).

A fixed offset is exact for every date the demo covers and needs no tz database (Windows).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from workstation.domain.localtime import LOCAL_TZ

CST = LOCAL_TZ
DAY_S = 86_400


def yesterday_in_shanghai() -> date:
    """The default last day of demo life: yesterday on a clock in Shanghai."""
    return datetime.now(CST).date() - timedelta(days=1)


def day_epoch_s(day: date) -> int:
    """Seconds since the Unix epoch of local midnight starting ``day``."""
    return int(datetime.combine(day, time(0, 0), tzinfo=CST).timestamp())


def local_dt(day: date, seconds: float) -> datetime:
    """An aware datetime ``seconds`` after local midnight of ``day`` (whole seconds)."""
    return datetime.combine(day, time(0, 0), tzinfo=CST) + timedelta(seconds=round(seconds))


def hm(hours: int, minutes: int = 0) -> float:
    """Seconds after midnight for a clock time."""
    return float(hours * 3600 + minutes * 60)


def local_text(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the Shanghai clock, without offset (how CSV sources write it)."""
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


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
